import NIOCore

/// The opening handshake a client sends (RFC 6455 §4.1). All fields are plain values, so a harness can
/// build a valid request and then change any part of it on purpose.
public struct ClientHandshakeRequest: Hashable, Sendable {
    public var host: String
    /// Written into the Host header when set (e.g. a non-default port).
    public var port: Int?
    /// The resource name: absolute path with optional query, e.g. "/chat?room=1".
    public var path: String
    /// Sec-WebSocket-Key: base64 of 16 bytes.
    public var key: String
    /// Offered subprotocols, in preference order; no Sec-WebSocket-Protocol header when empty.
    public var subprotocols: [String]
    /// The raw Sec-WebSocket-Extensions value; no header when nil.
    public var extensions: String?
    public var origin: String?
    /// Sec-WebSocket-Version; "13" unless a case wants to offer another.
    public var version: String
    /// Written after the standard fields, in order.
    public var extraHeaders: [HTTPHeaderField]

    /// A request for `path` on `host`. A nil `key` draws a fresh random one (RFC 6455 §4.1 asks for a
    /// randomly selected 16-byte value for each connection).
    public init(host: String, port: Int? = nil, path: String = "/", key: String? = nil,
                subprotocols: [String] = [], extensions: String? = nil, origin: String? = nil,
                version: String = "13", extraHeaders: [(String, String)] = []) {
        self.host = host
        self.port = port
        self.path = path
        self.key = key ?? Self.randomKey()
        self.subprotocols = subprotocols
        self.extensions = extensions
        self.origin = origin
        self.version = version
        self.extraHeaders = extraHeaders.map { HTTPHeaderField(name: $0.0, value: $0.1) }
    }

    /// A random Sec-WebSocket-Key from the system's random source.
    public static func randomKey() -> String {
        var g = SystemRandomNumberGenerator()
        return randomKey(using: &g)
    }

    public static func randomKey<G: RandomNumberGenerator>(using g: inout G) -> String {
        Base64.encode((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &g) })
    }

    /// The Host header value; IPv6 literals get brackets.
    public var hostHeader: String {
        let name = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return port.map { "\(name):\($0)" } ?? name
    }

    /// The Sec-WebSocket-Accept value a correct server answers with.
    public var expectedAccept: String { AcceptKey.compute(forKey: key) }

    public var head: HTTPHead {
        var headers: HTTPHeaderFields = [
            ("Host", hostHeader),
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Key", key),
            ("Sec-WebSocket-Version", version),
        ]
        if !subprotocols.isEmpty { headers.append("Sec-WebSocket-Protocol", subprotocols.joined(separator: ", ")) }
        if let extensions { headers.append("Sec-WebSocket-Extensions", extensions) }
        if let origin { headers.append("Origin", origin) }
        headers.fields += extraHeaders
        return HTTPHead(startLine: .request(method: "GET", target: path, version: .http1_1), headers: headers)
    }

    /// The request bytes.
    public func encode() -> ByteBuffer { head.encode() }
}
