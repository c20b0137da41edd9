import NIOCore
import NIOHTTP2

/// What an RFC 8441 case does to the HTTP/2 connection beside moving WebSocket octets: GOAWAY,
/// RST_STREAM with a chosen code, DATA after END_STREAM; and what the server sent on it.
extension H2Connection {
    /// The server's frames as seen on the wire so far (`H2WireFacts`).
    public var facts: H2WireFacts { self.tap.facts }

    /// False once the connection is closed, by either side.
    public var isOpen: Bool { self.channel.isActive }

    /// The HTTP/2 stream identifier of a WebSocket opened on this connection.
    public func streamID(of stream: RawConnection) async -> UInt32? {
        guard let id = try? await stream.channel.getOption(HTTP2StreamChannelOptions.streamID).get() else { return nil }
        return UInt32(Int(id))
    }

    /// Sends GOAWAY (last stream 0: the harness accepts no pushed streams); streams already open
    /// go on (RFC 9113 §6.8).
    public func sendGoAway(code: UInt32) async {
        let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .rootStream, errorCode: HTTP2ErrorCode(networkCode: Int(code)), opaqueData: nil))
        _ = try? await self.channel.writeAndFlush(frame).get()
    }

    /// Resets a stream with this error code (RST_STREAM), whatever is half-written on it.
    public func reset(_ stream: RawConnection, code: UInt32) async {
        stream.state.observe(.localAborted)
        let channel = stream.channel
        let written = try? await channel.eventLoop.submit { () throws -> EventLoopFuture<Void> in
            let context = try channel.pipeline.syncOperations.context(handlerType: H2StreamEdgeHandler.self)
            (context.handler as? H2StreamEdgeHandler)?.skipEndStream()
            let promise = channel.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(NIOAny(HTTP2Frame.FramePayload.rstStream(HTTP2ErrorCode(networkCode: Int(code)))), promise: promise)
            return promise.futureResult
        }.get()
        _ = try? await written?.get()
    }

    /// Ends the harness's side of the stream (END_STREAM), then writes a DATA frame with `payload`
    /// on it anyway, past NIO's state machine (RFC 9113 §5.1: the server must answer with a stream
    /// error, or a connection error, of type STREAM_CLOSED).
    public func endStreamThenData(_ stream: RawConnection, payload: [UInt8]) async {
        guard let id = await self.streamID(of: stream) else { return }
        _ = try? await stream.channel.close(mode: .output).get()
        await self.writeRaw(H2WireTap.frame(type: 0, flags: 0, stream: id, payload: payload))
    }

    /// Octets written beneath the HTTP/2 handler, as they are.
    func writeRaw(_ bytes: ByteBuffer) async {
        let channel = self.channel
        let tap = self.tap
        let written = try? await channel.eventLoop.submit { () throws -> EventLoopFuture<Void> in
            let context = try channel.pipeline.syncOperations.context(handler: tap)
            let promise = channel.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(NIOAny(bytes), promise: promise)
            return promise.futureResult
        }.get()
        _ = try? await written?.get()
    }
}
