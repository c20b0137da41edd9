import Foundation

/// A JSON value as read: result files where the schema leaves the shape open (`expected`,
/// `run.options`) and Autobahn spec files (protocol options are passed on, not interpreted). Object
/// key order is not kept; readers sort where order matters.
public enum JSONValue: Sendable, Hashable, Decodable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// Parses a JSON document.
    public static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    /// Short text for error messages: `{"a": 1}`, `"text"`, `[1, 2]`.
    public var description: String {
        switch self {
        case .null: "null"
        case let .bool(b): String(b)
        case let .number(n): n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case let .string(s): "\"\(s)\""
        case let .array(a): "[" + a.map(\.description).joined(separator: ", ") + "]"
        case let .object(o): "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// The value as JSON text (keys sorted), for showing options and free-form fields.
    public var ordered: OrderedJSON {
        switch self {
        case .null: .null
        case let .bool(b): .bool(b)
        case let .number(d): d == d.rounded() && abs(d) < 1e15 ? .int(Int(d)) : .double(d)
        case let .string(s): .string(s)
        case let .array(a): .array(a.map(\.ordered))
        case let .object(o): .object(o.keys.sorted().map { ($0, o[$0]!.ordered) })
        }
    }

    /// An object's member, nil for other values.
    public subscript(key: String) -> JSONValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }

    /// The value when it has this type (integers: numbers without a fraction), else nil.
    public var stringValue: String? { if case let .string(s) = self { s } else { nil } }
    public var intValue: Int? { if case let .number(d) = self, d == d.rounded(), abs(d) < 1e15 { Int(d) } else { nil } }
    public var numberValue: Double? { if case let .number(n) = self { n } else { nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case let .object(o) = self { o } else { nil } }
}
