import WSFrames

/// An independent, deliberately plain restatement of the RFC 6455 §5.2 header rules that
/// `FrameParser` enforces, used as the fuzzing oracle: every header the parser accepts must break
/// none of them, every error it reports must be one of the violations present, and (fail fast) it
/// must not wait for more bytes once those it has show a violation.
struct FrameHeaderModel {
    enum Verdict: Equatable {
        /// More bytes are needed and nothing seen so far is wrong.
        case needMore
        /// A complete, valid header of `length` bytes.
        case valid(FrameHeader, length: Int)
        /// Every violation the available bytes already show (in no particular order).
        case invalid([ProtocolError])
    }

    let configuration: FrameParser.Configuration
    /// The effective per-frame limit (`nextFrame()` caps the configured one).
    let frameLimit: UInt64
    private(set) var messageInProgress = false
    private(set) var messageBytes: UInt64 = 0

    init(configuration: FrameParser.Configuration, frameLimit: UInt64) {
        self.configuration = configuration
        self.frameLimit = frameLimit
    }

    /// Judges the header starting at `bytes.first` (stream offset `offset`), from the bytes present.
    func judge(_ bytes: ArraySlice<UInt8>, offset: Int) -> Verdict {
        bytes.withUnsafeBytes { judge($0, offset: offset) }
    }

    /// Judges the header starting at `bytes[0]` (stream offset `offset`), from the bytes present.
    @inline(__always) // called per frame and per chunk: out of line, callers copy the model first
    func judge(_ bytes: UnsafeRawBufferPointer, offset: Int) -> Verdict {
        var found: [ProtocolError] = []
        let verdict = judge(bytes, offset: offset) { found.append($0) }
        return verdict == .invalid([]) ? .invalid(found) : verdict
    }

    /// Judges the header as `judge(_:offset:)` does, but hands each violation to `violation` and
    /// returns `.invalid([])` for them: no allocation, for the fuzz targets' check of every error.
    @inline(__always)
    func judge(_ bytes: UnsafeRawBufferPointer, offset: Int, violation: (ProtocolError) -> Void) -> Verdict {
        let count = min(bytes.count, 14)
        guard count > 0 else { return .needMore }
        let b0 = bytes[0]
        var any = false
        func add(_ kind: ProtocolViolation, at position: Int) {
            any = true
            violation(ProtocolError(kind, offset: offset + position))
        }

        let fin = b0 & 0x80 != 0
        let rsv = ReservedBits(rawValue: (b0 >> 4) & 7)
        let opcode = Opcode(rawValue: b0 & 0x0F)
        let isControl = b0 & 0x08 != 0
        switch b0 & 0x0F {
        case 3...7, 11...15: add(.reservedOpcode(opcode), at: 0)
        default: break
        }
        if rsv.rawValue & ~configuration.allowedReservedBits.rawValue != 0 {
            add(.reservedBitsSet(rsv, opcode: opcode), at: 0)
        } else if rsv.contains(.rsv1) && opcode != .text && opcode != .binary {
            add(.compressedBitMisplaced(opcode: opcode), at: 0)
        }
        if isControl && !fin { add(.fragmentedControlFrame(opcode), at: 0) }
        if opcode == .continuation && !messageInProgress { add(.unexpectedContinuation, at: 0) }
        if (opcode == .text || opcode == .binary) && messageInProgress { add(.expectedContinuation(got: opcode), at: 0) }

        guard count >= 2 else { return any ? .invalid([]) : .needMore }
        let masked = bytes[1] & 0x80 != 0
        if configuration.enforceMaskDirection {
            if configuration.role == .server && !masked { add(.unmaskedFrameFromClient, at: 1) }
            if configuration.role == .client && masked { add(.maskedFrameFromServer, at: 1) }
        }

        let length: UInt64, encoding: LengthEncoding, lengthAt: Int
        switch bytes[1] & 0x7F {
        case 126:
            guard count >= 4 else { return any ? .invalid([]) : .needMore }
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            (encoding, lengthAt) = (.extended16, 2)
        case 127:
            if count >= 3 && bytes[2] >= 0x80 { add(.lengthHighBitSet, at: 2) }
            guard count >= 10, bytes[2] < 0x80 else { return any ? .invalid([]) : .needMore }
            length = (2..<10).reduce(0) { $0 << 8 | UInt64(bytes[$1]) }
            (encoding, lengthAt) = (.extended64, 2)
        default:
            length = UInt64(bytes[1] & 0x7F)
            (encoding, lengthAt) = (.short, 1)
        }
        let minimal: LengthEncoding = length < 126 ? .short : (length < 65536 ? .extended16 : .extended64)
        if configuration.requireMinimalLength && encoding != minimal {
            add(.nonMinimalLength(length: length, encoding: encoding), at: lengthAt)
        }
        if isControl && length > 125 { add(.controlFrameTooLong(opcode: opcode, length: length), at: lengthAt) }
        if length > frameLimit { add(.frameTooLarge(length: length, limit: frameLimit), at: lengthAt) }
        if !isControl {
            let before = opcode == .continuation ? messageBytes : 0
            let size = before > UInt64.max - length ? UInt64.max : before + length
            if size > configuration.maxMessageSize {
                add(.messageTooLarge(size: size, limit: configuration.maxMessageSize), at: lengthAt)
            }
        }
        if any { return .invalid([]) }

        let headerLength = 2 + (encoding == .short ? 0 : encoding == .extended16 ? 2 : 8) + (masked ? 4 : 0)
        guard count >= headerLength else { return .needMore }
        let key = masked ? MaskingKey(bytes[headerLength - 4], bytes[headerLength - 3], bytes[headerLength - 2],
                                      bytes[headerLength - 1]) : nil
        return .valid(FrameHeader(fin: fin, rsv: rsv, opcode: opcode, maskingKey: key, payloadLength: length,
                                  lengthEncoding: encoding), length: headerLength)
    }

    /// Records an accepted header: data frames start, continue or end a message.
    mutating func accept(_ header: FrameHeader) {
        switch header.opcode {
        case .text, .binary:
            messageInProgress = !header.fin
            messageBytes = header.payloadLength
        case .continuation:
            messageInProgress = !header.fin
            messageBytes = messageBytes > UInt64.max - header.payloadLength ? .max : messageBytes + header.payloadLength
        default:
            break
        }
    }
}
