import Foundation
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSClientTesting
@testable import WSResults

/// `--client-cmd`: clients that do not speak the fuzzingserver protocol, started once per case.
@Suite("TestClient: client commands", .timeLimit(.minutes(1)))
struct TestClientCommandTests {
    static let selection = ["1.1.1", "1.1.2", "2.1"]

    static func caseLine(_ stored: StoredCaseResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(stored.line.utf8)) as? [String: Any])
    }

    @Test("A command that exits without connecting: FAILED 'client never connected', its output and status kept, the run goes on")
    func exitsEarly() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let runner = ClientCommandRunner(command: ClientCommand("echo running {case}; echo 'no such client' >&2; exit 3"),
                                         agent: "early", jobs: 2)
        let done = await runner.run(t.server.configuration.cases, on: t.server)
        #expect(done.count == 3)
        let results = await t.store.results(agent: "early")
        #expect(results.map(\.id.description) == ["1.1.1", "1.1.2", "2.1"])
        for r in results {
            #expect(r.behavior == "FAILED" && r.behaviorClose == "FAILED")
            #expect(r.reasons.contains { $0.contains("client never connected: the command exited with status 3 without opening /runCase; its last output line: no such client") },
                    "\(r.reasons)")
            let command = try #require(try Self.caseLine(r)["clientCommand"] as? [String: Any])
            #expect(command["exitStatus"] as? Int == 3)
            #expect(command["connected"] as? Bool == false)
            #expect(command["killed"] as? Bool == false)
            #expect(command["stdout"] as? String == "running \(r.id)\n")
            #expect(command["stderr"] as? String == "no such client\n")
        }
        await t.stop()
    }

    @Test("A command that never connects and never exits is killed at its deadline")
    func neverConnects() async throws {
        let t = try await TestFuzzingServer.start(["2.1"])
        defer { t.removeDirectory() }
        let runner = ClientCommandRunner(command: ClientCommand("sleep 30 # {case}"), agent: "hang", caseTimeout: .milliseconds(500))
        await runner.run(t.server.configuration.cases, on: t.server)
        let r = try #require(await t.store.results(agent: "hang").first)
        #expect(r.behavior == "FAILED")
        #expect(r.reasons.contains { $0.contains("client never connected: the command did not open /runCase within") }, "\(r.reasons)")
        let command = try #require(try Self.caseLine(r)["clientCommand"] as? [String: Any])
        #expect(command["killed"] as? Bool == true)
        #expect(command["signal"] as? Int == 15, "SIGTERM ended it")
        await t.stop()
    }

    @Test("A command that connects with plain HTTP (no upgrade): connected, FAILED with the reason, output kept",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func plainHTTPClient() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let runner = ClientCommandRunner(command: ClientCommand("/usr/bin/curl -s \"http://127.0.0.1:{port}/runCase?casetuple={case}&agent=curl%20agent\""), agent: "curl agent", jobs: 3)
        await runner.run(t.server.configuration.cases, on: t.server)
        let results = await t.store.results(agent: "curl agent")
        #expect(results.count == 3)
        for r in results {
            #expect(r.behavior == "FAILED")
            #expect(r.reasons.contains { $0.contains("plain HTTP request and no WebSocket upgrade") }, "\(r.reasons)")
            let line = try Self.caseLine(r)
            let command = try #require(line["clientCommand"] as? [String: Any])
            #expect(command["connected"] as? Bool == true)
            #expect(command["exitStatus"] as? Int == 0)
            #expect((command["stdout"] as? String)?.contains("WebSocket handshake rejected") == true, "curl printed the 400 body")
            let request = (line["handshake"] as? [String: Any])?["request"] as? String
            #expect(request?.hasPrefix("GET /runCase?casetuple=\(r.id)&agent=curl%20agent HTTP/1.1") == true, "\(request ?? "")")
        }
        await t.stop()
    }

    @Test("A command started once speaks the protocol itself: started once, its cases filed under its own agent",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func protocolClient() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let record = await ClientCommandRunner.runProtocolClient(
            ClientCommand("/usr/bin/curl -s http://127.0.0.1:{port}/getCaseCount; /usr/bin/curl -s 'http://127.0.0.1:{port}/runCase?case=3&agent=by-hand'"),
            agent: "unused", on: t.server)
        #expect(record.exitStatus == 0)
        #expect(record.stdout.text.hasPrefix("3\n"))
        #expect(await t.store.waitForResult(agent: "by-hand", id: CaseID("2.1")!)?.behavior == "FAILED")
        await t.stop()
    }

    @Test("Placeholders stay one shell word however they are quoted")
    func placeholders() {
        let values = ClientCommand.values(base: "ws://127.0.0.1:9", port: 9, caseID: CaseID("1.2.3"), agent: "it's me")
        #expect(values["{url}"] == "ws://127.0.0.1:9/runCase?casetuple=1.2.3&agent=it%27s%20me")
        #expect(ClientCommand("c {url}").fill(values) == "c 'ws://127.0.0.1:9/runCase?casetuple=1.2.3&agent=it%27s%20me'")
        #expect(ClientCommand("c '{agent}'").fill(values) == "c 'it'\\''s me'")
        #expect(ClientCommand("c \"{base}/x\" {case}").fill(values) == "c \"ws://127.0.0.1:9/x\" '1.2.3'")
        #expect(ClientCommand("c {nope} {port}").fill(values) == "c {nope} '9'")
        #expect(ClientCommand("c {url}").isPerCase && !ClientCommand("c {base}").isPerCase)
        #expect(!ClientCommand("c --flag").hasPlaceholder)
    }
}
