/// One header line as received or to be sent: the name as written and the value without surrounding
/// whitespace.
public struct HTTPHeaderField: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name): \(value)" }
}

/// Header fields in their original order, duplicates kept (several Sec-WebSocket-Protocol lines are
/// legal and must be merged; several Sec-WebSocket-Key lines are an error and must be seen).
/// Lookups compare names ASCII case-insensitively (RFC 7230 §3.2).
public struct HTTPHeaderFields: Hashable, Sendable, RandomAccessCollection, ExpressibleByArrayLiteral {
    public var fields: [HTTPHeaderField]

    public init(_ fields: [HTTPHeaderField] = []) { self.fields = fields }

    public init(_ pairs: [(String, String)]) {
        self.fields = pairs.map { HTTPHeaderField(name: $0.0, value: $0.1) }
    }

    public init(arrayLiteral elements: (String, String)...) { self.init(elements) }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> HTTPHeaderField { fields[position] }

    public mutating func append(_ name: String, _ value: String) {
        fields.append(HTTPHeaderField(name: name, value: value))
    }

    /// All values of the fields called `name`, in order.
    public subscript(name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// The value of the first field called `name`.
    public func firstValue(_ name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// True when at least one field is called `name`.
    public func contains(name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// The elements of a comma-separated list header (RFC 7230 §7), merged over every field called
    /// `name`, trimmed, empty elements dropped. Not for values that may hold quoted commas.
    public func tokens(_ name: String) -> [String] {
        self[name].flatMap { value in
            value.split(separator: ",").map { Self.trimmed($0) }.filter { !$0.isEmpty }
        }
    }

    /// True when the list header `name` has an element equal to `token`, ignoring ASCII case.
    public func hasToken(_ token: String, in name: String) -> Bool {
        tokens(name).contains { Self.namesMatch($0, token) }
    }

    /// ASCII case-insensitive comparison, as HTTP uses for field names and most tokens.
    static func namesMatch(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lowerASCII($0) == lowerASCII($1) }
    }

    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }

    /// Removes optional whitespace (SP, HTAB) at both ends.
    static func trimmed(_ text: Substring) -> String {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isOWS($0) }) else { return "" }
        let last = text.lastIndex(where: { !isOWS($0) })!
        return String(text[first...last])
    }
}
