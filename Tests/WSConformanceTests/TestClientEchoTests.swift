import Foundation
import Testing
import WSEngine
import WSPeers
import WSResultFormat
import WSTestSupport
import WSTransport
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

    @Test("Over HTTP/2 (h2c and TLS with ALPN h2): a few cases of sections 1, 2, 5, 7 and 13 are acceptable and every one ran on an h2 stream",
          .enabled(if: TLSFixture.opensslAvailable, "openssl is not installed"))
    func overHTTP2() async throws {
        let fixture = try TLSFixture.get()
        for tls in [false, true] {
            let server = tls ? fixture.serverConfiguration : nil
            let t = try await TestFuzzingServer.start(["1.1.1", "1.2.8", "2.3", "5.6", "7.1.1", "7.5.1", "13.5.1"], tls: server, http2: true)
            defer { t.removeDirectory() }
            #expect(t.url.hasPrefix(tls ? "wss://" : "ws://"))
            let client = try t.echoClient("echo-h2", http2: true, tls: tls ? fixture.trustingClient : nil)
            let summary = try await client.runAll()
            #expect(summary.cases == 7 && summary.failedToOpen.isEmpty)
            _ = await t.store.waitForResult(agent: "echo-h2", id: CaseID("13.5.1")!)
            let results = await t.store.results(agent: "echo-h2")
            #expect(results.count == 7)
            let schema = try ResultsSchemaTests.schema()
            let caseSchema = JSONValue.object(["$ref": .string("#/$defs/case"), "$defs": try #require(schema["$defs"])])
            for r in results {
                #expect(try JSONSchemaValidator(schema: caseSchema).validate(JSONValue.parse(Data(r.line.utf8))).isEmpty, "\(r.id) fails the results schema")
                #expect(r.acceptable, "\(r.id): \(r.behavior) / \(r.behaviorClose): \(r.reasons.joined(separator: " "))")
                #expect(r.openedOverHTTP2 == true, "\(r.id) did not run on an HTTP/2 stream")
                // The report shows the header blocks as sent, not the HTTP/1.1 they were translated to.
                #expect(r.line.contains("\"request\":\":method: CONNECT") && r.line.contains("\"response\":\":status: 200"), "\(r.id): \(r.line.prefix(300))")
            }
            await t.stop()
        }
    }

    @Test("An HTTP/1.1 request on the HTTP/2 listener gets no HTTP/1.1 answer, and no case is filed")
    func http1RequestOnHTTP2Listener() async throws {
        let t = try await TestFuzzingServer.start(["1.1.1"], http2: true)
        defer { t.removeDirectory() }
        let answer = try await plainHTTP(t.url, "/getCaseCount")
        #expect(answer.status == 0, "the HTTP/2 listener answered HTTP/1.1 with \(answer.status)")
        #expect(await t.store.results(agent: "echo").isEmpty)
        await t.stop()
    }
}
