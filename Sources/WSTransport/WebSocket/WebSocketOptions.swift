import WSEngine

/// How a client opens a WebSocket.
public struct WebSocketClientOptions: Sendable {
    public var tls: TLSClientConfiguration?
    public var subprotocols: [String]
    /// permessage-deflate offer, or nil to offer no compression.
    public var deflate: ClientDeflateConfig?
    public var origin: String?
    public var extraHeaders: [(String, String)]
    public var connectTimeout: Duration
    /// Bound on sending the request and receiving the whole response head.
    public var handshakeTimeout: Duration
    public var maximumMessageSize: Int
    public var autoReplyPing: Bool
    /// zlib level (0...9) for outgoing compressed messages (see `ConnectionConfiguration`).
    public var compressionLevel: Int
    /// Open the WebSocket as an HTTP/2 stream with extended CONNECT (RFC 8441) instead of an
    /// HTTP/1.1 upgrade: h2c with prior knowledge for ws://, ALPN h2 for wss://.
    public var http2: Bool

    public init(tls: TLSClientConfiguration? = nil, subprotocols: [String] = [], deflate: ClientDeflateConfig? = nil,
                origin: String? = nil, extraHeaders: [(String, String)] = [],
                connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(10),
                maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
                autoReplyPing: Bool = true, compressionLevel: Int = 6, http2: Bool = false) {
        self.http2 = http2
        self.tls = tls
        self.subprotocols = subprotocols
        self.deflate = deflate
        self.origin = origin
        self.extraHeaders = extraHeaders
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.maximumMessageSize = maximumMessageSize
        self.autoReplyPing = autoReplyPing
        self.compressionLevel = compressionLevel
    }
}

/// How a server accepts a WebSocket.
public struct WebSocketServerOptions: Sendable {
    /// permessage-deflate policy, or nil to decline every compression offer.
    public var deflate: ServerDeflateConfig?
    /// Subprotocols this server speaks, in order of preference; the first one the client offered wins.
    public var subprotocols: [String]
    public var extraHeaders: [(String, String)]
    public var handshakeTimeout: Duration
    public var maximumMessageSize: Int
    public var autoReplyPing: Bool
    /// zlib level (0...9) for outgoing compressed messages (see `ConnectionConfiguration`).
    public var compressionLevel: Int

    public init(deflate: ServerDeflateConfig? = nil, subprotocols: [String] = [],
                extraHeaders: [(String, String)] = [], handshakeTimeout: Duration = .seconds(10),
                maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
                autoReplyPing: Bool = true, compressionLevel: Int = 6) {
        self.deflate = deflate
        self.subprotocols = subprotocols
        self.extraHeaders = extraHeaders
        self.handshakeTimeout = handshakeTimeout
        self.maximumMessageSize = maximumMessageSize
        self.autoReplyPing = autoReplyPing
        self.compressionLevel = compressionLevel
    }
}

/// Why a WebSocket could not be opened.
public enum WebSocketOpenError: Error, Sendable, CustomStringConvertible {
    case transport(TransportError)
    /// The peer's handshake broke an RFC 6455 rule (for a server: we answered with a rejection).
    case handshake(HandshakeError)
    case deflate(PerMessageDeflateError)
    case extensionHeader(ExtensionHeaderError)
    /// The handshake did not complete in time.
    case handshakeTimeout(Duration)
    /// TCP ended before the handshake completed.
    case closedDuringHandshake(ConnectionEnd)

    public var description: String {
        switch self {
        case let .transport(e): "\(e)"
        case let .handshake(e): "opening handshake rejected: \(e)"
        case let .deflate(e): "permessage-deflate negotiation failed: \(e)"
        case let .extensionHeader(e): "malformed Sec-WebSocket-Extensions: \(e)"
        case let .handshakeTimeout(d): "no complete opening handshake within \(d)"
        case let .closedDuringHandshake(end): "the connection ended during the opening handshake (\(end))"
        }
    }
}
