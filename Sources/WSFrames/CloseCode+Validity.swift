/// Which close codes may appear in a Close frame (RFC 6455 §7.4, §7.4.2 and the IANA
/// "WebSocket Close Code Number Registry").
extension CloseCode {
    /// True when the code may be sent or received in a Close frame: 1000–1003, 1007–1014, 3000–4999.
    ///
    /// 1004 is reserved, 1005/1006/1015 are for local reporting only, the rest of 1000–2999 is reserved
    /// for future RFCs, and 0–999 and 5000+ are not used. 1012–1014 are IANA-registered (service restart,
    /// try again later, bad gateway) and so valid, although Autobahn's fuzzer rejects them.
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    /// A short name for the code (its registered name, or the range it falls in).
    public var meaning: String {
        switch rawValue {
        case 1000: "normal closure"
        case 1001: "going away"
        case 1002: "protocol error"
        case 1003: "unsupported data"
        case 1004: "reserved"
        case 1005: "no status received"
        case 1006: "abnormal closure"
        case 1007: "invalid payload data"
        case 1008: "policy violation"
        case 1009: "message too big"
        case 1010: "mandatory extension"
        case 1011: "internal error"
        case 1012: "service restart"
        case 1013: "try again later"
        case 1014: "bad gateway"
        case 1015: "TLS handshake failure"
        case 0...999: "unused"
        case 1016...2999: "reserved for the WebSocket protocol"
        case 3000...3999: "registered for libraries and frameworks"
        case 4000...4999: "private use"
        default: "undefined"
        }
    }
}
