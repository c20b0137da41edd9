import NIOCore
import NIOHPACK
import NIOHTTP2
import WSEngine

/// First handler of a stream a client opened on an HTTP/2 listener: it presents an extended CONNECT
/// (RFC 8441) to the server above as the HTTP/1.1 upgrade request it stands for, and the server's
/// HTTP/1.1 answer to the client as HTTP/2 HEADERS, as a gateway such as nghttpx does. So an
/// HTTP/1.1 WebSocket server serves HTTP/2 unchanged: its own rules judge the request (version,
/// subprotocols, extensions), and a 101 becomes a 200 without Upgrade, Connection or Accept.
/// A CONNECT, or any request naming `:protocol`, is judged here first by what RFC 8441 and HTTP/2
/// require (`ExtendedConnect.validateRequest`): a malformed one resets the stream with
/// PROTOCOL_ERROR (RFC 9113 §8.1.1), a well-formed one this side does not take is refused with its
/// status; neither reaches the server. Plain requests (a page) reach the server unchanged.
/// After the answer the stream carries the frames as DATA; END_STREAM and RST_STREAM stand for FIN
/// and reset, as for the client's streams (`H2StreamEdgeHandler`).
final class H2ServerStreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    /// The key of the translated request: HTTP/2 has none (RFC 8441 §5), the server above needs one.
    static let translatedKey = "dGhlIHNhbXBsZSBub25jZQ=="

    private let state: ConnectionState
    private let heads: H2StreamHeads
    private var requested = false
    /// The server's answer head, until its blank line.
    private var answer: [UInt8] = []
    private var answered = false
    private var outputEnded = false
    private var dataWriter = H2DataWriter()

    init(state: ConnectionState, heads: H2StreamHeads) {
        self.state = state
        self.heads = heads
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case let .headers(headers):
            if !self.requested {
                self.requested = true
                let fields = headers.headers.map { (name: $0.name, value: $0.value) }
                self.heads.received(fields.map { ($0.name, $0.value) })
                // A plain request (the page test-browser serves on this origin) goes to the server
                // as it is; a CONNECT or anything naming :protocol must be a valid extended CONNECT.
                let plain = headers.headers.first(name: ":method") != "CONNECT" && headers.headers.first(name: ":protocol") == nil
                if !plain {
                    do {
                        _ = try ExtendedConnect.validateRequest(fields)
                    } catch {
                        self.refuse(error, context: context)
                        return
                    }
                }
                let local = context.channel.parent?.localAddress.flatMap { a in a.port.map { "\(a.ipAddress ?? "localhost"):\($0)" } }
                context.fireChannelRead(self.wrapInboundOut(Self.upgradeRequest(headers.headers, localAuthority: local,
                                                                                allocator: context.channel.allocator)))
            }
            if headers.endStream { self.peerEnded(context: context) }
        case let .data(data):
            if case let .byteBuffer(bytes) = data.data, bytes.readableBytes > 0 {
                context.fireChannelRead(self.wrapInboundOut(bytes))
            }
            if data.endStream { self.peerEnded(context: context) }
        case .rstStream:
            _ = self.state.observe(.peerReset)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The peer's RST_STREAM reaches the stream as this error: it is the stream's reset.
        if error is NIOHTTP2Errors.StreamClosed { _ = self.state.observe(.peerReset) }
        context.fireErrorCaught(error)
    }

    /// Answers a request the server above never sees: a reset for a malformed one, else its status
    /// (a 426 names the version this side speaks, as RFC 6455 §4.4 asks).
    private func refuse(_ failure: ExtendedConnect.Failure, context: ChannelHandlerContext) {
        self.answered = true
        self.outputEnded = true
        switch failure {
        case .malformed:
            context.writeAndFlush(self.wrapOutboundOut(.rstStream(.protocolError)), promise: nil)
        case let .refused(status, _):
            var headers = HPACKHeaders([(":status", String(status))])
            if status == 426 { headers.add(name: "sec-websocket-version", value: "13") }
            self.heads.sent(headers.map { ($0.name, $0.value) })
            context.writeAndFlush(self.wrapOutboundOut(.headers(.init(headers: headers, endStream: true))), promise: nil)
        }
        context.channel.parent?.flush()
    }

    private func peerEnded(context: ChannelHandlerContext) {
        _ = self.state.observe(.peerClosed)
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    /// The HTTP/1.1 request an extended CONNECT stands for. A request that is not one (another
    /// method, no `:protocol websocket`) is passed on as it is named, so the server refuses it.
    /// Host is `:authority`, else the request's host field, else `localAuthority` (this listener's
    /// address): a missing `:authority` is section 28.9's finding, not a reason to refuse every case.
    static func upgradeRequest(_ fields: HPACKHeaders, localAuthority: String? = nil, allocator: ByteBufferAllocator) -> ByteBuffer {
        let method = fields.first(name: ":method") ?? ""
        let isWebSocket = method == "CONNECT" && fields.first(name: ":protocol")?.lowercased() == "websocket"
        var text = "\(isWebSocket ? "GET" : (method.isEmpty ? "NONE" : method)) \(fields.first(name: ":path") ?? "/") HTTP/1.1\r\n"
        text += "Host: \(fields.first(name: ":authority") ?? fields.first(name: "host") ?? localAuthority ?? "")\r\n"
        if isWebSocket {
            text += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(translatedKey)\r\n"
        }
        // A key the client sent anyway has no meaning over HTTP/2 (RFC 8441 §5): the one above stands.
        for field in fields where !field.name.hasPrefix(":") && field.name != "host" && !(isWebSocket && field.name == "sec-websocket-key") {
            text += "\(field.name): \(field.value)\r\n"
        }
        return allocator.buffer(string: text + "\r\n")
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var bytes = self.unwrapOutboundIn(data)
        if !self.answered {
            // Collect the answer head up to its blank line; what follows is frames (or a body).
            let view = bytes.readableBytesView
            var consumed = 0
            for byte in view {
                self.answer.append(byte)
                consumed += 1
                if self.answer.count >= 4, self.answer.suffix(4).elementsEqual([13, 10, 13, 10]) { break }
            }
            bytes.moveReaderIndex(forwardBy: consumed)
            guard self.answer.count >= 4, self.answer.suffix(4).elementsEqual([13, 10, 13, 10]) else {
                promise?.succeed(())
                return
            }
            self.answered = true
            let headers = Self.answerHeaders(self.answer)
            self.heads.sent(headers.map { ($0.name, $0.value) })
            context.write(self.wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        }
        self.dataWriter.write(bytes, context: context, promise: promise)
    }

    /// The HTTP/1.1 answer as HTTP/2 header fields: 101 becomes 200 (RFC 8441 §5), and the fields
    /// HTTP/2 forbids or has no use for go (RFC 9113 §8.2.2; Sec-WebSocket-Accept answers a key
    /// HTTP/2 does not send).
    static func answerHeaders(_ head: [UInt8]) -> HPACKHeaders {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        let statusWords = lines.first?.split(separator: " ") ?? []
        let status = statusWords.count > 1 ? String(statusWords[1]) : "500"
        var headers = HPACKHeaders([(":status", status == "101" ? "200" : status)])
        let dropped: Set<String> = ["upgrade", "connection", "sec-websocket-accept", "keep-alive", "proxy-connection",
                                    "transfer-encoding", "content-length"]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            guard !dropped.contains(name) else { continue }
            headers.add(name: name, value: line[line.index(after: colon)...].trimmingCharacters(in: " \t"))
        }
        return headers
    }

    /// `RawConnection.writeHTTP2Answer`: these fields as the answer, untranslated and unchecked.
    struct VerbatimAnswer: Sendable {
        var fields: [(name: String, value: String)]
        var endStream: Bool
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let answer = event as? VerbatimAnswer else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        guard !self.answered else {
            promise?.fail(ChannelError.inappropriateOperationForState)
            return
        }
        self.answered = true
        if answer.endStream { self.outputEnded = true }
        self.heads.sent(answer.fields.map { ($0.name, $0.value) })
        let headers = HPACKHeaders(answer.fields.map { ($0.name, $0.value) })
        context.writeAndFlush(self.wrapOutboundOut(.headers(.init(headers: headers, endStream: answer.endStream))), promise: promise)
        context.channel.parent?.flush()
    }

    /// An abort: the stream is closed without END_STREAM, which resets it.
    func skipEndStream() {
        self.outputEnded = true
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if !self.outputEnded, context.channel.isActive {
            self.outputEnded = true
            if !self.answered {
                // Closed before a complete answer: the client learns no more than a refusal.
                self.answered = true
                context.write(self.wrapOutboundOut(.headers(.init(headers: HPACKHeaders([(":status", "400")])))), promise: nil)
            }
            let ended = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(self.wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))),
                                  promise: ended)
            if mode == .output {
                ended.futureResult.cascade(to: promise)
                context.channel.parent?.flush()
                return
            }
            // Closed only once END_STREAM has gone out: closing a stream whose END_STREAM is still
            // queued would drop it, and the peer would see neither an end nor a reset.
            // The stream closes by itself once the client ends its side too; closing it before
            // would reset it (RST_STREAM) after our END_STREAM. A client that never ends its side
            // gets the reset a second later, as a TCP peer that lingers would.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let timer = context.eventLoop.scheduleTask(in: .seconds(1)) {
                loopBound.value.close(mode: mode, promise: nil)
                loopBound.value.channel.parent?.flush()
            }
            context.channel.closeFuture.whenComplete { _ in timer.cancel() }
            ended.futureResult.whenFailure { _ in loopBound.value.close(mode: mode, promise: nil) }
            context.channel.closeFuture.cascade(to: promise)
            // The connection writes what its streams queued when it is flushed, which otherwise
            // happens only at the end of its next read: a stream ending outside a read would wait.
            context.channel.parent?.flush()
            return
        } else if mode == .output {
            promise?.succeed(())
            return
        }
        context.close(mode: mode, promise: promise)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        String(self.drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
