/// A problem in a case file, located precisely: `file:line:column: field: message`. The message
/// says what was found and what would be valid.
public struct CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based; nil when the problem has no single place (e.g. a missing file).
    public var line: Int?
    public var column: Int?
    /// Dotted path to the offending field, e.g. `cases[3].steps[0].frame.opcode`; may name the case id.
    public var field: String
    public var message: String

    public init(file: String, line: Int?, column: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return field.isEmpty ? "\(place): \(message)" : "\(place): \(field): \(message)"
    }
}

/// All problems found while loading a catalog, in file order.
public struct CatalogErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [CatalogError]

    public init(_ errors: [CatalogError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
