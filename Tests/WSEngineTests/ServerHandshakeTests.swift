import NIOCore
import Testing
@testable import WSEngine

@Suite struct ServerHandshakeTests {
    typealias Support = HandshakeTestSupport

    static func validate(_ lines: [String]) throws -> Result<AcceptedRequest, HandshakeError> {
        ServerHandshake.validate(request: try Support.request(lines))
    }

    @Test func rfcExampleIsAccepted() throws {
        let accepted = try Self.validate(Support.rfcRequest).get()
        #expect(accepted.key == Support.rfcKey)
        #expect(accepted.path == "/chat")
        #expect(accepted.host == "server.example.com")
        #expect(accepted.subprotocols == ["chat", "superchat"])
        #expect(accepted.extensionOffers == [])
        #expect(accepted.origin == "http://example.com")
        #expect(accepted.version == .http1_1)
        #expect(accepted.headers.count == 7)
    }

    /// Each request breaks exactly one §4.2.1 rule of the otherwise valid RFC example.
    static let violations: [(String, [String], HandshakeError)] = {
        let base = Support.rfcRequest
        let headers = Array(base.dropFirst())
        func replace(_ name: String, _ with: [String] = []) -> [String] { Support.replacing(name, in: base, with: with) }
        return [
            ("POST", ["POST /chat HTTP/1.1"] + headers, .methodNotGet("POST")),
            ("lowercase get", ["get /chat HTTP/1.1"] + headers, .methodNotGet("get")),
            ("HTTP/1.0", ["GET /chat HTTP/1.0"] + headers, .httpVersionTooOld("HTTP/1.0")),
            ("asterisk target", ["GET * HTTP/1.1"] + headers, .invalidRequestTarget("*")),
            ("relative target", ["GET chat HTTP/1.1"] + headers, .invalidRequestTarget("chat")),
            ("ftp URI", ["GET ftp://a/chat HTTP/1.1"] + headers, .invalidRequestTarget("ftp://a/chat")),
            ("no Host", replace("Host"), .missingHost),
            ("empty Host", replace("Host", ["Host:"]), .missingHost),
            ("two Hosts", base + ["Host: other.example.com"], .duplicateHost),
            ("no Upgrade", replace("Upgrade"), .missingUpgrade),
            ("Upgrade h2c", replace("Upgrade", ["Upgrade: h2c"]), .upgradeNotWebSocket("h2c")),
            ("Upgrade websocket/13", replace("Upgrade", ["Upgrade: websocket/13"]), .upgradeNotWebSocket("websocket/13")),
            ("no Connection", replace("Connection"), .missingConnection),
            ("Connection keep-alive", replace("Connection", ["Connection: keep-alive"]), .connectionLacksUpgrade("keep-alive")),
            ("Connection Upgraded", replace("Connection", ["Connection: Upgraded"]), .connectionLacksUpgrade("Upgraded")),
            ("no key", replace("Sec-WebSocket-Key"), .missingKey),
            ("two keys", base + ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="], .duplicateKey),
            ("key not base64", replace("Sec-WebSocket-Key", ["Sec-WebSocket-Key: not*base64*at*all*abcd"]),
             .keyNotBase64("not*base64*at*all*abcd")),
            ("key unpadded", replace("Sec-WebSocket-Key", ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ"]),
             .keyNotBase64("dGhlIHNhbXBsZSBub25jZQ")),
            ("key of 15 bytes", replace("Sec-WebSocket-Key", ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"]), .keyWrongLength(15)),
            ("key of 17 bytes", replace("Sec-WebSocket-Key", ["Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA="]), .keyWrongLength(17)),
            ("no version", replace("Sec-WebSocket-Version"), .missingVersion),
            ("version 8", replace("Sec-WebSocket-Version", ["Sec-WebSocket-Version: 8"]), .unsupportedVersion("8")),
            ("version 13 and 8", base + ["Sec-WebSocket-Version: 8"], .unsupportedVersion("13, 8")),
            ("version 013", replace("Sec-WebSocket-Version", ["Sec-WebSocket-Version: 013"]), .unsupportedVersion("013")),
        ]
    }()

    @Test(arguments: violations)
    func eachRuleIsEnforced(name: String, lines: [String], expected: HandshakeError) throws {
        #expect(try Self.validate(lines) == .failure(expected), "\(name)")
    }

    @Test func aResponseHeadIsNotARequest() throws {
        let result = ServerHandshake.validate(request: try Support.response(Support.rfcResponse))
        guard case .failure(.malformedHead) = result else {
            Issue.record("expected malformedHead, got \(result)")
            return
        }
    }

    @Test func tokensAndNamesAreCaseInsensitiveAndListsAreMerged() throws {
        let lines = [
            "GET ws://server.example.com:8080/chat?room=1 HTTP/1.1",
            "host: server.example.com:8080",
            "UPGRADE: WebSocket",
            "connection: keep-alive, upgrade",
            "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol: a",
            "Sec-WebSocket-Protocol: b, c",
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
            "Sec-WebSocket-Extensions: x-foo",
            "sec-websocket-version: 13",
        ]
        let accepted = try Self.validate(lines).get()
        #expect(accepted.path == "/chat?room=1")
        #expect(accepted.subprotocols == ["a", "b", "c"])
        #expect(accepted.extensionOffers == ["permessage-deflate; client_max_window_bits", "x-foo"])
        #expect(accepted.origin == nil)
    }

    @Test(arguments: [("/", "/"), ("/a?b", "/a?b"), ("http://h", "/"), ("https://h:1?q", "/?q"),
                      ("WSS://h/x/y", "/x/y"), ("ws://h/p?q=/", "/p?q=/")])
    func resourceNames(target: String, path: String) {
        #expect(ServerHandshake.resourceName(of: target) == path)
    }

    @Test func laterHTTPVersionsAreAccepted() throws {
        let lines = ["GET /chat HTTP/1.2"] + Support.rfcRequest.dropFirst()
        #expect(try Self.validate(lines).get().version == HTTPVersion(major: 1, minor: 2))
    }

    @Test func responseForTheRFCExample() throws {
        let accepted = try Self.validate(Support.rfcRequest).get()
        let response = ServerHandshake.response(for: accepted, subprotocol: "chat")
        #expect(Array(response.readableBytesView) == Support.wire(Support.rfcResponse))
    }

    @Test func responseCarriesExtensionsAndExtraHeaders() throws {
        let accepted = try Self.validate(Support.rfcRequest).get()
        let response = ServerHandshake.response(for: accepted, extensions: "permessage-deflate",
                                                extraHeaders: [("Server", "wsconform")])
        var parser = HTTPHeadParser(kind: .response)
        var buffer = response
        let head = try #require(try parser.feed(&buffer))
        #expect(buffer.readableBytes == 0)
        #expect(head.headers["Sec-WebSocket-Extensions"] == ["permessage-deflate"])
        #expect(head.headers.map(\.name).last == "Server")
        #expect(!head.headers.contains(name: "Sec-WebSocket-Protocol"))
    }

    /// Splits a rejection into head and body and checks Content-Length and Connection: close.
    static func rejection(_ error: HandshakeError) throws -> (HTTPHead, String) {
        var buffer = ServerHandshake.rejection(for: error)
        var parser = HTTPHeadParser(kind: .response)
        let head = try #require(try parser.feed(&buffer))
        let body = Support.text(buffer)
        #expect(head.headers.firstValue("Content-Length") == String(buffer.readableBytes))
        #expect(head.headers.firstValue("Connection") == "close")
        #expect(body.contains(error.description))
        return (head, body)
    }

    @Test func versionProblemsGet426WithTheSupportedVersion() throws {
        for error in [HandshakeError.missingVersion, .unsupportedVersion("8")] {
            let (head, _) = try Self.rejection(error)
            #expect(head.status == 426)
            #expect(head.headers["Sec-WebSocket-Version"] == ["13"])
        }
    }

    @Test func otherMethodsGet405WithAllow() throws {
        let (head, _) = try Self.rejection(.methodNotGet("POST"))
        #expect(head.status == 405)
        #expect(head.headers.firstValue("Allow") == "GET")
    }

    @Test func oversizedHeadsGet431() throws {
        #expect(try Self.rejection(.headTooLarge(limit: 16384)).0.status == 431)
    }

    @Test func otherProblemsGet400() throws {
        for error in [HandshakeError.missingHost, .duplicateKey, .keyWrongLength(15), .upgradeNotWebSocket("h2c"),
                      .malformedHead("x"), .bareLineFeed(offset: 3)] {
            let (head, _) = try Self.rejection(error)
            #expect(head.status == 400, "\(error)")
            #expect(!head.headers.contains(name: "Sec-WebSocket-Version"))
        }
    }
}
