import Foundation
import Testing
import WSResultFormat
@testable import WSReports

/// Reports lead with what failed and say what the peer did wrong.
@Suite("Failures first")
struct FailuresFirstTests {
    static let finding = "The server sent invalid UTF-8 in a text message at byte 11 of the message instead of failing the connection with 1007."

    /// 6.4.1 failed with a finding, 7.1.1 failed only at closing, 1.1.1 passed.
    static func runs() -> [ReportRun] {
        var failed = record("6.4.1", "FAILED", "FAILED", title: "Fail fast on invalid UTF-8")
        failed.finding = finding
        failed.result = "Actual events match at least one expected."
        let closeOnly = record("7.1.1", "OK", "UNCLEAN", title: "Close once")
        return [run("faulty", [record("1.1.1", "OK"), failed, closeOnly])]
    }

    @Test("The page's first content is the status line and the failed cases with findings and links, before runs, charts and matrix")
    func leadsWithFailures() throws {
        let page = HTMLReport.render(Self.runs(), generated: Date(timeIntervalSince1970: 0))
        let failedList = try #require(page.range(of: "<h2 id=\"failed\">Failed cases (2)</h2>")).lowerBound
        let runsTable = try #require(page.range(of: "<h2>Runs</h2>")).lowerBound
        let matrix = try #require(page.range(of: "id=\"matrix\"")).lowerBound
        #expect(failedList < runsTable && runsTable < matrix)
        let status = try #require(page.range(of: "class=\"status\"")).lowerBound
        #expect(status < failedList)
        #expect(page.contains("2 of 3 cases not acceptable (1 with behavior FAILED, 1 failed only at closing)"))
        let list = page[failedList..<runsTable]
        #expect(list.contains("<a href=\"#case-6.4.1\">6.4.1</a>"))
        #expect(list.contains(Self.finding))
        #expect(list.contains("<a href=\"#case-7.1.1\">7.1.1</a>"))
        #expect(!list.contains("#case-1.1.1"))
        // The case detail leads with the finding too.
        #expect(try CaseBlocks.of(page)["6.4.1"]?.contains("<p class=\"finding\">\(Self.finding)</p>") == true)
    }

    @Test("A long list shows the first rows and keeps the others in a collapsed block")
    func longList() {
        let cases = (1...30).map { record("1.1.\($0)", "FAILED") }
        let page = HTMLReport.render([run("bad", cases)], generated: Date(timeIntervalSince1970: 0))
        #expect(page.contains("<details class=\"more\"><summary>The other 5 failed cases</summary>"))
        #expect(page.components(separatedBy: "<td class=\"fid\">").count == 31, "every failed case is listed once")
    }

    @Test("A run without failures says PASS and lists nothing")
    func passing() {
        let page = HTMLReport.render([run("echo", [record("1.1.1", "OK")])], generated: Date(timeIntervalSince1970: 0))
        #expect(page.contains("PASS</span> <b>echo</b>: all 1 cases acceptable"))
        #expect(!page.contains("id=\"failed\""))
    }

    @Test("Charts start collapsed")
    func chartsCollapsed() throws {
        let page = HTMLReport.render(try Fixtures.runs("basic"), generated: Date(timeIntervalSince1970: 0))
        #expect(page.contains("<details class=\"chartbox\">"))
        #expect(!page.contains("<details class=\"chartbox\" open>"))
    }

    @Test("The two failure counts have distinct names; the verdict bar counts close-only failures")
    func columnsAndBar() {
        let summary = HTMLSummary.render(Self.runs())
        #expect(summary.contains("<th>Not acceptable</th>"))
        #expect(!summary.contains("<th>Failed</th>"))
        #expect(summary.contains("<small>behavior</small>"))
        let bar = HTMLCharts.verdictBar(Self.runs()[0])
        #expect(bar.contains("<title>behavior FAILED: 1</title>"))
        #expect(bar.contains("<title>failed only at closing: 1</title>"))
        #expect(bar.contains("<title>behavior OK: 1</title>"), "the close-only failure is not counted as OK")
    }

    @Test("A run over HTTP/2 says so beside its target in the runs table; an HTTP/1.1 run does not name its protocol")
    func protocolOfTheRun() throws {
        var runs = Self.runs()
        let json = #"{"agent": "hypercorn-h2", "target": "ws://127.0.0.1:9555/", "options": {"jobs": 8, "http2": true}}"#
        runs[0].info = try JSONDecoder().decode(RunInfo.self, from: Data(json.utf8))
        #expect(HTMLSummary.render(runs).contains("ws://127.0.0.1:9555/ over HTTP/2"))
        runs[0].info = try JSONDecoder().decode(RunInfo.self, from: Data(json.replacingOccurrences(of: "true", with: "false").utf8))
        let plain = HTMLSummary.render(runs)
        #expect(plain.contains("ws://127.0.0.1:9555/") && !plain.contains("HTTP/2"))
    }

    @Test("JUnit failure message and GitHub annotation lead with the finding")
    func junitAndGitHub() throws {
        let xml = JUnitReport.render(Self.runs())
        #expect(xml.contains("<failure message=\"\(XMLText.escape(Self.finding, attribute: true)) (FAILED / FAILED)\""))
        let annotations = GitHubActions.annotations(Self.runs())
        let first = try #require(annotations.first)
        #expect(first.hasPrefix("::error title=wsconform 6.4.1::The server sent invalid UTF-8"), "\(first)")
        let summary = GitHubActions.stepSummary(Self.runs())
        #expect(summary.contains("| 6.4.1 | \(Markdown.cell(Self.finding))"))
    }

    @Test("Without a finding (older files, index.json) the result texts lead")
    func fallback() {
        var c = record("2.1", "FAILED", "OK")
        c.result = "Expected pong."
        c.resultClose = "Connection was properly closed"
        #expect(CaseText.headline(c) == "Expected pong. Connection was properly closed")
    }

    @Test("JUnit suite time is the run's wall time, not the sum of the cases' times")
    func junitWallTime() throws {
        let runs = try Fixtures.runs("basic")
        let wall = try #require(runs[0].info?.wallSeconds)
        let sum = runs[0].cases.reduce(0.0) { $0 + Double($1.wallTimeMs ?? $1.durationMs ?? 0) / 1000 }
        #expect(abs(sum - wall) > 0.001, "the fixture must tell the two apart")
        let xml = JUnitReport.render(runs)
        #expect(xml.contains("<testsuite name=\"wsconform: \(runs[0].label)\"") && xml.contains("time=\"\(String(format: "%.3f", wall))\""))
    }

    @Test("index.json names per-case files only when they are written")
    func indexReportFiles() throws {
        let runs = try Fixtures.runs("basic")
        #expect(AutobahnIndexWriter.render(runs).contains("\"reportfile\""))
        #expect(!AutobahnIndexWriter.render(runs, caseFiles: false).contains("reportfile"))
    }
}

/// Cases a new run lacks: one line in the diff, and a failing gate under --baseline.
@Suite("Diff of dropped cases")
struct DroppedCasesTests {
    static func pair() -> ReportDiff {
        let ids = (1...30).map { "9.1.\($0)" } + (1...12).map { "12.1.\($0)" } + ["1.1.1"]
        let old = run("echo", ids.map { record($0, "OK") })
        let new = run("echo", [record("1.1.1", "OK")])
        return ReportDiff.compare(old: [old], new: [new])
    }

    @Test("The removed cases are summarised in one line by section")
    func oneLine() {
        let text = DiffText.render(Self.pair())
        #expect(text.contains("Removed cases (42, only in OLD): 9.* (30), 12.* (12)"), "\(text)")
        #expect(!text.contains("9.1.17"))
        #expect(BaselineGate.summary(Self.pair()).contains("not in this run: 9.* (30), 12.* (12)"))
    }

    @Test("--fail-on missing fails on removed cases; regression alone does not")
    func gate() {
        let diff = Self.pair()
        #expect(diff.exitStatus(failingOn: .regression) == 0)
        #expect(diff.exitStatus(failingOn: .missing) == 1)
        #expect(ReportDiff.Gate(rawValue: "missing") == .missing)
    }
}
