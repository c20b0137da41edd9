import WSEngine

/// The kinds of invalid input the network fuzzer sends, each with the close codes RFC 6455 asks a
/// peer to fail the connection with (§7.4.1; dropping TCP without a Close also passes).
public enum ViolationKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case reservedBits = "rsv"
    case reservedOpcode = "reserved-opcode"
    case fragmentedControl = "fragmented-control"
    case longControl = "long-control"
    case unexpectedContinuation = "unexpected-continuation"
    case expectedContinuation = "expected-continuation"
    case invalidUTF8 = "invalid-utf8"
    /// Invalid UTF-8 whose bad octets are split across fragments.
    case invalidUTF8Split = "invalid-utf8-split"
    case closeTooShort = "close-1-octet"
    case invalidCloseCode = "invalid-close-code"
    case invalidCloseReason = "invalid-close-reason"
    /// An unmasked frame to a server, or a masked frame to a client.
    case wrongMask = "wrong-mask"
    case nonMinimalLength = "non-minimal-length"

    public var description: String { rawValue }

    /// What the fuzzer sends unless told otherwise: everything a receiver MUST reject. A
    /// non-minimal length is a sender's fault (RFC 6455 §5.2 "MUST be used" binds the sender) that
    /// receivers may accept, as Python `websockets` and Node's `ws` do, so it is opt-in.
    public static let byDefault: [ViolationKind] = allCases.filter { $0 != .nonMinimalLength }

    /// Close codes accepted from the peer.
    public var closeCodes: [CloseCode] {
        switch self {
        case .invalidUTF8, .invalidUTF8Split, .invalidCloseReason: [.invalidPayloadData]
        default: [.protocolError]
        }
    }

    /// Where RFC 6455 says so.
    public var rfc: [String] {
        switch self {
        case .reservedBits: ["RFC 6455 §5.2"]
        case .reservedOpcode: ["RFC 6455 §5.2", "RFC 6455 §10.7"]
        case .fragmentedControl, .longControl: ["RFC 6455 §5.5"]
        case .unexpectedContinuation, .expectedContinuation: ["RFC 6455 §5.4"]
        case .invalidUTF8, .invalidUTF8Split: ["RFC 6455 §5.6", "RFC 6455 §8.1"]
        case .closeTooShort, .invalidCloseCode: ["RFC 6455 §5.5.1", "RFC 6455 §7.4"]
        case .invalidCloseReason: ["RFC 6455 §5.5.1", "RFC 6455 §8.1"]
        case .wrongMask: ["RFC 6455 §5.1"]
        case .nonMinimalLength: ["RFC 6455 §5.2"]
        }
    }
}
