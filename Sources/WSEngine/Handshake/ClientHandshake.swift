/// What a client learns from a valid handshake response.
public struct AcceptedResponse: Hashable, Sendable {
    /// The subprotocol the server selected, if any.
    public var subprotocol: String?
    /// The raw Sec-WebSocket-Extensions value(s) the server accepted (several fields joined by ", ").
    public var extensions: String?
    public var head: HTTPHead

    public init(subprotocol: String?, extensions: String?, head: HTTPHead) {
        self.subprotocol = subprotocol
        self.extensions = extensions
        self.head = head
    }
}

/// The client's checks on the server's handshake response (RFC 6455 §4.1, "the client MUST _Fail_ the
/// WebSocket Connection" list), in that order.
public enum ClientHandshake {
    /// Validates `response` against the request that used `key` and offered the given subprotocols and
    /// extension names. Throws the first rule broken.
    public static func validate(response: HTTPHead, key: String, offeredSubprotocols: [String],
                                offeredExtensionNames: [String]) throws(HandshakeError) -> AcceptedResponse {
        guard case let .response(version, status, reason) = response.startLine else {
            throw .malformedHead("expected a status line, got the request line \"\(response.startLineText)\"")
        }
        let headers = response.headers
        guard status == 101 else { throw .statusNot101(status, reason: reason) }
        guard version >= .http1_1 else { throw .httpVersionTooOld(version.description) }

        try headers.checkUpgradeTokens()

        let accepts = headers["Sec-WebSocket-Accept"]
        guard let accept = accepts.first else { throw .missingAccept }
        guard accepts.count == 1 else { throw .duplicateAccept }
        let expected = AcceptKey.compute(forKey: key)
        guard accept == expected else { throw .acceptMismatch(expected: expected, got: accept) }

        let (subprotocol, extensions) = try negotiation(in: headers, offeredSubprotocols: offeredSubprotocols,
                                                         offeredExtensionNames: offeredExtensionNames)
        return AcceptedResponse(subprotocol: subprotocol, extensions: extensions, head: response)
    }

    /// The subprotocol and extensions a server's answer accepts, checked against the offer (RFC 6455
    /// §4.1 items 5-6). Shared by HTTP/1.1 and HTTP/2 (RFC 8441 §5 keeps these fields and rules).
    public static func negotiation(in headers: HTTPHeaderFields, offeredSubprotocols: [String],
                                   offeredExtensionNames: [String]) throws(HandshakeError) -> (subprotocol: String?, extensions: String?) {
        // Subprotocol names compare exactly (RFC 6455 §4.1 item 6: "not present in the client's handshake").
        var subprotocol: String?
        if headers.contains(name: "Sec-WebSocket-Protocol") {
            let selected = headers.tokens("Sec-WebSocket-Protocol")
            guard selected.count <= 1 else { throw .multipleSubprotocols(selected) }
            let name = selected.first ?? ""
            guard offeredSubprotocols.contains(name) else { throw .unofferedSubprotocol(name) }
            subprotocol = name
        }

        // Extension names are tokens, compared ASCII case-insensitively like other HTTP tokens.
        let extensionValues = headers["Sec-WebSocket-Extensions"]
        for name in extensionValues.flatMap(extensionNames(in:)) {
            guard offeredExtensionNames.contains(where: { HTTPHeaderFields.namesMatch($0, name) }) else {
                throw .unofferedExtension(name)
            }
        }
        return (subprotocol, extensionValues.isEmpty ? nil : extensionValues.joined(separator: ", "))
    }

    /// Validates `response` against what `request` offered (its key, subprotocols and the extension
    /// names in its Sec-WebSocket-Extensions value).
    public static func validate(response: HTTPHead, for request: ClientHandshakeRequest) throws(HandshakeError) -> AcceptedResponse {
        try validate(response: response, key: request.key, offeredSubprotocols: request.subprotocols,
                     offeredExtensionNames: request.extensions.map(extensionNames(in:)) ?? [])
    }

    /// The extension names in a Sec-WebSocket-Extensions value (RFC 6455 §9.1):
    /// `name *(";" param)` elements separated by commas; commas inside quoted strings do not separate.
    static func extensionNames(in value: String) -> [String] {
        var names: [String] = []
        var inQuotes = false, escaped = false
        var start = value.startIndex
        for index in value.indices {
            let c = value[index]
            if escaped { escaped = false; continue }
            if inQuotes {
                if c == "\\" { escaped = true } else if c == "\"" { inQuotes = false }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                names.append(nameOfElement(value[start..<index]))
                start = value.index(after: index)
            }
        }
        names.append(nameOfElement(value[start...]))
        return names.filter { !$0.isEmpty }
    }

    private static func nameOfElement(_ element: Substring) -> String {
        HTTPHeaderFields.trimmed(element.prefix { $0 != ";" })
    }
}
