/// Escaping for text placed in a GitHub-flavoured Markdown table cell: Markdown punctuation is
/// backslash-escaped, `<`, `>`, `&` and `@` become entities (no HTML, no mentions), line breaks
/// become spaces and control characters visible `\u{…}` text.
public enum Markdown {
    /// The escaped cell text, cut after `limit` characters.
    public static func cell(_ s: String, limit: Int = 300) -> String {
        var out = ""
        var count = 0
        for scalar in s.unicodeScalars {
            if count >= limit { out += "…"; break }
            count += 1
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!", "(", ")": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "@": out += "&#64;"
            case "\n", "\r", "\t": out += " "
            case let c where c.value < 0x20 || (0x7F...0x9F).contains(c.value):
                out += "\\\\u{" + String(c.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
