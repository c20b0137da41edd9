/// Escaping for XML 1.0 text and attribute values. Characters XML 1.0 forbids (most C0 controls,
/// U+FFFE, U+FFFF) cannot be written even as character references, so they become visible text
/// (`\u{1B}`); C1 controls are shown the same way because no report reader wants them raw.
public enum XMLText {
    /// Escaped text for element content, or (`attribute`) for a double-quoted attribute value.
    public static func escape(_ s: String, attribute: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22 where attribute: out += "&quot;"
            case 0x27 where attribute: out += "&apos;"
            // Attribute-value normalization would turn these into spaces.
            case 0x09 where attribute: out += "&#9;"
            case 0x0A where attribute: out += "&#10;"
            case 0x0D: out += "&#13;"
            case 0x09, 0x0A: out.unicodeScalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
