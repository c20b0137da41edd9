import Foundation
import Testing
import WSResultFormat
@testable import WSReports

/// Paths inside the repository, found from this file's location.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/reports")
    static let docs = root.appendingPathComponent("docs")

    static func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }
}

enum Fixtures {
    static func runs(_ paths: String...) throws -> [ReportRun] {
        try ResultsLoader.load(paths: paths.map(Repo.fixture))
    }

    static func run(_ path: String) throws -> ReportRun {
        try #require(try runs(path).first)
    }
}

/// Golden files: output compared with a committed file after normalizing what depends on the
/// machine (the fixture directory's absolute path). `WSCONFORM_UPDATE_GOLDEN=1` rewrites them
/// (then review the diff before committing).
enum Golden {
    static func normalize(_ text: String) -> String {
        text.replacingOccurrences(of: Repo.fixtures.path, with: "<FIXTURES>")
    }

    static func check(_ output: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Repo.fixtures.appendingPathComponent("golden").appendingPathComponent(name)
        let actual = normalize(output)
        if ProcessInfo.processInfo.environment["WSCONFORM_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs from the golden file at line \(line + 1):
                  expected: \(line < e.count ? String(e[line]) : "<end>")
                  actual:   \(line < a.count ? String(a[line]) : "<end>")
                """, sourceLocation: sourceLocation)
        }
    }
}

/// A case record with the given verdicts, for hand-made result pairs.
func record(_ id: String, _ behavior: String, _ close: String = "OK", code: Int? = 1000,
            observed: [EventRecord]? = nil, title: String? = nil) -> CaseRecord {
    var c = CaseRecord(id: id, behavior: behavior, behaviorClose: close)
    c.title = title ?? "Case \(id)"
    c.close = CloseInfo(received: code.map { CloseFrameRecord(code: $0) })
    c.observed = observed
    return c
}

func run(_ agent: String, _ cases: [CaseRecord], origin: ReportRun.Origin = .results) -> ReportRun {
    ReportRun(origin: origin, source: "/hand-made/\(agent)", agent: agent, cases: cases)
}

/// The case detail blocks of a rendered report page, by case id, from its compressed bundle.
enum CaseBlocks {
    static func of(_ page: String) throws -> [String: String] {
        Dictionary(try HTMLCaseBundle.decode(page: page).map { ($0.id, $0.markup) }, uniquingKeysWith: { a, _ in a })
    }

    /// The page with every case's block appended: what a reader can reach, for text checks.
    static func expanded(_ page: String) throws -> String {
        page + (try HTMLCaseBundle.decode(page: page).map(\.markup).joined())
    }
}
