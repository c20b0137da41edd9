/// Everything the engine can reject in what a peer sent after the opening handshake. Each case maps
/// to the close code RFC 6455 asks for when failing the connection (§7.4.1, §8.1, §10.4).
public enum ProtocolViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// RSV bits set that no negotiated extension defines (the bits are given as on the wire).
    case reservedBitsSet(ReservedBits, opcode: Opcode)
    case reservedOpcode(Opcode)
    case controlFrameTooLong(opcode: Opcode, length: UInt64)
    case fragmentedControlFrame(Opcode)
    /// A continuation frame arrived while no fragmented message was in progress.
    case unexpectedContinuation
    /// A text or binary frame arrived while a fragmented message was still in progress.
    case expectedContinuation(got: Opcode)
    /// The most significant bit of a 64-bit payload length was set.
    case lengthHighBitSet
    /// The length was written in a longer form than needed (e.g. 126 + 16-bit length for 5 bytes).
    case nonMinimalLength(length: UInt64, encoding: LengthEncoding)
    case unmaskedFrameFromClient
    case maskedFrameFromServer
    case frameTooLarge(length: UInt64, limit: UInt64)
    case messageTooLarge(size: UInt64, limit: UInt64)
    /// Invalid UTF-8 in a text message (offset within the message payload).
    case invalidUTF8InText(messageOffset: Int)
    /// Invalid UTF-8 in a close reason (offset within the reason).
    case invalidUTF8InCloseReason(reasonOffset: Int)
    /// A close payload of exactly 1 byte (a code needs 2).
    case closePayloadTooShort
    case invalidCloseCode(CloseCode)
    /// RSV1 on a continuation frame or a control frame while permessage-deflate is active.
    case compressedBitMisplaced(opcode: Opcode)
    /// The compressed payload could not be inflated.
    case invalidCompressedData(String)
    /// A data frame arrived after the peer's Close.
    case frameAfterClose(Opcode)

    /// The close code to fail the connection with.
    public var closeCode: CloseCode {
        switch self {
        case .invalidUTF8InText, .invalidUTF8InCloseReason: .invalidPayloadData
        case .frameTooLarge, .messageTooLarge: .messageTooBig
        default: .protocolError
        }
    }

    public var description: String {
        switch self {
        case let .reservedBitsSet(bits, op): "reserved bits \(bits) set on a \(op) frame without a negotiated extension"
        case let .reservedOpcode(op): "reserved opcode \(op)"
        case let .controlFrameTooLong(op, len): "\(op) frame with a \(len)-byte payload (control frames carry at most 125)"
        case let .fragmentedControlFrame(op): "fragmented \(op) frame (control frames must have FIN set)"
        case .unexpectedContinuation: "continuation frame without a message in progress"
        case let .expectedContinuation(op): "\(op) frame while a fragmented message was in progress (expected continuation)"
        case .lengthHighBitSet: "64-bit payload length with the most significant bit set"
        case let .nonMinimalLength(len, enc): "payload length \(len) written in the non-minimal \(enc) form"
        case .unmaskedFrameFromClient: "unmasked frame from a client"
        case .maskedFrameFromServer: "masked frame from a server"
        case let .frameTooLarge(len, limit): "frame payload of \(len) bytes exceeds the limit of \(limit)"
        case let .messageTooLarge(size, limit): "message of at least \(size) bytes exceeds the limit of \(limit)"
        case let .invalidUTF8InText(off): "invalid UTF-8 in a text message at byte \(off) of the message"
        case let .invalidUTF8InCloseReason(off): "invalid UTF-8 in a close reason at byte \(off) of the reason"
        case .closePayloadTooShort: "close frame with a 1-byte payload"
        case let .invalidCloseCode(code): "invalid close code \(code)"
        case let .compressedBitMisplaced(op): "RSV1 (compressed) set on a \(op) frame"
        case let .invalidCompressedData(why): "invalid compressed data: \(why)"
        case let .frameAfterClose(op): "\(op) frame after the peer's close frame"
        }
    }
}

/// A violation together with where it was found: `offset` counts bytes from the start of the
/// stream fed to the engine (after the opening handshake), pointing at the offending byte.
public struct ProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    public var violation: ProtocolViolation
    public var offset: Int

    public init(_ violation: ProtocolViolation, offset: Int) {
        self.violation = violation
        self.offset = offset
    }

    public var closeCode: CloseCode { violation.closeCode }
    public var description: String { "\(violation) (close \(closeCode), stream offset \(offset))" }
}
