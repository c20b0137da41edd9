import Foundation
import Testing
import WSTestSupport
@testable import WSCatalog
@testable import WSEngine
@testable import WSResults
@testable import WSServerTesting

/// Section 28 (RFC 8441) over real sockets: scripts/peers/faulty_h2_server.py, careful without a
/// fault, is caught by exactly the cases aimed at each fault it can be given, among one key case per
/// rule; Hypercorn fails only the cases of its one known fault. Named *RunnerTests so that
/// scripts/test.sh runs it with the socket suites, one at a time (about 30 s).
@Suite("Section 28 against the faulty HTTP/2 server and Hypercorn", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: FaultyH2Peer.python != nil, "no Python with the h2 package (scripts/interop.sh installs it)"))
struct HTTP2SectionRunnerTests {
    static let keyCases = ["28.1.1", "28.2.2", "28.2.16", "28.3.1", "28.3.7", "28.3.13", "28.4.1", "28.4.4", "28.6.1",
                           "28.6.3", "28.6.6", "28.8.5", "28.8.7"]

    static func run(_ port: Int) async throws -> [String: CaseResult] {
        var options = RunOptions(jobs: 4)
        options.http2 = true
        let report = try await Conformance.run(against: "ws://127.0.0.1:\(port)/", cases: keyCases, options: options)
        #expect(report.stop == nil)
        #expect(report.results.count == keyCases.count)
        return Dictionary(uniqueKeysWithValues: report.results.map { ($0.id.description, $0) })
    }

    static func describe(_ r: CaseResult) -> String { "\(r.id) \(r.verdict.behavior)/\(r.verdict.behaviorClose): \(r.verdict.result)" }

    @Test("Without a fault every key case is OK")
    func careful() async throws {
        let peer = try await FaultyH2Peer(fault: "none")
        defer { peer.stop() }
        for r in try await Self.run(peer.port).values {
            #expect(r.verdict.behavior == .ok && r.verdict.behaviorClose == .ok, "\(Self.describe(r))")
        }
    }

    @Test("Each fault is caught by its cases, and only by them", arguments: [
        ("setting-zero-after-one", ["28.1.1"]),
        ("accept-protocol-any-method", ["28.2.2"]),
        ("accept-connection-fields", ["28.3.1"]),
        ("accept-uppercase", ["28.3.7"]),
        ("no-version-check", ["28.4.1"]),
        ("send-accept", ["28.3.13", "28.4.4"]),
        ("refusal-left-open", ["28.2.16", "28.4.1"]),
        ("close-connection-on-stream-end", ["28.6.1", "28.6.3", "28.6.6", "28.8.7"]),
        ("kill-on-violation", ["28.6.3"]),
        ("no-window-update", ["28.6.6"]),
        ("ignore-data-after-end", ["28.8.7"]),
        ("drop-on-goaway", ["28.8.5"]),
    ])
    func fault(_ fault: String, caught: [String]) async throws {
        let peer = try await FaultyH2Peer(fault: fault)
        defer { peer.stop() }
        let results = try await Self.run(peer.port)
        let notOK = results.values.filter { $0.verdict.behavior != .ok || $0.verdict.behaviorClose != .ok }
        #expect(notOK.map(\.id.description).sorted() == caught.sorted(), "\(fault): \(notOK.map(Self.describe))")
        for r in notOK { #expect(!r.verdict.result.isEmpty && r.verdict.behavior != .ok, "\(Self.describe(r))") }
    }

    @Test("A server without SETTINGS_ENABLE_CONNECT_PROTOCOL fails every case, 28.1.1 saying why")
    func noConnectSetting() async throws {
        let peer = try await FaultyH2Peer(fault: "no-connect-setting")
        defer { peer.stop() }
        let results = try await Self.run(peer.port)
        #expect(results.values.allSatisfy { $0.verdict.behavior == .failed })
        let first = try #require(results["28.1.1"])
        #expect(first.verdict.reasons.contains { $0.contains("SETTINGS_ENABLE_CONNECT_PROTOCOL") }, "\(first.verdict.reasons)")
    }

    @Test("Hypercorn fails only the sibling cases: it closes the whole connection when one WebSocket's stream ends",
          .enabled(if: HypercornPeer.executable != nil, "hypercorn is not installed"))
    func hypercorn() async throws {
        let peer = try await HypercornPeer.start()
        defer { peer.stop() }
        let results = try await Self.run(peer.port)
        let failed = results.values.filter { !$0.acceptable }
        #expect(failed.map(\.id.description).sorted() == ["28.6.1", "28.6.3", "28.6.6"], "\(failed.map(Self.describe))")
        for r in failed {
            #expect(r.verdict.reasons.contains { $0.contains("closed the whole HTTP/2 connection") }, "\(Self.describe(r))")
        }
        // GOAWAY from the client ends its connection too (hyper-h2 takes any GOAWAY for the end): NON-STRICT.
        #expect(results["28.8.5"]?.verdict.behavior == .nonStrict)
    }
}

/// scripts/peers/faulty_h2_server.py on a free port, stopped by `stop()`.
final class FaultyH2Peer: ScriptPeer, @unchecked Sendable {
    /// A Python that has the h2 package: the interop venv's (where Hypercorn brings it), else a python3 on PATH.
    static let python: String? = {
        let venv = Repo.root.appendingPathComponent(".build-interop/venv/bin/python").path
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        for candidate in [venv] + path where FileManager.default.isExecutableFile(atPath: candidate) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: candidate)
            p.arguments = ["-c", "import h2"]
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil {
                p.waitUntilExit()
                if p.terminationStatus == 0 { return candidate }
            }
        }
        return nil
    }()

    init(fault: String) async throws {
        guard let python = Self.python else { throw FaultyPeerError(description: "no Python with h2") }
        try await super.init(executable: python,
                       arguments: [Repo.root.appendingPathComponent("scripts/peers/faulty_h2_server.py").path, "0", fault],
                       name: "faulty_h2_server.py")
    }
}
