import Foundation
import Testing
import WSResultFormat
@testable import WSReports

@Suite("Comparing result sets")
struct DiffTests {
    static let hello = EventRecord(type: "text", octets: 5, text: "Hello")

    /// One case per transition kind.
    static let old = run("old", [
        record("1.1.1", "OK"),                                   // regression (OK → FAILED)
        record("1.1.2", "OK", "OK"),                             // regression by the close verdict only
        record("2.1", "FAILED", "OK"),                           // fixed
        record("3.1", "OK"),                                     // changed (OK → NON-STRICT)
        record("3.2", "FAILED", "FAILED"),                       // changed (still failing)
        record("4.1", "OK", code: 1000, observed: [hello]),      // observation changed (close code, events)
        record("5.1", "OK"),                                     // unchanged
        record("6.1", "OK"),                                     // removed
    ])
    static let new = run("new", [
        record("1.1.1", "FAILED"),
        record("1.1.2", "OK", "WRONG CODE", code: 1011),
        record("2.1", "OK"),
        record("3.1", "NON-STRICT"),
        record("3.2", "FAILED", "UNCLEAN"),
        record("4.1", "OK", code: 1001, observed: []),
        record("5.1", "OK"),
        record("7.1", "INFORMATIONAL", "INFORMATIONAL"),         // new
    ])

    @Test("Each transition kind, regressions first")
    func kinds() {
        let diff = ReportDiff.compare(old: [Self.old], new: [Self.new])
        let kinds = Dictionary(uniqueKeysWithValues: diff.transitions.map { ($0.id, $0.kind) })
        #expect(kinds == ["1.1.1": .regression, "1.1.2": .regression, "2.1": .fixed, "3.1": .changed, "3.2": .changed,
                          "4.1": .observationChanged, "5.1": .unchanged, "6.1": .removed, "7.1": .new])
        #expect(diff.transitions.map(\.id) == ["1.1.1", "1.1.2", "2.1", "3.1", "3.2", "4.1", "7.1", "6.1", "5.1"])
        #expect(diff.count(.regression) == 2)
        #expect(diff.hasRegressions)
        #expect(diff.exitStatus == 1)
        let observation = diff.transitions.first { $0.id == "4.1" }
        #expect(observation?.details == ["peer close code 1000 → 1001", "observed text (5 octets) \"Hello\" → no events"])
        #expect(diff.transitions.first { $0.id == "1.1.2" }?.details.first == "OK / OK → OK / WRONG CODE")
        #expect(diff.warnings.isEmpty)
    }

    @Test("No regression: exit status 0, whatever else changed (known failures do not fail)")
    func noRegression() {
        let old = run("o", [record("1.1", "FAILED"), record("1.2", "OK")])
        let new = run("n", [record("1.1", "FAILED", "UNCLEAN"), record("1.2", "NON-STRICT"), record("1.3", "FAILED")])
        let diff = ReportDiff.compare(old: [old], new: [new])
        #expect(!diff.hasRegressions)
        #expect(diff.exitStatus == 0)
        #expect(diff.count(.new) == 1 && diff.count(.changed) == 2)
        // An interop gate counts every verdict change, known failures included.
        #expect(diff.exitStatus(failingOn: .verdict) == 1)
    }

    @Test("Gates: verdict ignores changed observations, any counts them, none fails on unchanged")
    func gates() {
        let old = run("o", [record("1.1", "OK"), record("1.2", "FAILED")])
        let same = ReportDiff.compare(old: [old], new: [run("n", [record("1.1", "OK"), record("1.2", "FAILED")])])
        for gate in ReportDiff.Gate.allCases { #expect(same.exitStatus(failingOn: gate) == 0) }
        let removed = ReportDiff.compare(old: [old], new: [run("n", [record("1.1", "OK")])])
        #expect(removed.exitStatus(failingOn: .regression) == 0)
        #expect(removed.exitStatus(failingOn: .verdict) == 1)
        let observed = ReportDiff.compare(old: [run("o", [record("1.1", "OK", code: 1000)])],
                                          new: [run("n", [record("1.1", "OK", code: 1001)])])
        #expect(observed.count(.observationChanged) == 1)
        #expect(observed.exitStatus(failingOn: .verdict) == 0)
        #expect(observed.exitStatus(failingOn: .any) == 1)
    }

    @Test("Volatile fields are ignored: durations, timestamps, masks, handshake keys, wire logs")
    func volatileIgnored() throws {
        let a = try Fixtures.run("real-echo")
        // The same run read twice, with everything volatile changed.
        var cases = a.cases
        for i in cases.indices {
            cases[i].durationMs = (cases[i].durationMs ?? 0) + 17
            cases[i].wallTimeMs = 1
            cases[i].started = "2030-01-01T00:00:00.000Z"
            cases[i].handshake?.request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nSec-WebSocket-Key: AAAA\r\n\r\n"
            cases[i].wireLog = nil
            cases[i].close?.sent?.atMs = 99
        }
        let b = ReportRun(origin: .results, source: "b", agent: a.agent, info: a.info, cases: cases)
        let diff = ReportDiff.compare(old: [a], new: [b])
        #expect(diff.count(.unchanged) == a.cases.count)
    }

    @Test("Against an old Autobahn index.json: verdicts and close codes only")
    func againstAutobahn() throws {
        let diff = ReportDiff.compare(old: try Fixtures.runs("autobahn-index.json"), new: try Fixtures.runs("basic"))
        let kinds = Dictionary(uniqueKeysWithValues: diff.transitions.map { ($0.id, $0.kind) })
        #expect(kinds["6.4.1"] == .regression)   // OK / OK with 1007 → FAILED / WRONG CODE with 1000
        #expect(kinds["12.1.1"] == .changed)     // OK → UNIMPLEMENTED, both acceptable
        #expect(kinds["1.1.1"] == .unchanged)
        #expect(kinds["9.1.6"] == .removed)
        #expect(kinds["13.1.1"] == .new)
        #expect(kinds["7.13.1"] == .unchanged)   // no Close from the peer in either; the index has nothing more
    }

    @Test("Several agents: matched by agent; an agent on one side only is reported")
    func severalAgents() {
        let old = [run("A", [record("1.1", "OK")]), run("B", [record("1.1", "OK")])]
        let new = [run("B", [record("1.1", "FAILED")]), run("C", [record("1.1", "OK")])]
        let diff = ReportDiff.compare(old: old, new: new)
        #expect(diff.transitions.map { "\($0.agent ?? "")/\($0.id)/\($0.kind.rawValue)" }
            == ["B/1.1/regression", "C/1.1/new", "A/1.1/removed"])
        #expect(diff.warnings.count == 2)
    }

    @Test("One run per side: compared whatever the agent names")
    func renamedAgent() {
        let diff = ReportDiff.compare(old: [run("Server/1.0", [record("1.1", "OK")])],
                                      new: [run("Server/1.1", [record("1.1", "OK")])])
        #expect(diff.transitions.map(\.kind) == [.unchanged])
        #expect(diff.transitions.first?.agent == nil)
    }

    @Test("Text output: grouped, regressions first, counts; JSON output parses and counts agree")
    func renderers() throws {
        let diff = ReportDiff.compare(old: [Self.old], new: [Self.new])
        let text = DiffText.render(diff)
        #expect(text.contains("2 regressions, 1 fixed, 2 changed verdicts, 1 changed observation, 1 new case, 1 removed case, 1 unchanged"))
        let order = ["Regressions (2):", "Fixed (1):", "Changed verdicts (2):", "Same verdict, different observations (1):",
                     "New cases (1):", "Removed cases (1, only in OLD):"].map { text.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
        #expect(!text.contains("Unchanged ("))

        let json = try #require(try JSONSerialization.jsonObject(with: Data(DiffJSON.render(diff).utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "wsconform.diff/1")
        #expect((json["counts"] as? [String: Int])?["regression"] == 2)
        #expect((json["transitions"] as? [Any])?.count == 8)
        #expect(json["regressions"] as? Bool == true)

        let html = DiffHTML.render(diff, generated: Date(timeIntervalSince1970: 0))
        #expect(html.contains("<h2>Regressions (2)</h2>"))
        #expect(!html.contains("<script"))
    }

    @Test("The baseline gate loads a baseline file and compares with runs")
    func baselineGate() throws {
        let diff = try BaselineGate.compare(baseline: Repo.fixture("real-echo"), results: [Repo.fixture("real-limited")])
        #expect(diff.hasRegressions)
        let summary = BaselineGate.summary(diff)
        #expect(summary.hasPrefix("Compared with the baseline: "))
        #expect(summary.contains("regression 9.1.1: OK / OK → FAILED / FAILED"))
        let same = try BaselineGate.compare(baseline: Repo.fixture("real-limited/results.json"), runs: try Fixtures.runs("real-limited"))
        #expect(same.exitStatus == 0)
        #expect(throws: ReportInputError.self) { try BaselineGate.compare(baseline: "/nonexistent", runs: []) }
    }
}
