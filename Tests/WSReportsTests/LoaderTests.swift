import Foundation
import Testing
@testable import WSReports

@Suite("Reading result files")
struct LoaderTests {
    @Test("results.json: run info, summary and cases in id order")
    func resultsFile() throws {
        let run = try Fixtures.run("basic/results.json")
        #expect(run.origin == .results)
        #expect(run.agent == "Fixture Server/1.0")
        #expect(run.cases.map(\.id) == ["1.1.1", "2.9", "2.10", "5.15", "6.4.1", "7.13.1", "9.1.1", "12.1.1", "13.1.1"])
        #expect(run.failures.map(\.id) == ["6.4.1"])
        #expect(run.skipped == ["3.1"])
        #expect(run["13.1.1"]?.deflateStats?.incoming?.ratio == 0.2920625)
        #expect(run["1.1.1"]?.wireLog?.entries?.count == 5)
        #expect(run.info?.catalog?.sections?["6.4"] == "Fail-fast on invalid UTF-8")
    }

    @Test("A directory: its results.json; a directory of server-N/ directories: each in number order")
    func directories() throws {
        #expect(try Fixtures.runs("basic").map(\.agent) == ["Fixture Server/1.0"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsreports-servers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (n, source) in [(10, "real-limited"), (2, "basic")] {
            let sub = dir.appendingPathComponent("server-\(n)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Repo.fixtures.appendingPathComponent("\(source)/results.json"),
                                             to: sub.appendingPathComponent("results.json"))
        }
        let runs = try ResultsLoader.load(paths: [dir.path])
        #expect(runs.map(\.agent) == ["Fixture Server/1.0", "wsconform-echo-server"])
    }

    @Test("A journal: every complete line; a last line cut short by a crash is ignored")
    func journal() throws {
        let run = try Fixtures.run("journal/results.jsonl")
        #expect(run.origin == .journal)
        #expect(run.cases.map(\.id) == ["1.1.1", "2.9"])
        #expect(run.agent == "journal")
    }

    @Test("A bad journal line in the middle is an error naming the line")
    func journalError() throws {
        let data = Data("{\"id\":\"1.1\",\"behavior\":\"OK\",\"behaviorClose\":\"OK\"}\n{\"id\": 3}\n{}\n".utf8)
        #expect {
            _ = try ResultsLoader.parseJournal(data, source: "x.jsonl")
        } throws: { error in
            (error as? ReportInputError)?.description.hasPrefix("x.jsonl: line 2: ") == true
        }
    }

    @Test("Autobahn's index.json: one run per agent with verdicts, durations and close codes")
    func autobahnIndex() throws {
        let runs = try Fixtures.runs("autobahn-index.json")
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        #expect(run.origin == .autobahnIndex)
        #expect(run.agent == "AutobahnPython-testeeserver")
        #expect(run.cases.map(\.id) == ["1.1.1", "2.9", "6.4.1", "7.13.1", "9.1.6", "12.1.1"])
        #expect(run["6.4.1"]?.remoteCloseCode == 1007)
        #expect(run["7.13.1"]?.remoteCloseCode == nil)
        #expect(run["9.1.6"]?.durationMs == 443)
        #expect(run["7.13.1"]?.isAcceptable == true)
    }

    @Test("Errors name the file and say why", arguments: [
        ("{\"schema\": \"wsconform.results/9\", \"run\": {\"agent\": \"a\"}, \"cases\": []}", "schema \"wsconform.results/9\" is not supported"),
        ("[1, 2]", "expected a JSON object"),
        ("{not json", "not valid JSON"),
        ("{\"agent\": {\"1.1\": {\"behavior\": 3}}}", "neither a wsconform results.json"),
        ("{\"schema\": \"wsconform.results/1\", \"run\": {}, \"cases\": []}", "missing key \"agent\" at .run"),
    ])
    func errors(_ content: String, _ reason: String) throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wsreports-bad-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(content.utf8).write(to: url)
        do {
            _ = try ResultsLoader.load(paths: [url.path])
            Issue.record("no error for \(content)")
        } catch {
            #expect(error.path == url.path)
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test("A missing path, and a directory without result files")
    func missing() throws {
        #expect(throws: ReportInputError.self) { try ResultsLoader.load("/nonexistent/wsconform/results.json") }
        do {
            _ = try ResultsLoader.load(Repo.docs.path)
            Issue.record("docs/ has no results")
        } catch {
            #expect(error.reason.contains("no results.json"))
        }
    }

    @Test("Runs with the same agent get distinct labels")
    func labels() throws {
        let runs = try Fixtures.runs("basic", "basic/results.json", "real-echo")
        #expect(runs.map(\.label) == ["Fixture Server/1.0", "Fixture Server/1.0 (2)", "wsconform-echo-server"])
    }

    @Test("Case ids sort as numbers (9.1.1 before 10.1.1, 6.4.9 before 6.4.10)")
    func caseOrder() {
        let ids = ["10.1.1", "6.4.10", "2.10", "6.4.9", "2.9", "9.1.1", "x"].map(CaseKey.init).sorted().map(\.text)
        #expect(ids == ["2.9", "2.10", "6.4.9", "6.4.10", "9.1.1", "10.1.1", "x"])
        #expect(CaseKey("6.4.1").subsection == "6.4")
        #expect(CaseKey("2.10").subsection == nil)
    }
}
