/// A case id ordered as Autobahn orders ids: as a tuple of numbers (`6.4.10` after `6.4.9`,
/// `9.1.1` before `10.1.1`). Ids that are not dotted numbers sort after all numeric ones, as text.
public struct CaseKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The id as written.
    public let text: String
    /// The numeric segments, nil when some segment is not a number.
    public let segments: [Int]?

    /// Any text; ids that are not dotted numbers sort last.
    public init(_ text: String) {
        self.text = text
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        self.segments = parts.isEmpty || parts.contains(nil) ? nil : parts.map { $0! }
    }

    /// The first segment (Autobahn's section), e.g. `"6"`.
    public var section: String { String(text.split(separator: ".", omittingEmptySubsequences: false).first ?? "") }

    /// The enclosing subsection of a three-part id (`"6.4"` for `6.4.1`), nil otherwise.
    public var subsection: String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 2 ? parts.prefix(2).joined(separator: ".") : nil
    }

    public var description: String { text }

    /// Numeric tuple order.
    public static func < (lhs: CaseKey, rhs: CaseKey) -> Bool {
        switch (lhs.segments, rhs.segments) {
        case let (l?, r?): l == r ? lhs.text < rhs.text : l.lexicographicallyPrecedes(r)
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): lhs.text < rhs.text
        }
    }
}
