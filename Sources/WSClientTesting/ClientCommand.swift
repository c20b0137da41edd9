import WSCatalog

/// A `--client-cmd` command line with placeholders, filled in per case or once.
///
/// Placeholders: `{url}` (the case's `/runCase?casetuple=ID&agent=A` URL), `{case}` (the case id),
/// `{agent}`, `{base}` (the server's URL, e.g. `ws://127.0.0.1:9001`, for a client that speaks the
/// fuzzingserver protocol itself) and `{port}`. Each value stays one shell word however it is
/// written: `client {url}`, `client '{url}'` and `client "{base}/getCaseCount"` all work.
public struct ClientCommand: Sendable, Hashable {
    public var template: String

    public init(_ template: String) {
        self.template = template
    }

    public static let placeholders = ["{url}", "{case}", "{agent}", "{base}", "{port}"]

    /// Started once per case (`{url}` or `{case}`); otherwise started once and expected to speak
    /// the protocol (`{base}`, `{port}`).
    public var isPerCase: Bool { template.contains("{url}") || template.contains("{case}") }

    /// True when the template names at least one placeholder.
    public var hasPlaceholder: Bool { Self.placeholders.contains { template.contains($0) } }

    /// The command line for `values` (placeholder → value). The template is scanned with the
    /// shell's quoting rules so that each value stays one word: outside quotes it is inserted
    /// single-quoted, inside quotes escaped for that kind of quote.
    public func fill(_ values: [String: String]) -> String {
        enum Quote { case none, single, double }
        var quote = Quote.none
        var out = ""
        var i = template.startIndex
        while i < template.endIndex {
            let ch = template[i]
            if ch == "{", let close = template[i...].firstIndex(of: "}"), let value = values[String(template[i...close])] {
                switch quote {
                case .none: out += "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
                case .single: out += value.replacingOccurrences(of: "'", with: "'\\''")
                case .double:
                    for c in value {
                        if "\"$`\\".contains(c) { out.append("\\") }
                        out.append(c)
                    }
                }
                i = template.index(after: close)
                continue
            }
            switch (quote, ch) {
            case (.none, "'"): quote = .single
            case (.single, "'"): quote = .none
            case (.none, "\""): quote = .double
            case (.double, "\""): quote = .none
            case (.none, "\\"), (.double, "\\"):
                // An escaped character never opens or closes a quote.
                out.append(ch)
                i = template.index(after: i)
                if i < template.endIndex { out.append(template[i]) ; i = template.index(after: i) }
                continue
            default: break
            }
            out.append(ch)
            i = template.index(after: i)
        }
        return out
    }

    /// The values for one case against a server at `base` (`ws://host:port`).
    public static func values(base: String, port: Int, caseID: CaseID?, agent: String) -> [String: String] {
        var v = ["{base}": base, "{port}": String(port), "{agent}": agent]
        if let caseID {
            v["{case}"] = caseID.description
            v["{url}"] = "\(base)/runCase?casetuple=\(caseID)&agent=\(queryEscape(agent))"
        }
        return v
    }

    /// Percent-escapes everything but RFC 3986 unreserved characters.
    public static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
            if unreserved {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
