import NIOCore
import Testing
@testable import WSEngine

@Suite struct ClientHandshakeTests {
    typealias Support = HandshakeTestSupport

    @Test func requestBytes() {
        let request = ClientHandshakeRequest(host: "server.example.com", path: "/chat", key: Support.rfcKey,
                                             subprotocols: ["chat", "superchat"], origin: "http://example.com")
        let expected = [
            "GET /chat HTTP/1.1",
            "Host: server.example.com",
            "Upgrade: websocket",
            "Connection: Upgrade",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Protocol: chat, superchat",
            "Origin: http://example.com",
        ]
        #expect(Array(request.encode().readableBytesView) == Support.wire(expected))
        #expect(request.expectedAccept == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func hostPortExtensionsAndExtraHeaders() {
        let request = ClientHandshakeRequest(host: "::1", port: 9001, path: "/runCase?case=1&agent=x",
                                             extensions: "permessage-deflate; client_max_window_bits",
                                             extraHeaders: [("User-Agent", "wsconform"), ("X-A", "1")])
        let head = request.head
        #expect(head.target == "/runCase?case=1&agent=x")
        #expect(head.headers.firstValue("Host") == "[::1]:9001")
        #expect(head.headers.firstValue("Sec-WebSocket-Extensions") == "permessage-deflate; client_max_window_bits")
        #expect(!head.headers.contains(name: "Sec-WebSocket-Protocol"))
        #expect(!head.headers.contains(name: "Origin"))
        #expect(head.headers.suffix(2).map(\.name) == ["User-Agent", "X-A"])
        #expect(ClientHandshakeRequest(host: "example.com", port: 80).hostHeader == "example.com:80")
        #expect(ClientHandshakeRequest(host: "[::1]").hostHeader == "[::1]")
    }

    @Test func aBuiltRequestPassesTheServerChecks() throws {
        let request = ClientHandshakeRequest(host: "localhost", port: 9001, subprotocols: ["a", "b"])
        var parser = HTTPHeadParser(kind: .request)
        var buffer = request.encode()
        let head = try #require(try parser.feed(&buffer))
        let accepted = try ServerHandshake.validate(request: head).get()
        #expect(accepted.key == request.key)
        #expect(accepted.subprotocols == ["a", "b"])
    }

    @Test func fullRoundTripThroughBothRoles() throws {
        let request = ClientHandshakeRequest(host: "localhost", subprotocols: ["chat"],
                                             extensions: "permessage-deflate; client_max_window_bits, x-other")
        var server = HTTPHeadParser(kind: .request)
        let accepted = try ServerHandshake.validate(request: try #require(try server.feed(Array(request.encode().readableBytesView))?.head)).get()
        let responseBytes = ServerHandshake.response(for: accepted, subprotocol: "chat", extensions: "permessage-deflate")
        var client = HTTPHeadParser(kind: .response)
        let response = try #require(try client.feed(Array(responseBytes.readableBytesView))?.head)
        let result = try ClientHandshake.validate(response: response, for: request)
        #expect(result.subprotocol == "chat")
        #expect(result.extensions == "permessage-deflate")
    }

    static func validate(_ lines: [String], offeredSubprotocols: [String] = ["chat", "superchat"],
                         offeredExtensionNames: [String] = ["permessage-deflate"]) throws -> AcceptedResponse {
        try ClientHandshake.validate(response: try Support.response(lines), key: Support.rfcKey,
                                     offeredSubprotocols: offeredSubprotocols,
                                     offeredExtensionNames: offeredExtensionNames)
    }

    @Test func rfcExampleIsAccepted() throws {
        let accepted = try Self.validate(Support.rfcResponse)
        #expect(accepted.subprotocol == "chat")
        #expect(accepted.extensions == nil)
        #expect(accepted.head.status == 101)
    }

    @Test func noSubprotocolIsFine() throws {
        let accepted = try Self.validate(Support.replacing("Sec-WebSocket-Protocol", in: Support.rfcResponse))
        #expect(accepted.subprotocol == nil)
    }

    @Test func extensionsWithParametersAndQuotedCommas() throws {
        let lines = Support.rfcResponse + [
            "Sec-WebSocket-Extensions: PerMessage-Deflate; server_no_context_takeover; x=\"a, b\"",
            "Sec-WebSocket-Extensions: x-mux",
        ]
        let accepted = try Self.validate(lines, offeredExtensionNames: ["permessage-deflate", "x-mux"])
        #expect(accepted.extensions == "PerMessage-Deflate; server_no_context_takeover; x=\"a, b\", x-mux")
        #expect(ClientHandshake.extensionNames(in: "a; p=\"1,2\", b ,, c;q") == ["a", "b", "c"])
    }

    @Test func tokensAreCaseInsensitive() throws {
        let lines = ["HTTP/1.1 101 Switching Protocols", "upgrade: WEBSOCKET", "CONNECTION: keep-alive, UPGRADE",
                     "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]
        #expect(try Self.validate(lines).subprotocol == nil)
    }

    /// Each response breaks exactly one §4.1 rule of the otherwise valid RFC example.
    static let violations: [(String, [String], HandshakeError)] = {
        let base = Support.rfcResponse
        let headers = Array(base.dropFirst())
        func replace(_ name: String, _ with: [String] = []) -> [String] { Support.replacing(name, in: base, with: with) }
        return [
            ("status 200", ["HTTP/1.1 200 OK"] + headers, .statusNot101(200, reason: "OK")),
            ("status 426", ["HTTP/1.1 426 Upgrade Required"] + headers, .statusNot101(426, reason: "Upgrade Required")),
            ("HTTP/1.0", ["HTTP/1.0 101 Switching Protocols"] + headers, .httpVersionTooOld("HTTP/1.0")),
            ("no Upgrade", replace("Upgrade"), .missingUpgrade),
            ("Upgrade h2c", replace("Upgrade", ["Upgrade: h2c"]), .upgradeNotWebSocket("h2c")),
            ("no Connection", replace("Connection"), .missingConnection),
            ("Connection close", replace("Connection", ["Connection: close"]), .connectionLacksUpgrade("close")),
            ("no Accept", replace("Sec-WebSocket-Accept"), .missingAccept),
            ("two Accepts", base + ["Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="], .duplicateAccept),
            ("wrong Accept", replace("Sec-WebSocket-Accept", ["Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ=="]),
             .acceptMismatch(expected: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", got: "dGhlIHNhbXBsZSBub25jZQ==")),
            ("Accept in other case", replace("Sec-WebSocket-Accept", ["Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO="]),
             .acceptMismatch(expected: "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", got: "S3PPLMBITXAQ9KYGZZHZRBK+XOO=")),
            ("unoffered subprotocol", replace("Sec-WebSocket-Protocol", ["Sec-WebSocket-Protocol: mqtt"]),
             .unofferedSubprotocol("mqtt")),
            ("subprotocol in other case", replace("Sec-WebSocket-Protocol", ["Sec-WebSocket-Protocol: Chat"]),
             .unofferedSubprotocol("Chat")),
            ("empty subprotocol", replace("Sec-WebSocket-Protocol", ["Sec-WebSocket-Protocol:"]), .unofferedSubprotocol("")),
            ("two subprotocols in one field", replace("Sec-WebSocket-Protocol", ["Sec-WebSocket-Protocol: chat, superchat"]),
             .multipleSubprotocols(["chat", "superchat"])),
            ("two subprotocol fields", base + ["Sec-WebSocket-Protocol: superchat"], .multipleSubprotocols(["chat", "superchat"])),
            ("unoffered extension", base + ["Sec-WebSocket-Extensions: permessage-deflate, x-webkit-deflate-frame"],
             .unofferedExtension("x-webkit-deflate-frame")),
        ]
    }()

    @Test(arguments: violations)
    func eachRuleIsEnforced(name: String, lines: [String], expected: HandshakeError) {
        #expect(throws: expected, "\(name)") { try Self.validate(lines) }
    }

    @Test func extensionsNeedAnOffer() {
        let lines = Support.rfcResponse + ["Sec-WebSocket-Extensions: permessage-deflate"]
        #expect(throws: HandshakeError.unofferedExtension("permessage-deflate")) {
            try Self.validate(lines, offeredExtensionNames: [])
        }
    }

    @Test func subprotocolsNeedAnOffer() {
        #expect(throws: HandshakeError.unofferedSubprotocol("chat")) {
            try Self.validate(Support.rfcResponse, offeredSubprotocols: [])
        }
    }

    @Test func aRequestHeadIsNotAResponse() throws {
        let head = try Support.request(Support.rfcRequest)
        #expect {
            _ = try ClientHandshake.validate(response: head, key: Support.rfcKey, offeredSubprotocols: [], offeredExtensionNames: [])
        } throws: { error in
            guard case .malformedHead = error as? HandshakeError else { return false }
            return true
        }
    }

    @Test func everyErrorDescribesItself() {
        let errors = ServerHandshakeTests.violations.map(\.2) + Self.violations.map(\.2)
            + [.malformedHead("x"), .bareLineFeed(offset: 1), .headTooLarge(limit: 2)]
        let descriptions = Set(errors.map(\.description))
        #expect(descriptions.count == Set(errors).count)
        #expect(descriptions.allSatisfy { $0.count > 10 })
    }
}
