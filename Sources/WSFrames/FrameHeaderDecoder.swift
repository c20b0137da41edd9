/// Decodes and validates one frame header from the bytes at the start of a buffer.
///
/// Validation is progressive: each rule is checked as soon as the bytes it needs are present, so a
/// violation is reported before the rest of the header arrives (fail fast), and the outcome does not
/// depend on how the stream was split. Decoding is pure; the parser commits message state only once
/// it consumes the header.
@usableFromInline
struct FrameHeaderDecoder {
    enum Result {
        case incomplete
        case complete(FrameHeader, headerLength: Int)
        case failed(ProtocolError)
    }

    var configuration: FrameParser.Configuration
    /// Effective per-frame limit (the configured one, possibly capped by the API in use).
    var frameLimit: UInt64
    /// The data message that later headers are validated against.
    var message: MessageState

    /// What the accepted headers so far say about the current data message.
    @usableFromInline
    struct MessageState: Sendable {
        /// A text/binary frame with FIN=0 has arrived and the final frame of its message has not.
        @usableFromInline var inProgress = false
        /// Payload bytes of the current message in the frames accepted so far.
        var bytes: UInt64 = 0

        /// Records an accepted header.
        mutating func commit(_ header: FrameHeader) {
            switch header.opcode {
            case .continuation:
                let (sum, overflow) = bytes.addingReportingOverflow(header.payloadLength)
                bytes = overflow ? .max : sum
                inProgress = !header.fin
            case .text, .binary:
                bytes = header.payloadLength
                inProgress = !header.fin
            default:
                break // control frames neither start nor end a message
            }
        }
    }

    /// `streamOffset` is the stream position of `bytes[0]`; error offsets are computed from it.
    @inline(__always)
    func decode(_ bytes: UnsafeRawBufferPointer, streamOffset: Int) -> Result {
        let count = bytes.count
        guard count >= 1 else { return .incomplete }

        // Byte 0: FIN, RSV, opcode. Violations point at this byte.
        let b0 = bytes[0]
        let fin = b0 & 0x80 != 0
        let rsv = ReservedBits(rawValue: b0 >> 4)
        let opcode = Opcode(rawValue: b0)
        if opcode.isReserved {
            return .failed(ProtocolError(.reservedOpcode(opcode), offset: streamOffset))
        }
        if !rsv.isEmpty {
            if !configuration.allowedReservedBits.isSuperset(of: rsv) {
                return .failed(ProtocolError(.reservedBitsSet(rsv, opcode: opcode), offset: streamOffset))
            }
            // permessage-deflate (RFC 7692 §6): RSV1 marks a compressed message, so it belongs on
            // the first frame of a text or binary message only.
            if rsv.contains(.rsv1), opcode != .text, opcode != .binary {
                return .failed(ProtocolError(.compressedBitMisplaced(opcode: opcode), offset: streamOffset))
            }
        }
        if opcode.isControl {
            if !fin { return .failed(ProtocolError(.fragmentedControlFrame(opcode), offset: streamOffset)) }
        } else if opcode == .continuation {
            if !message.inProgress { return .failed(ProtocolError(.unexpectedContinuation, offset: streamOffset)) }
        } else if message.inProgress {
            return .failed(ProtocolError(.expectedContinuation(got: opcode), offset: streamOffset))
        }

        // Byte 1: MASK bit and the 7-bit length.
        guard count >= 2 else { return .incomplete }
        let b1 = bytes[1]
        let masked = b1 & 0x80 != 0
        if configuration.enforceMaskDirection {
            if configuration.role == .server, !masked {
                return .failed(ProtocolError(.unmaskedFrameFromClient, offset: streamOffset &+ 1))
            }
            if configuration.role == .client, masked {
                return .failed(ProtocolError(.maskedFrameFromServer, offset: streamOffset &+ 1))
            }
        }

        // Length violations point at the first byte of the field that holds the length.
        let length: UInt64
        let encoding: LengthEncoding
        let lengthOffset: Int
        switch b1 & 0x7F {
        case 126:
            guard count >= 4 else { return .incomplete }
            length = UInt64(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            encoding = .extended16
            lengthOffset = streamOffset &+ 2
        case 127:
            guard count >= 3 else { return .incomplete }
            if bytes[2] & 0x80 != 0 {
                return .failed(ProtocolError(.lengthHighBitSet, offset: streamOffset &+ 2))
            }
            guard count >= 10 else { return .incomplete }
            length = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            encoding = .extended64
            lengthOffset = streamOffset &+ 2
        case let short:
            length = UInt64(short)
            encoding = .short
            lengthOffset = streamOffset &+ 1
        }
        if configuration.requireMinimalLength, encoding != .minimal(for: length) {
            return .failed(ProtocolError(.nonMinimalLength(length: length, encoding: encoding), offset: lengthOffset))
        }
        if opcode.isControl, length > 125 {
            return .failed(ProtocolError(.controlFrameTooLong(opcode: opcode, length: length), offset: lengthOffset))
        }
        if length > frameLimit {
            return .failed(ProtocolError(.frameTooLarge(length: length, limit: frameLimit), offset: lengthOffset))
        }
        if !opcode.isControl {
            let previous = opcode == .continuation ? message.bytes : 0
            let (total, overflow) = previous.addingReportingOverflow(length)
            let size = overflow ? UInt64.max : total
            if size > configuration.maxMessageSize {
                return .failed(ProtocolError(.messageTooLarge(size: size, limit: configuration.maxMessageSize),
                                             offset: lengthOffset))
            }
        }

        // Masking key, if any, completes the header.
        let headerLength = 2 &+ encoding.extraBytes &+ (masked ? 4 : 0)
        guard count >= headerLength else { return .incomplete }
        let key: MaskingKey? = masked
            ? MaskingKey(bytes[headerLength - 4], bytes[headerLength - 3], bytes[headerLength - 2], bytes[headerLength - 1])
            : nil
        let header = FrameHeader(fin: fin, rsv: rsv, opcode: opcode, maskingKey: key,
                                 payloadLength: length, lengthEncoding: encoding)
        return .complete(header, headerLength: headerLength)
    }
}
