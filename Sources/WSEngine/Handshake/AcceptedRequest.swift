/// What a server learns from a valid handshake request (RFC 6455 §4.2.1).
public struct AcceptedRequest: Hashable, Sendable {
    /// Sec-WebSocket-Key as sent (the Accept value is computed from this text, not its decoding).
    public var key: String
    /// The resource name: the request-target's path and query (taken out of an absolute URI if needed).
    public var path: String
    public var host: String
    /// Every offered subprotocol, all Sec-WebSocket-Protocol fields merged, in order.
    public var subprotocols: [String]
    /// Every Sec-WebSocket-Extensions value as sent, in order (to be parsed by the extension negotiators).
    public var extensionOffers: [String]
    public var origin: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaderFields

    public init(key: String, path: String, host: String, subprotocols: [String] = [],
                extensionOffers: [String] = [], origin: String? = nil, version: HTTPVersion = .http1_1,
                headers: HTTPHeaderFields = []) {
        self.key = key
        self.path = path
        self.host = host
        self.subprotocols = subprotocols
        self.extensionOffers = extensionOffers
        self.origin = origin
        self.version = version
        self.headers = headers
    }
}
