/// A JSON value whose objects keep their keys in the order written, so result files read in a
/// fixed, documented order; `sortedKeys` renders Autobahn's sorted style instead.
public indirect enum JSONNode: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])
    /// JSON text already rendered (a stored case object), written as is.
    case raw(String)

    /// `nil` becomes `null`.
    public static func optional(_ s: String?) -> JSONNode { s.map(JSONNode.string) ?? .null }
    public static func optional(_ i: Int?) -> JSONNode { i.map(JSONNode.int) ?? .null }

    /// Renders the value. `indent` 0 writes one line (for JSON Lines); otherwise each element goes on
    /// its own line with that many spaces per level and `": "` after keys, like Python's
    /// `json.dumps(indent=n, separators=(',', ': '))`.
    public func render(indent: Int = 0, sortedKeys: Bool = false) -> String {
        var out = ""
        write(&out, indent: indent, level: 0, sorted: sortedKeys)
        return out
    }

    private func write(_ out: inout String, indent: Int, level: Int, sorted: Bool) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += d.isFinite ? String(d) : "null"
        case let .string(s): JSONNode.quote(s, into: &out)
        case let .raw(text): out += text
        case let .array(items):
            writeList(items.map { (nil, $0) }, open: "[", close: "]", &out, indent, level, sorted)
        case let .object(pairs):
            let ordered = sorted ? pairs.sorted { $0.0 < $1.0 } : pairs
            writeList(ordered.map { (Optional($0.0), $0.1) }, open: "{", close: "}", &out, indent, level, sorted)
        }
    }

    private func writeList(_ items: [(String?, JSONNode)], open: String, close: String, _ out: inout String,
                           _ indent: Int, _ level: Int, _ sorted: Bool) {
        out += open
        guard !items.isEmpty else { out += close; return }
        let pad = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
        for (i, (key, value)) in items.enumerated() {
            if i > 0 { out += "," }
            out += pad
            if let key {
                JSONNode.quote(key, into: &out)
                out += indent > 0 ? ": " : ":"
            }
            value.write(&out, indent: indent, level: level + 1, sorted: sorted)
        }
        if indent > 0 { out += "\n" + String(repeating: " ", count: indent * level) }
        out += close
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
