import Foundation
import Testing
import WSTestSupport
@testable import WSCatalog
@testable import WSClientTesting

/// Section 28.9 with the harness as HTTP/2 server: the bundled echo client passes every case, and a
/// client that breaks one rule (scripts/peers/faulty_h2_client.py) fails exactly the cases for it.
@Suite("TestClient: section 28.9, clients over HTTP/2", .timeLimit(.minutes(3)),
       .enabled(if: FaultyH2Peer.python != nil, "no Python with the h2 package (scripts/interop.sh installs it)"))
struct TestClientHTTP2Tests {
    static let refusals = (3...13).map { "28.9.\($0)" }

    @Test("The bundled echo client over HTTP/2: all 16 cases OK")
    func echoClient() async throws {
        let t = try await TestFuzzingServer.start(["28.9.*"], http2: true)
        defer { t.removeDirectory() }
        let summary = try await t.echoClient("echo", http2: true).runAll()
        #expect(summary.cases == 16)
        await t.expectAllOK(agent: "echo", count: 16, last: "28.9.16")
        await t.stop()
    }

    /// Each fault and the verdicts it must get where they are not OK.
    static let faults: [(String, [String: String])] = [
        ("none", [:]),
        ("lenient", Dictionary(uniqueKeysWithValues: refusals.map { ($0, "FAILED") })),
        ("https-on-h2c", ["28.9.1": "FAILED"]),
        ("no-authority", ["28.9.1": "FAILED"]),
        ("with-key", ["28.9.1": "NON-STRICT"]),
        ("only-200", ["28.9.2": "NON-STRICT"]),
        ("no-window-update", ["28.9.16": "FAILED"]),
    ]

    /// The seven clients at once, each under its own agent name on one server, one case at a time.
    @Test("Each faulty client fails exactly the cases of the rule it breaks")
    func faultyClients() async throws {
        let python = try #require(FaultyH2Peer.python)
        let script = Repo.root.appendingPathComponent("scripts/peers/faulty_h2_client.py").path
        let t = try await TestFuzzingServer.start(["28.9.*"], http2: true)
        defer { t.removeDirectory() }
        await withTaskGroup(of: Void.self) { group in
            for (fault, _) in Self.faults {
                let runner = ClientCommandRunner(command: ClientCommand("'\(python)' '\(script)' {url} \(fault)"), agent: fault)
                group.addTask { await runner.run(t.server.configuration.cases, on: t.server) }
            }
        }
        for (fault, expected) in Self.faults {
            let results = await t.store.results(agent: fault)
            #expect(results.count == 16, "\(fault)")
            for r in results {
                let wanted = expected[r.id.description] ?? "OK"
                #expect(r.behavior == wanted, "\(fault): \(r.id) is \(r.behavior), expected \(wanted): \(r.reasons.joined(separator: " "))")
            }
        }
        await t.stop()
    }
}
