import Foundation
import Testing
import WSEngine
import WSPeers
@testable import WSCatalog

/// Catalog sections with the harness as server, against the bundled echo client.
@Suite("TestClient: the bundled echo client in the server role", .timeLimit(.minutes(2)))
struct TestClientEchoTests {
    @Test("Sections 1-5, 6.4, 7 and 10 and two compression cases are all acceptable")
    func sections() async throws {
        let patterns = ["1.*", "2.*", "3.*", "4.*", "5.*", "6.4.*", "7.*", "10.*", "12.1.1", "13.5.1", "13.3.1"]
        let t = try await TestFuzzingServer.start(patterns)
        defer { t.removeDirectory() }
        let summary = try await t.echoClient("echo").runAll()
        #expect(summary.failedToOpen.isEmpty)
        _ = await t.store.waitForResult(agent: "echo", id: CaseID("13.5.1")!)
        let results = await t.store.results(agent: "echo")
        #expect(results.count == summary.cases)
        #expect(results.count == 109)
        for r in results where !r.acceptable {
            Issue.record("\(r.id): \(r.behavior) / \(r.behaviorClose): \(r.reasons.joined(separator: " "))")
        }
        #expect(await t.updates.value == 1, "the echo client asked for the reports")
        // 13.5 answers the echo client's offer (client_no_context_takeover; client_max_window_bits)
        // with client_no_context_takeover; client_max_window_bits=9, as Autobahn's fuzzingserver does.
        let line = try #require(results.first { $0.id == CaseID("13.5.1")! }?.line)
        #expect(line.contains("\"deflate\":\"permessage-deflate; client_no_context_takeover; client_max_window_bits=9\""))
        await t.stop()
    }
}
