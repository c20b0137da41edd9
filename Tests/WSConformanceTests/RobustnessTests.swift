import Foundation
import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport
@testable import WSCaseRunner
@testable import WSCatalog
import WSJudge
import WSResults
import WSServerTesting

/// Section 27's building blocks, without sockets: the bomb payload, `run` events, the catalog.
@Suite("Section 27: payloads, events and catalog")
struct RobustnessCatalogTests {
    /// Inflates with the engine's codec, as a receiver of one permessage-deflate message would.
    static func inflate(_ parts: [[UInt8]], limit: Int) throws -> Int {
        let codec = DeflateCodec(negotiated: NegotiatedDeflate(), role: .server, maxDecompressedMessageSize: limit)
        var total = 0
        for (i, part) in parts.enumerated() {
            let out = try codec.decompress(chunk: ByteBuffer(bytes: part), isFinal: i == parts.count - 1)
            #expect(out.readableBytesView.allSatisfy { $0 == 0 })
            total += out.readableBytes
        }
        return total
    }

    @Test("deflate_zeros inflates to exactly its length, alone and as fragments", arguments: [0, 1, 2, 257, 258, 259, 516, 100_000])
    func deflateZerosInflates(count: Int) throws {
        #expect(try Self.inflate([DeflateZeros.stream(count: count, keepTail: false)], limit: 1 << 20) == count)
        let parts = [DeflateZeros.stream(count: count, keepTail: true), DeflateZeros.stream(count: 7, keepTail: true),
                     DeflateZeros.stream(count: count, keepTail: false)]
        #expect(try Self.inflate(parts, limit: 1 << 20) == 2 * count + 7)
    }

    @Test("A 1 GiB bomb is about 1 MiB and stops a receiver at its limit")
    func bombRatio() throws {
        let bomb = Payload.deflateZeros(length: 1 << 30, keepTail: false)
        #expect(bomb.count > 1_000_000 && bomb.count < 1_100_000, "\(bomb.count)")
        #expect(throws: DeflateError.self) { try Self.inflate([bomb.bytes()], limit: 65536) }
    }

    @Test("A run matches between min and max equal events, then the rest")
    func runEvents() {
        let flood = Payload.utf8("flood")
        let expected: [ExpectedEvent] = [.run(.pong(flood), min: 0, max: 3), .pong(.utf8("last")), .timeout("B")]
        func pongs(_ n: Int) -> [ReceivedEvent] { Array(repeating: .pong(ByteBuffer(string: "flood")), count: n) }
        let tail: [ReceivedEvent] = [.pong(ByteBuffer(string: "last")), .timeout("B")]
        for n in 0...3 { #expect(expected.matches(pongs(n) + tail), "\(n) pongs") }
        #expect(!expected.matches(pongs(4) + tail), "more than max")
        #expect(!expected.matches(pongs(2)), "the rest is missing")
        #expect(!expected.matches(pongs(1) + [.pong(ByteBuffer(string: "other"))] + tail))
        // A run may be followed by an event equal to its own: it backs off.
        let greedy: [ExpectedEvent] = [.run(.pong(flood), min: 1, max: 5), .pong(flood)]
        #expect(greedy.matches(pongs(3)))
        #expect(!greedy.matches(pongs(1)))
        let exact: [ExpectedEvent] = [.run(.message(.binary, .utf8("*")), min: 2, max: 2)]
        #expect(exact.matches([.message(.binary, ByteBuffer(string: "*")), .message(.binary, ByteBuffer(string: "*"))]))
        #expect(!exact.matches([.message(.binary, ByteBuffer(string: "*"))]))
    }

    @Test("Section 27 has 50 cases, each with its sources; sections 20-27 hold 168")
    func catalog() throws {
        let catalog = try CatalogLoader.load(directory: Repo.cases, parameters: [.maxMessageSize: 65536])
        let robustness = try CaseSelection(catalog: catalog, include: ["27.*"]).cases
        #expect(robustness.count == 50)
        #expect(try CaseSelection(catalog: catalog, include: ["20-27"]).cases.count == 168)
        for c in robustness {
            #expect(!c.rfc.isEmpty, "\(c.id) names no RFC section or advisory")
            #expect(c.notApplicableReason == nil, "\(c.id)")
        }
        // Without the limit, the cases that depend on it are not applicable; the others run.
        let plain = try CaseSelection(catalog: Shipped.catalog(), include: ["27.*"]).cases
        let skipped = plain.filter { $0.notApplicableReason != nil }.map(\.id.description)
        #expect(skipped == ["27.1.6", "27.1.7", "27.2.1"] + (1...8).map { "27.7.\($0)" })
        // --connections has a default; a given value reaches the crowd.
        let crowd = try #require(plain.first { $0.id.description == "27.8.2" }?.handshakeStep?.crowd)
        #expect(crowd.count == CatalogParameter.defaultConnections && crowd.send.count == 16384 + 8)
        let five = try CatalogLoader.load(directory: Repo.cases, parameters: [.connections: 5])
        #expect(five.cases.first { $0.id.description == "27.8.1" }?.handshakeStep?.crowd == .init(count: 5))
    }

    @Test("Handshake pace and timeout are checked by the loader")
    func handshakeKeys() throws {
        let yaml = """
            section: 90
            title: T
            cases:
              - id: "90.1"
                title: t
                description: d
                expectation: e
                roles: [server-under-test]
                steps:
                  - handshake: {request: {}, pace: 1s}
                expect:
                  handshake: [{verdict: OK, closed: true}]
            """
        #expect(throws: CatalogErrors.self) { try CatalogLoader.load(sources: [("90.yaml", yaml)], dataDirectory: nil) }
        let good = yaml.replacingOccurrences(of: "pace: 1s}", with: "chop: 1, pace: 1s, timeout: 30s}")
        let c = try #require(try CatalogLoader.load(sources: [("90.yaml", good)], dataDirectory: nil).cases.first)
        #expect(c.handshakeStep?.pace == .seconds(1))
        #expect(c.budget(CaseRunOptions()) >= .seconds(30), "the case's deadline covers the paced handshake")
        // A crowd: a count in range, a payload, only with a request.
        let crowd = yaml.replacingOccurrences(of: "pace: 1s}", with: "crowd: {connections: 3, send: {hex: \"01 00\"}}}")
        let step = try #require(try CatalogLoader.load(sources: [("90.yaml", crowd)], dataDirectory: nil).cases.first?.handshakeStep)
        #expect(step.crowd == .init(count: 3, send: .hex([0x01, 0x00])))
        for bad in ["crowd: {connections: 0}}", "crowd: {send: a}}", "crowd: {connections: 2, idle: true}}"] {
            let text = yaml.replacingOccurrences(of: "pace: 1s}", with: bad)
            #expect(throws: CatalogErrors.self, "\(bad)") { try CatalogLoader.load(sources: [("90.yaml", text)], dataDirectory: nil) }
        }
    }
}

/// Section 27 over real sockets: the bundled echo server passes the key cases; each faulty peer
/// (scripts/peers/faulty_server.py, one weakness each) fails exactly the cases aimed at its weakness
/// among them and passes the others. One case per kind of attack: the suite takes about three
/// minutes on a loaded 2-core machine, mostly waiting (30 s for the peer without a head timeout,
/// 15 s per 27.8 case for the thread-pool peer). Named *RunnerTests so that scripts/test.sh runs it
/// with the socket suites, one at a time.
@Suite("Section 27 against the echo server and faulty peers", .serialized, .timeLimit(.minutes(3)))
struct RobustnessRunnerTests {
    static let limit = 65536
    static let keyCases = ["27.1.1", "27.1.7", "27.2.1", "27.3.1", "27.4.1", "27.4.4", "27.5.5", "27.5.8", "27.7.1",
                           "27.7.5", "27.7.8"]
    /// Run after the others, alone: their held connections would crowd the other cases too.
    static let crowdCases = ["27.8.1", "27.8.2"]

    /// The non-acceptable case ids of a run of the key cases, then of the crowd cases.
    static func failures(against url: String) async throws -> [String: CaseResult] {
        var failed: [String: CaseResult] = [:]
        for (cases, jobs) in [(keyCases, 4), (crowdCases, 1)] {
            let report = try await Conformance.run(against: url, cases: cases, options: RunOptions(jobs: jobs),
                                                   parameters: [.maxMessageSize: limit])
            #expect(report.stop == nil)
            #expect(report.results.count == cases.count)
            for r in report.results where !r.acceptable { failed[r.id.description] = r }
        }
        return failed
    }

    @Test("The echo server passes the key cases of section 27")
    func echoServer() async throws {
        let server = try await EchoServer.bind(.init(port: 0, deflate: true, maximumMessageSize: Self.limit))
        let task = Task { await server.run() }
        let failed = try await Self.failures(against: "ws://127.0.0.1:\(server.port)/")
        await server.close()
        await task.value
        for (id, r) in failed { Issue.record("\(id): \(r.verdict) — \(r.verdict.reasons.joined(separator: " "))") }
    }

    @Test("Each faulty peer is caught by its cases and passes the others", arguments: [
        ("none", [String]()),
        ("inflate-unbounded", ["27.7.1", "27.7.5", "27.7.8"]),
        ("buffer-fragments", ["27.1.7", "27.2.1"]),
        ("no-handshake-timeout", ["27.5.8"]),
        ("close-lenient", ["27.4.1"]),
        ("thread-pool", ["27.8.1", "27.8.2"]),
    ])
    func faultyPeer(weakness: String, caught: [String]) async throws {
        let peer = try await FaultyPeer(weakness: weakness, maxSize: Self.limit)
        defer { peer.stop() }
        let failed = try await Self.failures(against: "ws://127.0.0.1:\(peer.port)/")
        let detail = failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.verdict.result)" }.joined(separator: "; ")
        #expect(failed.keys.sorted() == caught.sorted(), "\(weakness): \(detail)")
    }

    @Test("A connection limit hit cleanly is INFORMATIONAL, with how many connections the server opened")
    func connectionLimit() async throws {
        let peer = try await FaultyPeer(weakness: "none", maxSize: Self.limit, extra: ["--max-connections", "20"])
        defer { peer.stop() }
        let report = try await Conformance.run(against: "ws://127.0.0.1:\(peer.port)/", cases: ["27.8.1"], options: RunOptions(jobs: 1),
                                               parameters: [.connections: 50])
        let r = try #require(report.results.first)
        #expect(r.verdict.behavior == .informational, "\(r.verdict.result)")
        #expect(r.observation.handshake.responseHead?.status == 503)
        #expect(r.verdict.reasons.contains { $0.contains("opened 20 of the 50 connections") && $0.contains("503") },
                "\(r.verdict.reasons)")
    }
}

/// scripts/peers/faulty_server.py on a free port, stopped by `stop()`.
final class FaultyPeer: ScriptPeer, @unchecked Sendable {
    init(weakness: String, maxSize: Int, extra: [String] = []) async throws {
        try await super.init(executable: "/usr/bin/env",
                       arguments: ["python3", Repo.root.appendingPathComponent("scripts/peers/faulty_server.py").path, "0", weakness,
                                   "--max-size", "\(maxSize)"] + extra,
                       name: "faulty_server.py")
    }
}
