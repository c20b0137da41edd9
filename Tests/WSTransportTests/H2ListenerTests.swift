import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Testing
import WSEngine
import WSFrames
@testable import WSTransport

/// The HTTP/2 listener (RFC 8441 server role) against a client that is not ours: a bare
/// swift-nio-http2 client with its default DoS limits (it ends the connection with GOAWAY
/// ENHANCE_YOUR_CALM after two empty DATA frames in a row), which records every frame of its stream.
@Suite("HTTP/2 listener: extended CONNECT served to a strict swift-nio-http2 client", .timeLimit(.minutes(1)))
struct H2ListenerTests {
    /// Frames the client's stream received, and promises for the answer and the server's END_STREAM.
    final class StreamRecorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTP2Frame.FramePayload
        let frames = NIOLockedValueBox<[HTTP2Frame.FramePayload]>([])
        let answered: EventLoopPromise<HPACKHeaders>
        let ended: EventLoopPromise<Void>

        init(loop: any EventLoop) {
            self.answered = loop.makePromise()
            self.ended = loop.makePromise()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let payload = self.unwrapInboundIn(data)
            self.frames.withLockedValue { $0.append(payload) }
            switch payload {
            case let .headers(h): self.answered.succeed(h.headers)
            case let .data(d) where d.endStream: self.ended.succeed(())
            default: break
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            self.answered.fail(error)
            self.ended.fail(error)
        }

        func channelInactive(context: ChannelHandlerContext) {
            self.answered.fail(ChannelError.eof)
            self.ended.fail(ChannelError.eof)
        }
    }

    @Test("A 200 without Accept opens the stream; echoes and the closing handshake come back as DATA, then END_STREAM, never an empty DATA frame without it")
    func strictClient() async throws {
        let listener = try await RawListener.bind(http2: true)
        // The server above the listener: the engine's HTTP/1.1 handshake, an echo of one frame, the
        // Close answered, then the barrier writes and the close that once sent empty DATA frames.
        let serving = Task {
            let raw = try await listener.accept(until: .now + .seconds(10))
            #expect(raw.isHTTP2Stream)
            let session = try await WebSocketSession.accept(raw)
            while true {
                switch await session.next(until: .now + .seconds(5)) {
                case let .event(.message(kind, payload)):
                    try await session.send(kind == .text ? .text : .binary, payload)
                    await raw.writesDone()
                case .event(.closeReceived):
                    await session.finish()
                    return
                case .event: continue
                case .ended, .timeout: return
                }
            }
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let peer = H2PeerState()
        let connection = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    var configuration = NIOHTTP2Handler.ConnectionConfiguration()
                    configuration.headerBlockValidation = .disabled  // :protocol before the server's SETTINGS arrive
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: configuration, streamConfiguration: .init(),
                        inboundStreamInitializer: { $0.close() })
                    try channel.pipeline.syncOperations.addHandler(H2RootHandler(peer: peer))
                }
            }
            .connect(host: "127.0.0.1", port: listener.port).get()
        defer { connection.close(promise: nil) }
        let multiplexer = try await connection.pipeline.handler(type: NIOHTTP2Handler.self).flatMapThrowing { try $0.syncMultiplexer() }.get()
        let recorder = StreamRecorder(loop: connection.eventLoop)
        let stream = try await multiplexer.createStreamChannel { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(recorder) }
        }.get()
        // RFC 8441 §3: no extended CONNECT before the server's SETTINGS enabled it (the server
        // applies its own setting once the client acknowledged it, which follows that SETTINGS).
        #expect(await peer.settings(by: .now + .seconds(5), on: connection.eventLoop) == true)
        let request = HPACKHeaders([(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/"),
                                    (":authority", "127.0.0.1:\(listener.port)"), ("sec-websocket-version", "13")])
        try await stream.writeAndFlush(HTTP2Frame.FramePayload.headers(.init(headers: request))).get()
        let answer = try await recorder.answered.futureResult.get()
        #expect(answer.first(name: ":status") == "200")
        #expect(answer.first(name: "sec-websocket-accept") == nil && answer.first(name: "upgrade") == nil)

        func send(_ frame: Frame) async throws {
            try await stream.writeAndFlush(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(FrameWriter.bytes(frame))))).get()
        }
        let key = MaskingKey(0x12, 0x34, 0x56, 0x78)
        for text in ["hello", "again"] {
            try await send(Frame(fin: true, opcode: .text, maskingKey: key, payload: ByteBuffer(string: text)))
        }
        try await send(Frame(fin: true, opcode: .close, maskingKey: key, payload: ByteBuffer(bytes: [0x03, 0xE8])))
        let timer = connection.eventLoop.scheduleTask(in: .seconds(5)) { recorder.ended.fail(ChannelError.connectTimeout(TimeAmount.seconds(5))) }
        try await recorder.ended.futureResult.get()
        timer.cancel()
        try await serving.value

        let data = recorder.frames.withLockedValue { $0 }.compactMap { frame -> HTTP2Frame.FramePayload.Data? in
            if case let .data(d) = frame { d } else { nil }
        }
        let empty = data.filter { $0.data.readableBytes == 0 && !$0.endStream }
        #expect(empty.isEmpty, "\(empty.count) empty DATA frames without END_STREAM")
        var octets: [UInt8] = []
        for d in data { if case let .byteBuffer(b) = d.data { octets += b.readableBytesView } }
        let echoed: [UInt8] = [0x81, 0x05] + Array("hello".utf8) + [0x81, 0x05] + Array("again".utf8) + [0x88, 0x02, 0x03, 0xE8]
        #expect(octets == echoed)
        #expect(data.last?.endStream == true)
        await listener.close()
    }
}
