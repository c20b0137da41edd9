import Foundation
import Testing
import WSEngine
@testable import WSCatalog

/// The runner against the bundled strict echo server, over real sockets on 127.0.0.1.
@Suite("Runner against the echo server", .timeLimit(.minutes(3)))
struct RunnerEchoServerTests {
    static let sections = ["1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*", "10.*"]

    @Test("Sections 1-7 and 10 are all acceptable, with identical verdicts at --jobs 1 and --jobs 8")
    func sectionsAcceptableAndJobIndependent() async throws {
        try await withEchoServer { url in
            let serial = try await runShipped(Self.sections, against: url, jobs: 1)
            let parallel = try await runShipped(Self.sections, against: url, jobs: 8)
            #expect(serial.stop == nil)
            #expect(parallel.stop == nil)
            #expect(serial.results.count == 247)
            for r in serial.results where !r.acceptable {
                Issue.record("\(r.id): \(r.verdict) — \(r.verdict.reasons.joined(separator: " "))")
            }
            let a = Dictionary(uniqueKeysWithValues: serial.results.map { ($0.id, VerdictKey($0)) })
            let b = Dictionary(uniqueKeysWithValues: parallel.results.map { ($0.id, VerdictKey($0)) })
            #expect(a.keys.sorted() == b.keys.sorted())
            for (id, v) in a where b[id] != v {
                Issue.record("\(id): --jobs 1 gave \(v), --jobs 8 gave \(b[id].map(String.init(describing:)) ?? "nothing")")
            }
            // The informational cases are what the catalog says they are.
            #expect(a[CaseID("7.13.1")!]?.behavior == .informational)
            #expect(a[CaseID("6.4.1")!]?.behavior == .ok)
            #expect(serial.agent == "wsconform-echo-server")
        }
    }

    @Test("Fail-fast UTF-8 (6.4.x): the echo server fails at the invalid octet, so events are exactly [A]")
    func failFastBarriers() async throws {
        try await withEchoServer { url in
            let report = try await runShipped(["6.4.*"], against: url)
            for r in report.results {
                #expect(r.verdict.behavior == .ok, "\(r.id): \(r.verdict.reasons)")
                #expect(r.observation.events == [.timeout("A")], "\(r.id)")
                #expect(r.observation.remoteCloseCode == .invalidPayloadData, "\(r.id)")
            }
        }
    }

    @Test("Large echo (9.1.1) and 1000 round trips (9.7.1) pass with the harness closing cleanly")
    func performanceSubset() async throws {
        try await withEchoServer { url in
            let report = try await runShipped(["9.1.1", "9.7.1"], against: url)
            #expect(report.results.count == 2)
            for r in report.results {
                #expect(r.verdict.behavior == .ok, "\(r.id): \(r.verdict.result)")
                #expect(r.verdict.behaviorClose == .ok, "\(r.id): \(r.verdict.resultClose)")
                #expect(r.observation.closedByHarness)
            }
            let rt = try #require(report.results.first { $0.id == CaseID("9.7.1") })
            #expect(rt.observation.roundTrips?.completed == 1000)
            #expect(rt.observation.events.isEmpty)
        }
    }

    @Test("Compression round trips 12.1.1 and 13.1.1 with permessage-deflate, and UNIMPLEMENTED without it")
    func deflateRoundTrips() async throws {
        try await withEchoServer(deflate: true) { url in
            let report = try await runShipped(["12.1.1", "13.1.1"], against: url)
            for r in report.results {
                #expect(r.verdict.behavior == .ok, "\(r.id): \(r.verdict.result)")
                #expect(r.verdict.behaviorClose == .ok, "\(r.id): \(r.verdict.resultClose)")
                #expect(r.observation.handshake.deflate != nil)
                #expect(r.observation.roundTrips?.completed == 1000)
                let t = try #require(r.observation.roundTrips?.traffic)
                #expect(t.outgoingWebSocketOctets < t.outgoingAppOctets, "compression should shrink JSON")
            }
        }
        try await withEchoServer(deflate: false) { url in
            let report = try await runShipped(["12.1.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .unimplemented)
            #expect(r.verdict.behaviorClose == .ok)
            #expect(r.acceptable)
        }
    }
}
