/// Why an opening handshake (RFC 6455 §4) was rejected: one case per rule, so that a report can say
/// exactly which requirement the peer broke.
public enum HandshakeError: Error, Hashable, Sendable, CustomStringConvertible {
    // MARK: HTTP head syntax (either role)
    /// The head is not valid HTTP/1.x; the text says what and where.
    case malformedHead(String)
    /// A line ended in LF without CR (offset of the LF within the head). HTTP/1.1 requires CRLF.
    case bareLineFeed(offset: Int)
    /// No blank line ended the head within `limit` bytes.
    case headTooLarge(limit: Int)

    // MARK: Request rules (server side, §4.2.1)
    case methodNotGet(String)
    /// The request-target is neither an absolute path nor an absolute URI.
    case invalidRequestTarget(String)
    /// The HTTP version is below 1.1 (the version as it was written).
    case httpVersionTooOld(String)
    case missingHost
    case duplicateHost
    case missingUpgrade
    /// The Upgrade header has no "websocket" token (its value).
    case upgradeNotWebSocket(String)
    case missingConnection
    /// The Connection header has no "Upgrade" token (its value).
    case connectionLacksUpgrade(String)
    case missingKey
    case duplicateKey
    /// Sec-WebSocket-Key is not valid base64 (its value).
    case keyNotBase64(String)
    /// Sec-WebSocket-Key decodes to this many bytes instead of 16.
    case keyWrongLength(Int)
    case missingVersion
    /// Sec-WebSocket-Version is not "13" (its value, several headers joined by ", ").
    case unsupportedVersion(String)

    // MARK: Response rules (client side, §4.1)
    case statusNot101(Int, reason: String)
    case missingAccept
    case duplicateAccept
    case acceptMismatch(expected: String, got: String)
    /// The server selected a subprotocol the client did not offer.
    case unofferedSubprotocol(String)
    /// The server selected more than one subprotocol.
    case multipleSubprotocols([String])
    /// The server accepted an extension the client did not offer (its name).
    case unofferedExtension(String)

    /// True for problems with Sec-WebSocket-Version, which a server answers with 426 Upgrade Required.
    public var isVersionProblem: Bool {
        switch self {
        case .missingVersion, .unsupportedVersion: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .malformedHead(why): "malformed HTTP head: \(why)"
        case let .bareLineFeed(offset): "line ending without CR (bare LF) at byte \(offset) of the HTTP head; HTTP/1.1 requires CRLF"
        case let .headTooLarge(limit): "HTTP head not complete within \(limit) bytes (no blank line before the limit)"
        case let .methodNotGet(method): "request method is \(method), the WebSocket handshake requires GET"
        case let .invalidRequestTarget(target): "request-target \"\(target)\" is neither an absolute path nor an absolute URI"
        case let .httpVersionTooOld(version): "\(version) is too old, the WebSocket handshake requires HTTP/1.1 or later"
        case .missingHost: "request has no Host header (or an empty one)"
        case .duplicateHost: "request has more than one Host header"
        case .missingUpgrade: "no Upgrade header"
        case let .upgradeNotWebSocket(value): "Upgrade header \"\(value)\" has no \"websocket\" token"
        case .missingConnection: "no Connection header"
        case let .connectionLacksUpgrade(value): "Connection header \"\(value)\" has no \"Upgrade\" token"
        case .missingKey: "no Sec-WebSocket-Key header"
        case .duplicateKey: "more than one Sec-WebSocket-Key header"
        case let .keyNotBase64(value): "Sec-WebSocket-Key \"\(value)\" is not valid base64"
        case let .keyWrongLength(count): "Sec-WebSocket-Key decodes to \(count) bytes instead of 16"
        case .missingVersion: "no Sec-WebSocket-Version header"
        case let .unsupportedVersion(value): "Sec-WebSocket-Version is \"\(value)\", only 13 is supported"
        case let .statusNot101(status, reason): "status \(status) \(reason) instead of 101 Switching Protocols"
        case .missingAccept: "no Sec-WebSocket-Accept header"
        case .duplicateAccept: "more than one Sec-WebSocket-Accept header"
        case let .acceptMismatch(expected, got): "Sec-WebSocket-Accept is \"\(got)\", expected \"\(expected)\""
        case let .unofferedSubprotocol(name): "server selected subprotocol \"\(name)\", which the client did not offer"
        case let .multipleSubprotocols(names): "server selected several subprotocols (\(names.joined(separator: ", "))), at most one is allowed"
        case let .unofferedExtension(name): "server accepted extension \"\(name)\", which the client did not offer"
        }
    }
}
