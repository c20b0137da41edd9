import NIOCore

/// Writes frames exactly as described (RFC 6455 §5.2), including any FIN/RSV/opcode combination and,
/// through `FrameViolations`, lengths and mask bits that no valid peer would send. The payload is
/// masked with the frame's `maskingKey` when it has one; the frame itself is never mutated.
public enum FrameWriter {
    /// The largest possible header: 2 bytes, a 64-bit length and a masking key.
    public static let maximumHeaderLength = 14

    /// Writes `frame`'s header and payload.
    public static func write(_ frame: Frame, violations: FrameViolations = .none, into buffer: inout ByteBuffer) {
        let key = writeHeader(frame.header, violations: violations, into: &buffer)
        writePayload(frame.payload, maskingKey: key, into: &buffer)
    }

    /// Returns `frame` on the wire in a buffer of its own.
    public static func bytes(_ frame: Frame, violations: FrameViolations = .none) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: maximumHeaderLength + frame.payload.readableBytes)
        write(frame, violations: violations, into: &buffer)
        return buffer
    }

    /// Writes only a header, for payloads streamed afterwards with `writePayload` (or sent short or
    /// long on purpose). `header.lengthEncoding` is honoured unless `violations` forces another.
    ///
    /// - Returns: The key the payload must be masked with (nil: send it as is). It differs from
    ///   `header.maskingKey` under `maskBitWithoutKey`, and under `maskKeyWithoutBit` without a key.
    @discardableResult
    public static func writeHeader(_ header: FrameHeader, violations: FrameViolations = .none,
                                   into buffer: inout ByteBuffer) -> MaskingKey? {
        var key: MaskingKey?
        // One write of the whole header: each ByteBuffer write is a capacity check plus a runtime
        // exclusivity check, which cost more than composing the bytes.
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximumHeaderLength) { out in
            let written = writeHeader(header, violations: violations, to: out)
            key = written.key
            return written.count
        }
        return key
    }

    /// Writes the same header bytes as `writeHeader(_:violations:into:)` to the start of
    /// `destination`, which must hold `maximumHeaderLength` bytes: for callers that own the memory.
    ///
    /// - Returns: The bytes written, and the key the payload must be masked with.
    public static func writeHeader(_ header: FrameHeader, violations: FrameViolations = .none,
                                   to destination: UnsafeMutableRawBufferPointer) -> (count: Int, key: MaskingKey?) {
        precondition(destination.count >= maximumHeaderLength, "a header needs \(maximumHeaderLength) bytes of room")
        let length = violations.declaredLength ?? header.payloadLength
        let encoding = violations.lengthEncoding
            ?? (violations.declaredLength == nil ? header.lengthEncoding : .minimal(for: length))
        switch encoding {
        case .short: precondition(length <= 125, "a \(length)-byte length does not fit the 7-bit form")
        case .extended16: precondition(length <= 0xFFFF, "a \(length)-byte length does not fit the 16-bit form")
        case .extended64: break
        }

        precondition(!(violations.maskBitWithoutKey && violations.maskKeyWithoutBit),
                     "maskBitWithoutKey and maskKeyWithoutBit contradict each other")
        let key: MaskingKey?
        let maskBit: Bool
        if violations.maskBitWithoutKey {
            (key, maskBit) = (nil, true)
        } else if violations.maskKeyWithoutBit {
            (key, maskBit) = (header.maskingKey ?? .random(), false)
        } else {
            (key, maskBit) = (header.maskingKey, header.maskingKey != nil)
        }

        let maskFlag: UInt8 = maskBit ? 0x80 : 0
        let lengthBytes = encoding.extraBytes
        destination[0] = (header.fin ? 0x80 : 0) | header.rsv.rawValue << 4 | header.opcode.rawValue
        switch encoding {
        case .short: destination[1] = maskFlag | UInt8(length)
        case .extended16: destination[1] = maskFlag | 126
        case .extended64: destination[1] = maskFlag | 127
        }
        // Big-endian length in bytes 2 ..< 2 + lengthBytes.
        for i in 0..<lengthBytes {
            destination[2 + i] = UInt8(truncatingIfNeeded: length >> (8 * (lengthBytes - 1 - i)))
        }
        var count = 2 + lengthBytes
        if let key {
            (destination[count], destination[count + 1], destination[count + 2], destination[count + 3]) =
                (key.b0, key.b1, key.b2, key.b3)
            count += 4
        }
        return (count, key)
    }

    /// Writes payload bytes, masked with `maskingKey` when given. `phase` is the position of the first
    /// byte within the key cycle (the payload offset modulo 4), for payloads written in pieces.
    public static func writePayload(_ payload: ByteBuffer, maskingKey: MaskingKey?, phase: Int = 0,
                                    into buffer: inout ByteBuffer) {
        guard let key = maskingKey else {
            buffer.writeImmutableBuffer(payload)
            return
        }
        let count = payload.readableBytes
        guard count > 0 else { return }
        _ = payload.withUnsafeReadableBytes { source in
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { destination in
                Masking.copy(from: source, to: destination, key: key, phase: phase)
                return count
            }
        }
    }
}
