import Foundation

/// A section (the first id segment) with its title and subsection titles.
public struct SectionInfo: Sendable, Hashable {
    public var number: Int
    public var title: String
    /// Titles of subsections such as `6.4`.
    public var subsections: [CaseID: String]

    public init(number: Int, title: String, subsections: [CaseID: String] = [:]) {
        self.number = number
        self.title = title
        self.subsections = subsections
    }
}

/// The loaded, validated case catalog: unique ids, sorted by numeric id tuple.
public struct CaseCatalog: Sendable {
    public let cases: [TestCase]
    public let sections: [SectionInfo]
    /// Where datasets (`Cases/data`) live, when the catalog came from a directory.
    public let dataDirectory: URL?
    private let index: [CaseID: Int]

    public init(cases: [TestCase], sections: [SectionInfo], dataDirectory: URL?) {
        self.cases = cases.sorted { $0.id < $1.id }
        self.sections = sections.sorted { $0.number < $1.number }
        self.dataDirectory = dataDirectory
        var idx: [CaseID: Int] = [:]
        for (i, c) in self.cases.enumerated() { idx[c.id] = i }
        self.index = idx
    }

    public subscript(id: CaseID) -> TestCase? { index[id].map { cases[$0] } }

    public var ids: [CaseID] { cases.map(\.id) }

    /// The sections that hold Autobahn's 517 cases (its ids, its order); wsconform's own sections
    /// are numbered from 20 so that they sort after them and never shift Autobahn's positions.
    public static let autobahnSections = 1...13

    /// 1-based position in the sorted catalog: Autobahn's `case` index in fuzzingclient reports
    /// (2.9 → 25, 7.13.1 → 245 for the 517 Autobahn cases).
    public func position(of id: CaseID) -> Int? { index[id].map { $0 + 1 } }

    public func section(_ number: Int) -> SectionInfo? { sections.first { $0.number == number } }

    /// The subsection title for an id such as `6.4.1` (or `6.4`), if the files give one.
    public func subsectionTitle(for id: CaseID) -> String? {
        guard id.segments.count >= 2 else { return nil }
        let sub = CaseID(Array(id.segments.prefix(2)))
        return section(id.section)?.subsections[sub]
    }
}
