/// A case identifier such as `6.4.1` or `2.10`: dot-separated non-negative integers, compared as a
/// numeric tuple (so `6.4.10` sorts after `6.4.9`, and `9.1.1` before `10.1.1`), as Autobahn sorts.
public struct CaseID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The numeric segments, e.g. `[6, 4, 1]`. Never empty.
    public let segments: [Int]

    public init(_ segments: [Int]) {
        precondition(!segments.isEmpty && segments.allSatisfy { $0 >= 0 }, "a case id has at least one non-negative segment")
        self.segments = segments
    }

    /// Parses `"6.4.1"`. Returns nil for empty segments, signs, non-digits or leading zeros ("6.04").
    public init?(_ text: String) {
        var parts: [Int] = []
        for piece in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let value = CaseID.parseSegment(piece) else { return nil }
            parts.append(value)
        }
        guard !parts.isEmpty else { return nil }
        self.segments = parts
    }

    /// The first segment: Autobahn's section number.
    public var section: Int { segments[0] }

    /// The id of the enclosing subsection (`6.4` for `6.4.1`), or nil for two-part ids like `2.10`
    /// whose parent is a section.
    public var subsection: CaseID? { segments.count > 2 ? CaseID(Array(segments.prefix(2))) : nil }

    /// True when `prefix` is a leading run of this id's segments (an id has itself as prefix).
    public func hasPrefix(_ prefix: [Int]) -> Bool {
        prefix.count <= segments.count && Array(segments.prefix(prefix.count)) == prefix
    }

    public var description: String { segments.map(String.init).joined(separator: ".") }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { lhs.segments.lexicographicallyPrecedes(rhs.segments) }

    static func parseSegment(_ piece: Substring) -> Int? {
        guard !piece.isEmpty, piece.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if piece.count > 1 && piece.first == "0" { return nil }
        return Int(piece)
    }
}
