import Foundation
import Testing
import WSTestSupport
@testable import WSResults
@testable import WSServerTesting

/// The runner over HTTP/2 (RFC 8441) against Hypercorn: the same cases, each on a stream opened with
/// extended CONNECT, judged exactly as over TCP.
@Suite("Conformance over HTTP/2 against Hypercorn", .serialized, .timeLimit(.minutes(3)))
struct ConformanceHTTP2Tests {
    @Test("Framing, pings, fragments, close and compression cases are acceptable over h2; each ran on a stream with :protocol websocket",
          .enabled(if: HypercornPeer.executable != nil, "hypercorn is not installed"))
    func casesOverHTTP2() async throws {
        let peer = try await HypercornPeer.start()
        defer { peer.stop() }
        var options = RunOptions(jobs: 4)
        options.http2 = true
        let report = try await Conformance.run(against: "ws://127.0.0.1:\(peer.port)/",
                                               cases: ["1.1.1", "1.2.8", "2.1", "2.10", "5.3", "5.19", "6.1.1", "7.1.1", "7.3.1", "12.1.1"],
                                               options: options)
        #expect(report.stop == nil)
        #expect(report.results.count == 10)
        #expect(report.agent == "hypercorn-h2", "the agent is the answer's server field")
        for r in report.results {
            #expect(r.acceptable, "\(r.id): \(r.verdict.behavior)/\(r.verdict.behaviorClose) \(r.verdict.reasons)")
            let request = r.observation.handshake.request ?? ""
            #expect(request.hasPrefix(":method: CONNECT\r\n:protocol: websocket\r\n"), "\(r.id): \(request)")
            #expect(!request.lowercased().contains("sec-websocket-key") && !request.lowercased().contains("upgrade"),
                    "no HTTP/1.1-only field over HTTP/2")
            #expect(r.observation.handshake.response?.hasPrefix(":status: 200\r\n") == true)
            // The case ended with the server's END_STREAM after the closing handshake, as with its TCP close.
            #expect(r.observation.tcpEnd?.closedFirstBy == .peer, "\(r.id)")
        }
        let deflate = try #require(report.results.first { $0.id.description == "12.1.1" })
        #expect(deflate.observation.handshake.deflate != nil, "permessage-deflate negotiated over h2")
    }
}
