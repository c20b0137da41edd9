import Foundation

/// JSON to write: objects keep the key order given, or sort keys as strings (Autobahn's style, and
/// Python's `sort_keys`: by Unicode code point).
public indirect enum OrderedJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])
    /// JSON text already rendered (a stored case object), written as is.
    case raw(String)

    /// The value, or `null` for nil.
    public static func optional(_ s: String?) -> OrderedJSON { s.map(OrderedJSON.string) ?? .null }
    public static func optional(_ i: Int?) -> OrderedJSON { i.map(OrderedJSON.int) ?? .null }
    public static func optional(_ b: Bool?) -> OrderedJSON { b.map(OrderedJSON.bool) ?? .null }

    /// `indent` 0: one line without spaces; otherwise one element per line, `": "` after keys, like
    /// Python's `json.dumps(indent=n, separators=(',', ': '))`. `scriptSafe` also escapes `<`, `>`
    /// and `&`, so the text can sit inside an HTML `<script>` element (no `</script>`, no `<!--`).
    public func render(indent: Int = 0, sortedKeys: Bool = false, scriptSafe: Bool = false) -> String {
        var out = ""
        write(&out, Style(indent: indent, sorted: sortedKeys, scriptSafe: scriptSafe), level: 0)
        return out
    }

    private struct Style {
        var indent: Int
        var sorted: Bool
        var scriptSafe: Bool
    }

    private func write(_ out: inout String, _ style: Style, level: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += d.isFinite ? String(d) : "null"
        case let .string(s): OrderedJSON.quote(s, scriptSafe: style.scriptSafe, into: &out)
        case let .raw(text): out += text
        case let .array(items):
            list(items.map { (nil, $0) }, "[", "]", &out, style, level)
        case let .object(pairs):
            let ordered = style.sorted
                ? pairs.sorted { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) } : pairs
            list(ordered.map { (Optional($0.0), $0.1) }, "{", "}", &out, style, level)
        }
    }

    private func list(_ items: [(String?, OrderedJSON)], _ open: String, _ close: String, _ out: inout String,
                      _ style: Style, _ level: Int) {
        out += open
        guard !items.isEmpty else { out += close; return }
        let pad = style.indent > 0 ? "\n" + String(repeating: " ", count: style.indent * (level + 1)) : ""
        for (i, (key, value)) in items.enumerated() {
            if i > 0 { out += "," }
            out += pad
            if let key {
                OrderedJSON.quote(key, scriptSafe: style.scriptSafe, into: &out)
                out += style.indent > 0 ? ": " : ":"
            }
            value.write(&out, style, level: level + 1)
        }
        if style.indent > 0 { out += "\n" + String(repeating: " ", count: style.indent * level) }
        out += close
    }

    /// JSON string quoting; control characters, DEL, U+2028 and U+2029 (line breaks to JavaScript)
    /// always become `\u` escapes; `<`, `>`, `&` too when `scriptSafe`.
    static func quote(_ s: String, scriptSafe: Bool, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&":
                if scriptSafe { out += unicodeEscape(scalar.value) } else { out.unicodeScalars.append(scalar) }
            case let c where c.value < 0x20 || c.value == 0x7F || c.value == 0x2028 || c.value == 0x2029:
                out += unicodeEscape(c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

extension OrderedJSON {
    /// Equal when they render the same (key order counts).
    public static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool { lhs.render() == rhs.render() }
}

/// The schema's open-shaped members (`expected`, `run.options`) are `OrderedJSON` in the model:
/// written in the order given, read with keys sorted (`JSONDecoder` keeps no order).
extension OrderedJSON: Codable {
    public init(from decoder: any Decoder) throws {
        self = try JSONValue(from: decoder).ordered
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(pairs):
            var c = encoder.container(keyedBy: MemberKey.self)
            for (key, value) in pairs { try c.encode(value, forKey: MemberKey(key)) }
        case let .raw(text):
            try JSONValue.parse(Data(text.utf8)).ordered.encode(to: encoder)
        case .null, .bool, .int, .double, .string:
            var c = encoder.singleValueContainer()
            switch self {
            case let .bool(b): try c.encode(b)
            case let .int(i): try c.encode(i)
            case let .double(d): try c.encode(d)
            case let .string(s): try c.encode(s)
            default: try c.encodeNil()
            }
        }
    }

    /// An object's member (the first with this key), nil for other values.
    public subscript(key: String) -> OrderedJSON? {
        if case let .object(pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// The members of an object by key, nil for other values.
    public var objectValue: [String: OrderedJSON]? {
        if case let .object(pairs) = self { return Dictionary(pairs, uniquingKeysWith: { _, last in last }) }
        return nil
    }

    public var arrayValue: [OrderedJSON]? { if case let .array(a) = self { a } else { nil } }
    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }

    /// Integers, and numbers without a fraction.
    public var intValue: Int? {
        switch self {
        case let .int(i): i
        case let .double(d) where d == d.rounded() && abs(d) < 1e15: Int(d)
        default: nil
        }
    }
}
