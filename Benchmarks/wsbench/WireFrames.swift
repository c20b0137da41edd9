import NIOCore
import WSRandom

/// Builds client-to-server (masked) binary frames byte by byte, independently of the engine's writer,
/// so the benchmark inputs do not depend on the code under test.
enum WireFrames {
    /// Appends one final, masked binary frame with a minimal length field.
    static func appendMaskedBinary(_ payload: [UInt8], key: [UInt8], to buffer: inout ByteBuffer) {
        precondition(key.count == 4)
        buffer.writeInteger(UInt8(0x82)) // FIN + binary
        switch payload.count {
        case 0...125:
            buffer.writeInteger(UInt8(0x80 | payload.count))
        case 126...0xFFFF:
            buffer.writeInteger(UInt8(0x80 | 126))
            buffer.writeInteger(UInt16(payload.count))
        default:
            buffer.writeInteger(UInt8(0x80 | 127))
            buffer.writeInteger(UInt64(payload.count))
        }
        buffer.writeBytes(key)
        buffer.writeBytes(payload.enumerated().map { index, byte in byte ^ key[index & 3] })
    }

    /// `count` masked frames, each carrying `payload` under its own key from `generator`.
    static func maskedStream(count: Int, payload: [UInt8], generator: inout DeterministicRandom) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: count * (payload.count + 14))
        for _ in 0..<count {
            appendMaskedBinary(payload, key: generator.bytes(4), to: &buffer)
        }
        return buffer
    }
}
