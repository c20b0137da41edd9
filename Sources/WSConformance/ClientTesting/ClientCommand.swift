/// A `--client-cmd` command line with placeholders, filled in per case or once.
///
/// Placeholders: `{url}` (the case's `/runCase?casetuple=ID&agent=A` URL), `{case}` (the case id),
/// `{agent}`, `{base}` (the server's URL, e.g. `ws://127.0.0.1:9001`, for a client that speaks the
/// fuzzingserver protocol itself) and `{port}`. Values are inserted as single-quoted shell words;
/// a placeholder already written inside quotes (`'{url}'`, `"{url}"`) gets the bare value.
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

    /// The command line for `values` (placeholder → value).
    public func fill(_ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[open...close])] else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
                continue
            }
            let before = out.last
            let after = rest[rest.index(after: close)...].first
            if let b = before, b == after, b == "'" || b == "\"" {
                out += value
            } else {
                out += "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
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
