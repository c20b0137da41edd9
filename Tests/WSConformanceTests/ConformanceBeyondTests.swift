import Foundation
import Testing
import WSEngine
import NIOCore
import WSPeers
import WSTransport
@testable import WSCaseRunner
@testable import WSCatalog
@testable import WSResults
@testable import WSServerTesting

/// Sections 20-26 against the bundled echo server over real sockets: every case that tests a server
/// must be acceptable, with the verdicts the catalog documents for a strict peer.
@Suite("wsconform's own sections against the echo server", .timeLimit(.minutes(2)))
struct ConformanceBeyondTests {
    static let limit = 65536

    @Test("Sections 20-26 are all acceptable against the echo server (limit declared for section 25)")
    func beyondAutobahnAgainstTheEchoServer() async throws {
        let server = try await EchoServer.bind(.init(port: 0, deflate: true, maximumMessageSize: Self.limit))
        let task = Task { await server.run() }
        defer { task.cancel() }
        let report = try await Conformance.run(against: "ws://127.0.0.1:\(server.port)/", cases: ["20-26"],
                                               options: RunOptions(jobs: 8), parameters: [.maxMessageSize: Self.limit])
        await server.close()
        await task.value
        #expect(report.stop == nil)
        #expect(report.results.count == 118 - 19 - 1, "section 21 and 23.2.4 test clients")
        for r in report.results where !r.acceptable {
            Issue.record("\(r.id): \(r.verdict) — \(r.verdict.reasons.joined(separator: " "))")
        }
        let byID = Dictionary(uniqueKeysWithValues: report.results.map { ($0.id, $0) })
        func result(_ id: String) throws -> CaseResult { try #require(byID[CaseID(id)!], "\(id) missing") }

        // Refusals come from the engine's rejection responses.
        #expect(try result("20.2.2").observation.handshake.responseHead?.status == 426)
        #expect(try result("20.3.1").observation.handshake.responseHead?.status == 405)
        #expect(try result("20.5.5").observation.handshake.responseHead?.status == 431)
        #expect(try result("20.1.1").verdict.behaviorClose == .ok)
        // Opened cases echo; the Origin case is informational; the frame sent with the request is echoed.
        #expect(try result("20.6.2").observation.events == [.message(.text, .init(string: "Hello, wsconform"))])
        #expect(try result("20.7.2").verdict.behavior == .informational)
        // Strict negotiation: the window-8 offer is accepted with 8, and the echo decodes with 256 octets.
        #expect(try result("24.1.1").observation.handshake.deflate?.serverMaxWindowBits == 8)
        #expect(try result("24.2.1").observation.roundTrips?.completed == 200)
        // The echo server refuses the unfinished final block; the bomb and N+1 octets get 1009.
        #expect(try result("24.3.2").verdict.behavior == .informational)
        for id in ["24.4.1", "25.1.2", "25.1.4", "25.2.2", "25.3.2"] {
            #expect(try result(id).observation.remoteCloseCode == .messageTooBig, "\(id)")
        }
        #expect(try result("25.3.1").verdict.behavior == .ok)
        #expect(try result("26.2.1").observation.remoteCloseCode == .invalidPayloadData)
        #expect(try result("23.1.1").observation.remoteCloseCode == .protocolError)
    }

    @Test("Without --max-message-size section 25 is not applicable and opens no connection")
    func limitsWithoutTheParameter() async throws {
        // Nothing listens on this port: a case that tried to connect would fail the run.
        let catalog = try CatalogLoader.load(directory: Conformance.bundledCatalogDirectory)
        let cases = try CaseSelection(catalog: catalog, include: ["25.*"]).cases
        for c in cases {
            let outcome = await CaseRunner.run(c, driver: ClientRoleDriver(url: try WebSocketURL("ws://127.0.0.1:9/"), tls: nil,
                                                                           userAgent: "t", origin: nil, protocols: []),
                                               options: CaseRunOptions(), dataset: nil)
            guard case let .finished(r) = outcome else { Issue.record("\(c.id) tried to connect"); continue }
            #expect(r.verdict.behavior == .unimplemented && r.acceptable, "\(c.id)")
            #expect(r.verdict.result.contains("--max-message-size"))
        }
        #expect(cases.count == 8)
    }
}
