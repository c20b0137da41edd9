import NIOCore
import NIOEmbedded
import NIOWebSocket

/// The reference path: SwiftNIO's `WebSocketFrameDecoder` behind a `ByteToMessageHandler` in an
/// `EmbeddedChannel`, as a NIO server would run it, reading each frame's `unmaskedData`.
final class NIODecoder {
    private let channel: EmbeddedChannel

    init(maxFrameSize: Int) {
        channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxFrameSize)))
    }

    deinit {
        _ = try? channel.finish()
    }

    /// Writes `bytes` inbound and returns the digests of all frames the decoder produced.
    func decode(_ bytes: ByteBuffer) throws -> UInt64 {
        try channel.writeInbound(bytes)
        var sum: UInt64 = 0
        while let frame = try channel.readInbound(as: WebSocketFrame.self) {
            sum &+= digest(frame.unmaskedData)
        }
        return sum
    }

    /// Writes `bytes` inbound and returns the unmasked payloads, for checking correctness once.
    func payloads(_ bytes: ByteBuffer) throws -> [ByteBuffer] {
        try channel.writeInbound(bytes)
        var result: [ByteBuffer] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) {
            result.append(frame.unmaskedData)
        }
        return result
    }
}
