/// Why a permessage-deflate offer or response is invalid or cannot be accepted (RFC 7692 §7.1).
/// A server declines an offer with any of these; a client fails the connection on a response with any.
public enum PerMessageDeflateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The element names another extension.
    case notPerMessageDeflate(extensionName: String)
    /// A parameter RFC 7692 does not define (for this direction).
    case unknownParameter(String)
    case duplicateParameter(String)
    /// `server_no_context_takeover` / `client_no_context_takeover` carry no value.
    case unexpectedValue(parameter: String, value: String)
    /// `server_max_window_bits` always needs a value; `client_max_window_bits` needs one in a response.
    case missingValue(parameter: String)
    /// Window bits must be a decimal 8...15 without leading zeros or sign (RFC 7692 §7.1.2).
    case invalidWindowBits(parameter: String, value: String)
    /// The response has `client_max_window_bits` but the offer had not (§7.1.2.2).
    case unsolicitedClientMaxWindowBits
    /// The response allows the client a larger window than the offer announced (§7.1.2.2).
    case clientMaxWindowBitsAboveOffer(offered: Int, received: Int)
    /// The response's `server_max_window_bits` is larger than the offer asked for (§7.1.2.1).
    case serverMaxWindowBitsAboveOffer(offered: Int, received: Int)
    /// The offer asked for `server_no_context_takeover` and the response accepted it without (§7.1.1.1).
    case serverNoContextTakeoverNotAcknowledged
    /// The offer asked for `server_max_window_bits` and the response accepted it without (§7.1.2.1).
    case serverMaxWindowBitsNotAcknowledged(offered: Int)
    /// Our compressor would be limited to a 256-byte window, which this side is configured not to
    /// support (zlib cannot raw-deflate with window bits 8; see `WindowBits8Support`).
    case windowBits8Unsupported(parameter: String)
    /// The server's configuration asks the client to limit its window, but the offer did not allow it.
    case clientCannotLimitWindow

    public var description: String {
        switch self {
        case let .notPerMessageDeflate(name): "'\(name)' is not permessage-deflate"
        case let .unknownParameter(name): "unknown parameter '\(name)'"
        case let .duplicateParameter(name): "duplicate parameter '\(name)'"
        case let .unexpectedValue(name, value): "'\(name)' takes no value (got '\(value)')"
        case let .missingValue(name): "'\(name)' needs a value"
        case let .invalidWindowBits(name, value): "'\(name)=\(value)': window bits must be a decimal 8...15 without leading zeros"
        case .unsolicitedClientMaxWindowBits: "response has client_max_window_bits but the offer had not"
        case let .clientMaxWindowBitsAboveOffer(offered, received): "response client_max_window_bits=\(received) exceeds the offered \(offered)"
        case let .serverMaxWindowBitsAboveOffer(offered, received): "response server_max_window_bits=\(received) exceeds the offered \(offered)"
        case .serverNoContextTakeoverNotAcknowledged: "offer asked for server_no_context_takeover, the response lacks it"
        case let .serverMaxWindowBitsNotAcknowledged(offered): "offer asked for server_max_window_bits=\(offered), the response lacks it"
        case let .windowBits8Unsupported(name): "\(name)=8 would limit our compressor to window bits 8, which is not supported"
        case .clientCannotLimitWindow: "the offer has no client_max_window_bits, so the client's window cannot be limited"
        }
    }
}
