import Testing
import WSTransport

@Suite struct WebSocketURLTests {
    @Test(arguments: [
        ("ws://example.com", false, "example.com", 80, "/"),
        ("wss://example.com", true, "example.com", 443, "/"),
        ("WS://Example.com:9001/", false, "Example.com", 9001, "/"),
        ("ws://127.0.0.1:9001/runCase?case=3&agent=a%20b", false, "127.0.0.1", 9001, "/runCase?case=3&agent=a%20b"),
        ("ws://h?x=1", false, "h", 80, "/?x=1"),
        ("wss://[::1]:8443/chat", true, "::1", 8443, "/chat"),
        ("ws://[::1]", false, "::1", 80, "/"),
    ])
    func parses(_ text: String, _ secure: Bool, _ host: String, _ port: Int, _ target: String) throws {
        let url = try WebSocketURL(text)
        #expect(url == WebSocketURL(secure: secure, host: host, port: port, target: target))
    }

    @Test(arguments: ["http://x", "ws//x", "ws://x/#frag", "ws://", "ws://:80", "ws://h:0", "ws://h:65536",
                      "ws://h:abc", "ws://h:", "ws://[::1", "ws://[::1]x"])
    func rejects(_ text: String) {
        #expect(throws: WebSocketURLError.self) { try WebSocketURL(text) }
    }

    @Test func describesItselfWithPortAndBrackets() throws {
        #expect(try WebSocketURL("ws://h").description == "ws://h:80/")
        #expect(try WebSocketURL("wss://[::1]/a?b").description == "wss://[::1]:443/a?b")
        #expect(try WebSocketURL("ws://h:1/x").with(target: "/getCaseCount").description == "ws://h:1/getCaseCount")
    }
}
