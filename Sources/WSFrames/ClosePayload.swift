import NIOCore

/// The payload of a Close frame (RFC 6455 §5.5.1): nothing, or a 2-byte code followed by a UTF-8 reason.
public struct ClosePayload: Hashable, Sendable, CustomStringConvertible {
    /// The status code; nil for an empty payload (reported locally as 1005, no status received).
    public var code: CloseCode?
    /// The reason bytes as they are (or will be) on the wire; empty when there is no reason.
    public var reason: ByteBuffer

    public init(code: CloseCode?, reason: ByteBuffer = ByteBuffer()) {
        self.code = code
        self.reason = reason
    }

    public init(code: CloseCode, reason: String) {
        self.init(code: code, reason: ByteBuffer(string: reason))
    }

    /// The reason as text, or nil when it is not valid UTF-8.
    public var reasonText: String? {
        String(validating: reason.readableBytesView, as: UTF8.self)
    }

    /// Parses and validates a received close payload: an empty payload has no code; 1 byte is too short;
    /// the code must be valid on the wire (`CloseCode.isValidOnWire`); the reason must be valid UTF-8.
    public static func parse(_ payload: ByteBuffer) -> Result<ClosePayload, ProtocolViolation> {
        var payload = payload
        switch payload.readableBytes {
        case 0: return .success(ClosePayload(code: nil))
        case 1: return .failure(.closePayloadTooShort)
        default: break
        }
        let code = CloseCode(payload.readInteger(as: UInt16.self)!)
        guard code.isValidOnWire else { return .failure(.invalidCloseCode(code)) }
        if let offset = UTF8Validator.firstInvalidOffset(payload.readableBytesView) {
            return .failure(.invalidUTF8InCloseReason(reasonOffset: offset))
        }
        return .success(ClosePayload(code: code, reason: payload))
    }

    /// The wire form: the code in network byte order, then the reason. Writes whatever it holds,
    /// invalid codes and invalid UTF-8 included (the harness sends bad payloads on purpose). Without
    /// a code the payload is empty, and the reason is dropped since it cannot travel alone.
    public func encode() -> ByteBuffer {
        guard let code else { return ByteBuffer() }
        var out = ByteBuffer()
        out.reserveCapacity(2 + reason.readableBytes)
        out.writeInteger(code.rawValue)
        out.writeImmutableBuffer(reason)
        return out
    }

    public var description: String {
        guard let code else { return "close (no status)" }
        let text = reasonText.map { "\"\($0)\"" } ?? "<\(reason.readableBytes) bytes, not UTF-8>"
        return "close \(code) (\(code.meaning))" + (reason.readableBytes == 0 ? "" : " \(text)")
    }
}
