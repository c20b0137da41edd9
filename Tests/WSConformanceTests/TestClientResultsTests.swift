import Foundation
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSClientTesting

/// The fuzzing server's per-agent result files: journal, restart merge, results.json.
@Suite("TestClient: results per agent survive a restart", .timeLimit(.minutes(1)))
struct TestClientResultsTests {
    static let selection = ["1.1.1", "1.1.2", "2.1"]

    @Test("Results of an earlier session are kept; a case run again replaces its result; results.json lists both sessions")
    func restartMerge() async throws {
        let first = try await TestFuzzingServer.start(Self.selection)
        defer { first.removeDirectory() }
        let client = try first.echoClient("agent/1")
        try await client.runCase(1) { _ in }
        try await client.runCase(2) { _ in }
        _ = await first.store.waitForResult(agent: "agent/1", id: CaseID("1.1.2")!)
        let old = try #require(await first.store.result(agent: "agent/1", id: CaseID("1.1.1")!))
        await first.stop()

        // A crash left half a line at the end of the journal: it is skipped.
        let journal = first.directory.appendingPathComponent("agents/agent%2F1/results.jsonl")
        let handle = try FileHandle(forWritingTo: journal)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"id\":\"2.1\",\"behav".utf8))
        try handle.close()

        let second = try await TestFuzzingServer.start(Self.selection, directory: first.directory)
        #expect(await second.store.agentNames == ["agent/1"])
        #expect(await second.store.results(agent: "agent/1").map(\.id.description) == ["1.1.1", "1.1.2"])
        #expect(await second.store.result(agent: "agent/1", id: CaseID("1.1.1")!)?.line == old.line, "kept byte for byte")
        // Compacted on start: one line per case, the torn line gone.
        #expect(try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").count == 2)

        let again = try second.echoClient("agent/1")
        try await again.runCase(1) { _ in }
        try await again.runCase(3) { _ in }
        _ = await second.store.waitForResult(agent: "agent/1", id: CaseID("2.1")!)
        for _ in 0..<100 where await second.store.result(agent: "agent/1", id: CaseID("1.1.1")!)?.line == old.line {
            try await Task.sleep(for: .milliseconds(50))
        }
        let replaced = try #require(await second.store.result(agent: "agent/1", id: CaseID("1.1.1")!))
        #expect(replaced.line != old.line, "the rerun replaced the old result")

        let dirs = try await second.store.writeDocuments()
        #expect(dirs.map(\.lastPathComponent) == ["agent%2F1"])
        let data = try Data(contentsOf: dirs[0].appendingPathComponent("results.json"))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let run = try #require(doc["run"] as? [String: Any])
        #expect(run["agent"] as? String == "agent/1")
        #expect(run["harnessRole"] as? String == "server")
        let cases = try #require(doc["cases"] as? [[String: Any]])
        #expect(cases.compactMap { $0["id"] as? String } == ["1.1.1", "1.1.2", "2.1"])
        let summary = try #require(doc["summary"] as? [String: Any])
        #expect(summary["acceptable"] as? Int == 3)
        #expect((summary["notRun"] as? [String])?.isEmpty == true)
        await second.stop()

        // The third session still sees all three, the rerun's version of 1.1.1.
        let third = try await TestFuzzingServer.start(Self.selection, directory: first.directory)
        #expect(await third.store.results(agent: "agent/1").count == 3)
        #expect(await third.store.result(agent: "agent/1", id: CaseID("1.1.1")!)?.line == replaced.line)
        await third.stop()
    }

    @Test("Agent directory names are reversible and never shared", arguments: ["echo", "Python/websockets 12", ".hidden", "%41", "ünï"])
    func directoryNames(_ agent: String) {
        let name = ClientResultStore.directoryName(agent: agent)
        #expect(!name.contains("/") && !name.hasPrefix("."))
        #expect(ClientResultStore.agentName(directoryName: name) == agent)
    }
}
