import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

extension ClientRoleDriver {
    /// The opening handshake over HTTP/2 (RFC 8441): a connection of its own for the case, the
    /// server's SETTINGS_ENABLE_CONNECT_PROTOCOL awaited (§3: a client must not send an extended
    /// CONNECT without it), then a stream opened with `:method CONNECT` and `:protocol websocket`.
    /// A 2xx answer opens the WebSocket (§5: no key, no Accept); the stream then carries the
    /// frames exactly as TCP would, so the case runs unchanged on it.
    func openOverHTTP2(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let deadline = start + timeout
        let h2: H2Connection
        do {
            h2 = try await H2Connection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: timeout)
        } catch {
            return .unreachable(error)
        }
        let fields = connectFields(extensions: deflate?.offerHeader)
        var record = HandshakeRecord(completed: false, request: Self.text(fields))

        func fail(_ why: String) async -> OpeningOutcome {
            record.failure = why
            await h2.close()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .harness, kind: .reset, at: ContinuousClock.now - start))
        }

        switch await h2.peerEnablesConnectProtocol(by: deadline) {
        case nil:
            return await fail("no SETTINGS frame from the server within \(CatalogText.format(timeout)) (open handshake timeout)")
        case false?:
            return await fail("the server's SETTINGS do not enable the extended CONNECT protocol (SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, RFC 8441 §3), so no WebSocket can be opened over HTTP/2")
        case true?:
            break
        }
        let response: H2Response
        let stream: RawConnection
        do {
            (response, stream) = try await h2.openStream(request: fields, deadline: deadline)
        } catch {
            return await fail("the extended CONNECT got no answer: \(error)")
        }
        record.response = Self.text(response.fields)
        func refuse(_ why: String) async -> OpeningOutcome {
            await stream.abort()
            return await fail(why)
        }
        guard let status = response.status else { return await refuse("the answer has no valid :status") }
        guard (200..<300).contains(status) else {
            return await refuse("the server answered the extended CONNECT with :status \(status), not 2xx (RFC 8441 §5)")
        }
        if response.endStream { return await refuse("the server ended the stream with its 2xx answer, so no WebSocket is open (RFC 8441 §5)") }
        do {
            // The same subprotocol and extension rules as an HTTP/1.1 101 (the engine's).
            let fields = HTTPHeaderFields(response.fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
            let answer = try ClientHandshake.negotiation(in: fields, offeredSubprotocols: protocols,
                                                         offeredExtensionNames: (deflate?.offerHeader).map(Self.extensionNames) ?? []).extensions
            var negotiated = try Self.negotiated(answer)
            if deflate?.strict == true, let answer, let offers = deflate?.offers {
                negotiated = try (negotiated?.parameters).map { ($0, try Self.strictlyNegotiated(answer, offers: offers)) }
            }
            record.completed = true
            record.deflate = negotiated?.parameters
            var opened = OpenedConnection(raw: stream, handshake: record, deflate: negotiated?.negotiated, leftover: ByteBuffer(),
                                          peerName: response.value("server"))
            opened.strictDeflate = deflate?.strict == true
            return .opened(opened)
        } catch {
            return await refuse("\(error)")
        }
    }

    /// The extended CONNECT's header fields: the pseudo-header fields of RFC 8441 §4, then the
    /// WebSocket fields of Autobahn's request that HTTP/2 keeps (lower case; no Host, Upgrade,
    /// Connection or Sec-WebSocket-Key, which RFC 8441 §5 and RFC 9113 §8.2.2 exclude).
    func connectFields(extensions: String?) -> [(name: String, value: String)] {
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        var fields: [(name: String, value: String)] = [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", url.secure ? "https" : "http"),
            (":path", url.target), (":authority", "\(host):\(url.port)"),
            ("user-agent", userAgent),
        ]
        if let origin { fields.append(("origin", origin)) }
        if !protocols.isEmpty { fields.append(("sec-websocket-protocol", protocols.joined(separator: ", "))) }
        if let extensions { fields.append(("sec-websocket-extensions", extensions)) }
        fields.append(("sec-websocket-version", "13"))
        return fields
    }

    /// Header fields as the report shows a handshake: one `name: value` line each.
    static func text(_ fields: [(name: String, value: String)]) -> String {
        fields.map { "\($0.name): \($0.value)\r\n" }.joined() + "\r\n"
    }
}
