/// Escaping for HTML text and attribute values. Every string that came from a result file (and so,
/// possibly, from a hostile peer: close reasons, headers, payloads, agent names) goes through
/// `escape` before it reaches the page. Control characters become visible `\u{…}` text.
public enum HTMLText {
    /// Text safe in element content and in quoted attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x09, 0x0A: out.unicodeScalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Octets (as lowercase hex) as printable ASCII, `.` for the rest: the text column of a hex dump.
    public static func asciiOfHex(_ hex: String) -> String {
        var out = ""
        var chars = hex.makeIterator()
        while let a = chars.next(), let b = chars.next() {
            guard let byte = UInt8(String([a, b]), radix: 16) else { return out }
            out.append((0x20..<0x7F).contains(byte) ? Character(Unicode.Scalar(byte)) : ".")
        }
        return out
    }

    /// Hex in groups of two digits separated by spaces, so long runs wrap.
    public static func spacedHex(_ hex: String) -> String {
        var out = ""
        out.reserveCapacity(hex.count * 3 / 2)
        for (i, c) in hex.enumerated() {
            if i > 0 && i % 2 == 0 { out.append(" ") }
            out.append(c)
        }
        return out
    }
}

/// `h("…")`: shorthand for escaped text inside the HTML writers.
@inline(__always) func h(_ s: String) -> String { HTMLText.escape(s) }
