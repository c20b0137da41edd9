import NIOCore
import NIOHPACK
import NIOHTTP2

/// First handler of a WebSocket's HTTP/2 stream (RFC 8441), in the place the socket edge holds on a
/// TCP connection: it sends the extended CONNECT request, hands the response's header fields to
/// whoever opened the stream, and from then on carries DATA payloads as plain octets, so that the
/// connection handler above sees the stream as it sees TCP. The stream's ends stand for TCP's:
/// END_STREAM from the peer is its FIN, RST_STREAM its reset; closing our output sends END_STREAM.
final class H2StreamEdgeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let state: ConnectionState
    private let request: HPACKHeaders
    private let response: EventLoopPromise<H2Response>
    private var requested = false
    private var answered = false
    private var outputEnded = false
    private var dataWriter = H2DataWriter()

    init(state: ConnectionState, request: HPACKHeaders, response: EventLoopPromise<H2Response>) {
        self.state = state
        self.request = request
        self.response = response
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.sendRequest(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.sendRequest(context: context)
        context.fireChannelActive()
    }

    private func sendRequest(context: ChannelHandlerContext) {
        guard !self.requested else { return }
        self.requested = true
        context.writeAndFlush(self.wrapOutboundOut(.headers(.init(headers: self.request, endStream: false))), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case let .headers(headers):
            if !self.answered {
                self.answered = true
                self.response.succeed(H2Response(fields: headers.headers.map { ($0.name, $0.value) }, endStream: headers.endStream))
            }
            if headers.endStream { self.peerEnded(context: context) }
        case let .data(data):
            if case let .byteBuffer(bytes) = data.data, bytes.readableBytes > 0 {
                context.fireChannelRead(self.wrapInboundOut(bytes))
            }
            if data.endStream { self.peerEnded(context: context) }
        default:
            break
        }
    }

    private func peerEnded(context: ChannelHandlerContext) {
        _ = self.state.observe(.peerClosed)
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    private func failResponse(_ error: any Error) {
        guard !self.answered else { return }
        self.answered = true
        self.response.fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failResponse(H2StreamError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The peer's RST_STREAM reaches the stream as this error (never as a frame): it is the
        // stream's reset.
        if error is NIOHTTP2Errors.StreamClosed {
            _ = self.state.observe(.peerReset)
            self.failResponse(H2StreamError.reset)
        } else {
            self.failResponse(error)
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.dataWriter.write(self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    /// An abort: the stream is closed without END_STREAM, which resets it.
    func skipEndStream() {
        self.outputEnded = true
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Half-closing is ending our side of the stream; a full close ends it too, first, so that a
        // stream closed after its closing handshake ends with END_STREAM rather than a reset.
        if !self.outputEnded, context.channel.isActive {
            self.outputEnded = true
            let ended = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(self.wrapOutboundOut(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true))),
                                  promise: ended)
            if mode == .output {
                ended.futureResult.cascade(to: promise)
                return
            }
            // The close follows the END_STREAM write rather than racing it.
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            ended.futureResult.whenComplete { _ in loopBound.value.close(mode: mode, promise: promise) }
            return
        } else if mode == .output {
            promise?.succeed(())
            return
        }
        context.close(mode: mode, promise: promise)
    }
}

/// The answer to an extended CONNECT: its header fields as received (pseudo-header fields first).
public struct H2Response: Sendable {
    public var fields: [(name: String, value: String)]
    /// The answer ended the stream (a refusal without a body, or with END_STREAM on its HEADERS).
    public var endStream: Bool

    /// `:status` as a number, nil when absent or not a number.
    public var status: Int? { self.fields.first { $0.name == ":status" }.flatMap { Int($0.value) } }

    public func value(_ name: String) -> String? {
        self.fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

enum H2StreamError: Error, CustomStringConvertible {
    case reset
    case closed

    var description: String {
        switch self {
        case .reset: "the server reset the stream (RST_STREAM) before answering"
        case .closed: "the stream closed before the server answered"
        }
    }
}
