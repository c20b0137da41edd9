import NIOCore
import WSEngine

/// Our path: one long-lived server-role `FrameParser` fed whole buffers and drained with `nextFrame()`.
///
/// The parser is a stored property of a class, as it would be in a channel handler. Every mutating call
/// on such a property costs a dynamic exclusivity check (`swift_beginAccess`, ~20 ns here), so the
/// parser is drained through one `inout` access per batch instead of one access per frame.
final class EngineDecoder {
    private var parser: FrameParser

    init(maxFrameSize: UInt64) {
        parser = FrameParser(configuration: .init(role: .server, maxFrameSize: maxFrameSize,
                                                  maxMessageSize: maxFrameSize))
    }

    /// Appends `bytes` and returns the digests of all frames that became complete.
    func decode(_ bytes: ByteBuffer) throws -> UInt64 {
        try Self.drain(&parser, appending: bytes)
    }

    /// Appends `bytes` and returns the unmasked payloads, for checking correctness once.
    func payloads(_ bytes: ByteBuffer) throws -> [ByteBuffer] {
        parser.append(bytes)
        var result: [ByteBuffer] = []
        while let frame = try parser.nextFrame() {
            result.append(frame.payload)
        }
        return result
    }

    private static func drain(_ parser: inout FrameParser, appending bytes: ByteBuffer) throws -> UInt64 {
        parser.append(bytes)
        var sum: UInt64 = 0
        while let frame = try parser.nextFrame() {
            sum &+= digest(frame.payload)
        }
        return sum
    }
}
