/// GitHub Actions workflow commands (`::error title=…::message`), escaped by the runner's rules:
/// in the message `%`, CR and LF; in properties also `:` and `,`. Other control characters (an
/// ANSI escape from a hostile peer, say) are shown as visible `\u{…}` text.
public enum WorkflowCommand {
    /// Escapes a command's message.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x25: out += "%25"
            case 0x0D: out += "%0D"
            case 0x0A: out += "%0A"
            case 0x09: out += " "
            case 0x00...0x1F, 0x7F...0x9F: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a property value (`title=`).
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s) {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.append(c)
            }
        }
        return out
    }

    /// `::<command> title=<title>::<message>`.
    public static func line(_ command: String, title: String, message: String) -> String {
        "::\(command) title=\(escapeProperty(title))::\(escapeData(message))"
    }
}
