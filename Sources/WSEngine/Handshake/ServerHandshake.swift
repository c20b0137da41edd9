import NIOCore

/// The server side of the opening handshake (RFC 6455 §4.2): validating a client's request, and
/// writing the 101 response or an HTTP rejection.
public enum ServerHandshake {
    /// Checks every §4.2.1 rule, in order: method GET, HTTP/1.1 or later, a usable request-target, one
    /// non-empty Host, Upgrade with a "websocket" token, Connection with an "Upgrade" token, exactly one
    /// Sec-WebSocket-Key that is base64 of 16 bytes, and Sec-WebSocket-Version exactly "13".
    public static func validate(request: HTTPHead) -> Result<AcceptedRequest, HandshakeError> {
        Result { () throws(HandshakeError) in try check(request) }
    }

    private static func check(_ request: HTTPHead) throws(HandshakeError) -> AcceptedRequest {
        guard case let .request(method, target, version) = request.startLine else {
            throw .malformedHead("expected a request line, got the status line \"\(request.startLineText)\"")
        }
        let headers = request.headers
        // Methods are case-sensitive (RFC 7231 §4.1): "get" is not GET.
        guard method == "GET" else { throw .methodNotGet(method) }
        guard version >= .http1_1 else { throw .httpVersionTooOld(version.description) }
        guard let path = resourceName(of: target) else { throw .invalidRequestTarget(target) }

        let hosts = headers["Host"]
        guard let host = hosts.first, !host.isEmpty else { throw .missingHost }
        guard hosts.count == 1 else { throw .duplicateHost }

        try headers.checkUpgradeTokens()

        let keys = headers["Sec-WebSocket-Key"]
        guard let key = keys.first else { throw .missingKey }
        guard keys.count == 1 else { throw .duplicateKey }
        guard let decoded = Base64.decode(key) else { throw .keyNotBase64(key) }
        guard decoded.count == 16 else { throw .keyWrongLength(decoded.count) }

        let versions = headers["Sec-WebSocket-Version"]
        guard !versions.isEmpty else { throw .missingVersion }
        let versionText = versions.joined(separator: ", ")
        guard versionText == "13" else { throw .unsupportedVersion(versionText) }

        return AcceptedRequest(key: key, path: path, host: host,
                               subprotocols: headers.tokens("Sec-WebSocket-Protocol"),
                               extensionOffers: headers["Sec-WebSocket-Extensions"],
                               origin: headers.firstValue("Origin"), version: version, headers: headers)
    }

    /// The resource name for an origin-form target ("/path?query") or an absolute URI with an
    /// http(s)/ws(s) scheme (RFC 6455 §4.2.1 item 1); nil for anything else (e.g. "*", "chat").
    static func resourceName(of target: String) -> String? {
        if target.hasPrefix("/") { return target }
        guard let schemeEnd = target.range(of: "://") else { return nil }
        let scheme = target[..<schemeEnd.lowerBound].lowercased()
        guard ["http", "https", "ws", "wss"].contains(scheme) else { return nil }
        let afterAuthority = target[schemeEnd.upperBound...].drop { $0 != "/" && $0 != "?" }
        if afterAuthority.isEmpty { return "/" }
        return afterAuthority.hasPrefix("?") ? "/" + afterAuthority : String(afterAuthority)
    }

    /// The 101 Switching Protocols response for an accepted request. `subprotocol` and `extensions` are
    /// written as given, without checking them against the offers: a harness may answer wrongly on purpose.
    public static func response(for request: AcceptedRequest, subprotocol: String? = nil, extensions: String? = nil,
                                extraHeaders: [(String, String)] = []) -> ByteBuffer {
        responseHead(for: request, subprotocol: subprotocol, extensions: extensions, extraHeaders: extraHeaders).encode()
    }

    /// The head `response(for:subprotocol:extensions:extraHeaders:)` encodes, for callers that edit it first.
    public static func responseHead(for request: AcceptedRequest, subprotocol: String? = nil, extensions: String? = nil,
                                    extraHeaders: [(String, String)] = []) -> HTTPHead {
        var headers: HTTPHeaderFields = [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", AcceptKey.compute(forKey: request.key)),
        ]
        if let subprotocol { headers.append("Sec-WebSocket-Protocol", subprotocol) }
        if let extensions { headers.append("Sec-WebSocket-Extensions", extensions) }
        for (name, value) in extraHeaders { headers.append(name, value) }
        return HTTPHead(startLine: .response(version: .http1_1, status: 101, reason: "Switching Protocols"), headers: headers)
    }

    /// The HTTP response that refuses a handshake: 426 Upgrade Required with `Sec-WebSocket-Version: 13`
    /// for a missing or unsupported version (RFC 6455 §4.2.2, §4.4), 405 with `Allow: GET` for another
    /// method, 431 for an oversized head (RFC 6585 §5), 400 Bad Request otherwise. Always with a short
    /// text body saying why, Content-Length and `Connection: close`.
    public static func rejection(for error: HandshakeError) -> ByteBuffer {
        let (status, reason, extra): (Int, String, (String, String)?) = switch error {
        case _ where error.isVersionProblem: (426, "Upgrade Required", ("Sec-WebSocket-Version", "13"))
        case .methodNotGet: (405, "Method Not Allowed", ("Allow", "GET"))
        case .headTooLarge: (431, "Request Header Fields Too Large", nil)
        default: (400, "Bad Request", nil)
        }
        let body = "WebSocket handshake rejected: \(error)\n"
        var headers: HTTPHeaderFields = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", String(body.utf8.count)),
            ("Connection", "close"),
        ]
        if let extra { headers.append(extra.0, extra.1) }
        var out = ByteBuffer()
        HTTPHead(startLine: .response(version: .http1_1, status: status, reason: reason), headers: headers)
            .write(to: &out)
        out.writeString(body)
        return out
    }
}
