import NIOCore
import WSEngine

/// Builds HTTP heads for the handshake tests by running text through `HTTPHeadParser`.
enum HandshakeTestSupport {
    /// The request of RFC 6455 §1.2 (with the key of §1.3), as lines without CRLF.
    static let rfcRequest = [
        "GET /chat HTTP/1.1",
        "Host: server.example.com",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Origin: http://example.com",
        "Sec-WebSocket-Protocol: chat, superchat",
        "Sec-WebSocket-Version: 13",
    ]

    /// The matching response of RFC 6455 §1.2.
    static let rfcResponse = [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
        "Sec-WebSocket-Protocol: chat",
    ]

    static let rfcKey = "dGhlIHNhbXBsZSBub25jZQ=="

    static func wire(_ lines: [String]) -> [UInt8] {
        Array((lines.map { $0 + "\r\n" }.joined() + "\r\n").utf8)
    }

    static func head(_ lines: [String], kind: HTTPHeadParser.Kind) throws -> HTTPHead {
        var parser = HTTPHeadParser(kind: kind)
        let bytes = wire(lines)
        guard let (head, consumed) = try parser.feed(bytes), consumed == bytes.count else {
            throw TestFailure.incomplete
        }
        return head
    }

    static func request(_ lines: [String]) throws -> HTTPHead { try head(lines, kind: .request) }
    static func response(_ lines: [String]) throws -> HTTPHead { try head(lines, kind: .response) }

    /// `lines` with every field called `name` removed (case-insensitively) and `replacements` appended.
    static func replacing(_ name: String, in lines: [String], with replacements: [String] = []) -> [String] {
        lines.filter { !$0.lowercased().hasPrefix(name.lowercased() + ":") } + replacements
    }

    static func text(_ buffer: ByteBuffer) -> String { String(decoding: buffer.readableBytesView, as: UTF8.self) }

    enum TestFailure: Error { case incomplete }
}
