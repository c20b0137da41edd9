import Foundation
import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport
@testable import WSCatalog

/// The fuzzing server's URL protocol (Autobahn's fuzzingserver, autobahn.md §5.5) over real sockets.
@Suite("TestClient: the fuzzingserver URL protocol", .timeLimit(.minutes(1)))
struct TestClientProtocolTests {
    static let selection = ["1.1.*", "2.1", "7.1.1"]

    @Test("/getCaseCount and /getCaseInfo answer over WebSocket and plain HTTP")
    func countAndInfo() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        #expect(try await webSocketMessages(t.url, "/getCaseCount") == ["10"])
        let info = try await webSocketMessages(t.url, "/getCaseInfo?case=9")
        let first = try #require(info.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: String])
        #expect(object["id"] == "2.1")
        #expect(object["description"]?.isEmpty == false)
        let byID = try await plainHTTP(t.url, "/getCaseInfo?casetuple=7.1.1")
        #expect(byID.status == 200)
        #expect(byID.body.contains("\"id\":\"7.1.1\""))
        let count = try await plainHTTP(t.url, "/getCaseCount")
        #expect(count.status == 200 && count.body == "10\n")
        #expect(await t.stop() == .stopped)
    }

    @Test("/runCase by number and by id files results per agent; /getCaseStatus answers; a rerun replaces the result")
    func runCaseAndStatus() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let alice = try t.echoClient("alice")
        try await alice.runCase(1) { _ in }
        try await echoCase(t.url, "/runCase?casetuple=2.1&agent=bob")
        let a = try #require(await t.store.waitForResult(agent: "alice", id: CaseID("1.1.1")!))
        #expect(a.behavior == "OK" && a.behaviorClose == "OK")
        #expect(await t.store.result(agent: "alice", id: CaseID("2.1")!) == nil)
        #expect(await t.store.waitForResult(agent: "bob", id: CaseID("2.1")!)?.behavior == "OK")
        #expect(await t.store.agentNames == ["alice", "bob"])
        #expect(try await webSocketMessages(t.url, "/getCaseStatus?casetuple=1.1.1&agent=alice") == ["{\"behavior\":\"OK\"}"])
        // The stored case object is the server role's: masked frames in, the client's User-Agent kept.
        let line = try #require(try JSONSerialization.jsonObject(with: Data(a.line.utf8)) as? [String: Any])
        let handshake = try #require(line["handshake"] as? [String: Any])
        #expect((handshake["request"] as? String)?.hasPrefix("GET /runCase?case=1&agent=alice HTTP/1.1\r\n") == true)
        #expect((handshake["response"] as? String)?.hasPrefix("HTTP/1.1 101 Switching Protocols\r\n") == true)
        try await alice.runCase(1) { _ in }
        // The rerun is filed once its connection is gone; wait for the new line.
        for _ in 0..<100 where await t.store.result(agent: "alice", id: CaseID("1.1.1")!)?.line == a.line {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await t.store.result(agent: "alice", id: CaseID("1.1.1")!)?.line != a.line)
        await t.store.flush()
        let lines = try String(contentsOf: t.directory.appendingPathComponent("agents/alice/results.jsonl"), encoding: .utf8)
        #expect(lines.split(separator: "\n").count == 2, "each run is journaled")
        #expect(await t.store.results(agent: "alice").count == 1, "the rerun replaced the first result")
        await t.stop()
    }

    @Test("/getCaseStatus waits until the case has a result (long poll)")
    func statusLongPoll() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let status = Task { try await webSocketMessages(t.url, "/getCaseStatus?case=2&agent=carol") }
        try await Task.sleep(for: .milliseconds(200))
        try await t.echoClient("carol").runCase(2) { _ in }
        #expect(try await status.value == ["{\"behavior\":\"OK\"}"])
        await t.stop()
    }

    @Test("Bad requests get HTTP 400/404 with a text body, before any upgrade", arguments: [
        ("/nowhere", 404, "no such path /nowhere"),
        ("/runCase?case=1", 400, "needs agent=NAME"),
        ("/runCase?agent=x", 400, "needs case=N"),
        ("/runCase?case=11&agent=x", 404, "out of range"),
        ("/runCase?case=0&agent=x", 404, "out of range"),
        ("/runCase?case=one&agent=x", 400, "not a number"),
        ("/runCase?casetuple=9.9.9&agent=x", 404, "not a selected case id"),
        ("/runCase?casetuple=3.1&agent=x", 404, "not a selected case id"),
        ("/runCase?case=1&case=2&agent=x", 400, "more than once"),
        ("/getCaseInfo", 400, "needs case=N"),
        ("/getCaseStatus?case=1", 400, "needs agent=NAME"),
        ("/updateReports", 400, "needs agent=NAME"),
        ("/updateReports?agent=x&shutdownOnComplete=maybe", 400, "shutdownOnComplete=maybe"),
        ("/runCase?case=%zz&agent=x", 400, "percent-encoding"),
    ])
    func badRequests(_ target: String, _ status: Int, _ text: String) async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        // The same answer whether or not the client asked for a WebSocket upgrade.
        let upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for headers in ["", upgrade] {
            let answer = try await plainHTTP(t.url, target, extraHeaders: headers)
            #expect(answer.status == status, "\(target)")
            #expect(answer.body.contains(text), "\(target): \(answer.body)")
        }
        // Nothing was filed or broken: the server still answers.
        #expect(await t.store.agentNames.isEmpty)
        #expect(try await webSocketMessages(t.url, "/getCaseCount") == ["10"])
        await t.stop()
    }

    @Test("/updateReports runs the report hook; with shutdownOnComplete the server stops after answering")
    func updateReportsAndShutdown() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        try await t.echoClient("dave").updateReports()
        #expect(await t.updates.value == 1)
        #expect(try await plainHTTP(t.url, "/updateReports?agent=dave").body == "reports written\n")
        #expect(await t.updates.value == 2)
        _ = try await webSocketMessages(t.url, "/updateReports?agent=dave&shutdownOnComplete=true")
        #expect(await t.updates.value == 3)
        #expect(await t.serving.value == .shutdownOnComplete)
        await t.store.close()
    }

    @Test("/stopServer stops the server")
    func stopServer() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        _ = try await webSocketMessages(t.url, "/stopServer")
        #expect(await t.serving.value == .stopServer)
        await t.store.close()
    }

    @Test("A plain HTTP request to /runCase is a FAILED case that says the client did not upgrade")
    func plainHTTPRunCase() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        let answer = try await plainHTTP(t.url, "/runCase?case=1&agent=plain")
        #expect(answer.status == 400)
        let r = try #require(await t.store.waitForResult(agent: "plain", id: CaseID("1.1.1")!))
        #expect(r.behavior == "FAILED" && r.behaviorClose == "FAILED")
        #expect(r.reasons.contains { $0.contains("plain HTTP request and no WebSocket upgrade") }, "\(r.reasons)")
        await t.stop()
    }

    @Test("Server role on the wire: frames out are unmasked, an unmasked client frame fails the connection with 1002")
    func masking() async throws {
        let t = try await TestFuzzingServer.start(Self.selection)
        defer { t.removeDirectory() }
        // 1.1.2 sends a 125-octet text message; answer it with an unmasked frame.
        let (raw, first) = try await rawWebSocket(t.url, "/runCase?casetuple=1.1.2&agent=raw")
        var received = first
        while received.readableBytes < 2 + 125, case let .bytes(b) = await raw.read(timeout: .seconds(5)) {
            received.writeImmutableBuffer(b)
        }
        let header = try #require(received.getBytes(at: received.readerIndex, length: 2))
        #expect(header[0] == 0x81, "FIN + text")
        #expect(header[1] == 125, "mask bit clear, length 125")
        var echo = ByteBuffer()
        FrameWriter.write(Frame(opcode: .text, bytes: Array(repeating: UInt8(ascii: "*"), count: 125)), into: &echo)
        try await raw.write(echo)
        var rest = ByteBuffer()
        while case let .bytes(b) = await raw.read(timeout: .seconds(5)) { rest.writeImmutableBuffer(b) }
        await raw.close()
        let close = try #require(rest.getBytes(at: rest.readerIndex, length: 4))
        #expect(close[0] == 0x88, "a Close frame")
        #expect(UInt16(close[2]) << 8 | UInt16(close[3]) == 1002)
        let r = try #require(await t.store.waitForResult(agent: "raw", id: CaseID("1.1.2")!))
        #expect(r.behavior == "FAILED")
        #expect(r.line.contains("mask"), "the harness failure names the masking rule")
        await t.stop()
    }

    @Test("exclude-agent-cases: the case is skipped for that agent (no result) and has no status")
    func agentExclusions() async throws {
        let t = try await TestFuzzingServer.start(Self.selection, exclusions: [AgentExclusion(agentPattern: "skip*", casePatterns: ["2.*"])])
        defer { t.removeDirectory() }
        try await t.echoClient("skipper").runCase(9) { _ in }
        try await t.echoClient("keeper").runCase(9) { _ in }
        #expect(await t.store.result(agent: "skipper", id: CaseID("2.1")!) == nil)
        #expect(await t.store.waitForResult(agent: "keeper", id: CaseID("2.1")!)?.behavior == "OK")
        #expect(try await plainHTTP(t.url, "/getCaseStatus?case=9&agent=skipper").status == 404)
        await t.stop()
    }
}

/// A hand-made WebSocket client connection: the opening handshake done, the octets after it returned.
func rawWebSocket(_ base: String, _ target: String) async throws -> (RawConnection, ByteBuffer) {
    let url = try WebSocketURL(base)
    let raw = try await RawConnection.connect(host: url.host, port: url.port)
    try await raw.write(ByteBuffer(string: "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"))
    var parser = HTTPHeadParser(kind: .response)
    while case var .bytes(b) = await raw.read(timeout: .seconds(5)) {
        if let head = try parser.feed(&b) {
            #expect(head.status == 101)
            return (raw, b)
        }
    }
    throw TransportError.closed
}
