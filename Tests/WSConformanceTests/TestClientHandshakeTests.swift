import Foundation
import NIOCore
import Testing
import WSEngine
import WSTransport
@testable import WSCatalog

/// Section 21 with the harness as server: the case's own response goes out and what the client does
/// next is judged.
@Suite("TestClient: section 21, the client's side of the opening handshake", .timeLimit(.minutes(2)))
struct TestClientHandshakeTests {
    @Test("The bundled echo client refuses every bad response and accepts the good ones")
    func echoClient() async throws {
        let t = try await TestFuzzingServer.start(["21.*"])
        defer { t.removeDirectory() }
        let summary = try await t.echoClient("echo").runAll()
        #expect(summary.cases == 19)
        await t.expectAllOK(agent: "echo", count: 19, last: "21.5.3")
        await t.stop()
    }

    @Test("A client that goes on after a wrong Accept fails 21.1.1; one that closes passes")
    func lenientAndStrictClients() async throws {
        let t = try await TestFuzzingServer.start(["21.1.1"])
        defer { t.removeDirectory() }
        try await rawClient(t.url, agent: "lenient", sendsAfterResponse: true)
        try await rawClient(t.url, agent: "strict", sendsAfterResponse: false)
        let lenient = await t.store.waitForResult(agent: "lenient", id: CaseID("21.1.1")!)
        let strict = await t.store.waitForResult(agent: "strict", id: CaseID("21.1.1")!)
        #expect(lenient?.behavior == "FAILED")
        #expect(lenient?.reasons.contains { $0.contains("treated the connection as open") } == true)
        #expect(strict?.behavior == "OK")
        await t.stop()
    }

    /// Sends a valid request for 21.1.1, reads the response head, then either sends a masked text
    /// frame whatever the response said (a lenient client) or closes TCP (a strict one).
    private func rawClient(_ base: String, agent: String, sendsAfterResponse: Bool) async throws {
        let url = try WebSocketURL(base)
        let raw = try await RawConnection.connect(host: url.host, port: url.port)
        let request = "GET /runCase?casetuple=21.1.1&agent=\(agent) HTTP/1.1\r\nHost: \(url.host):\(url.port)\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n"
        try await raw.write(ByteBuffer(string: request))
        var text = ""
        while !text.contains("\r\n\r\n"), case let .bytes(b) = await raw.read(timeout: .seconds(10)) { text += String(buffer: b) }
        #expect(text.hasPrefix("HTTP/1.1 101"))
        if sendsAfterResponse {
            let frame = Frame(opcode: .text, maskingKey: .random(), bytes: Array("Hello, wsconform".utf8))
            try await raw.write(FrameWriter.bytes(frame))
            // Until the harness ends the case.
            while case .bytes = await raw.read(timeout: .seconds(10)) {}
        }
        await raw.close()
    }
}
