/// RFC 7230 §3.2.6 character classes used by the `Sec-WebSocket-Extensions` grammar.
enum HTTPToken {
    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
    ///         / DIGIT / ALPHA
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// True for a non-empty string made only of tchar.
    static func isToken<S: StringProtocol>(_ s: S) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isTokenChar)
    }

    /// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
    static func isQuotedTextChar(_ b: UInt8) -> Bool {
        b == 0x09 || b == 0x20 || b == 0x21 || (0x23...0x5B).contains(b) || (0x5D...0x7E).contains(b) || b >= 0x80
    }

    /// The octet after a backslash in a quoted-pair: HTAB / SP / VCHAR / obs-text.
    static func isQuotedPairChar(_ b: UInt8) -> Bool {
        b == 0x09 || b == 0x20 || (0x21...0x7E).contains(b) || b >= 0x80
    }

    /// OWS = *( SP / HTAB )
    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
}
