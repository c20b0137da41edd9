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
    func openOverHTTP2(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant,
                       request: H2Request? = nil) async -> OpeningOutcome {
        let deadline = start + timeout
        let h2: H2Connection
        do {
            h2 = try await H2Connection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: timeout,
                                                settings: (request?.settings ?? []).map { ($0.id, $0.value) })
        } catch {
            return .unreachable(error)
        }
        let usual = connectFields(extensions: deflate?.offerHeader)
        let fields = request?.apply(to: usual) ?? usual
        var record = HandshakeRecord(completed: false, request: Self.text(fields))
        var siblings: [RawConnection] = []

        func fail(_ why: String, byPeer: Bool = false) async -> OpeningOutcome {
            record.failure = why
            if request != nil {
                var h2Record = record.h2 ?? H2Record()
                h2Record.connectProtocolValues = h2.facts.connectProtocolValues
                h2Record.goAway = h2.facts.goAway
                record.h2 = h2Record
            }
            await h2.close()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: byPeer ? .peer : .harness, kind: .reset,
                                                           at: ContinuousClock.now - start))
        }

        switch await h2.peerEnablesConnectProtocol(by: deadline) {
        case nil:
            if let bad = h2.facts.connectProtocolValues.first(where: { $0 > 1 }) {
                return await fail("the server's SETTINGS_ENABLE_CONNECT_PROTOCOL is \(bad), not 0 or 1 (RFC 8441 §3), so its HTTP/2 connection failed")
            }
            return await fail("no SETTINGS frame from the server within \(CatalogText.format(timeout)) (open handshake timeout)")
        case false?:
            return await fail("the server's SETTINGS do not enable the extended CONNECT protocol (SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, RFC 8441 §3), so no WebSocket can be opened over HTTP/2")
        case true?:
            break
        }
        if let request {
            // Siblings first, with the usual request: the case's stream then shares the connection.
            for i in 0..<(request.siblings + (request.resetSibling == nil ? 0 : 1)) {
                guard let sibling = try? await h2.openStream(request: usual, deadline: deadline),
                      let status = sibling.0.status, (200..<300).contains(status), !sibling.0.endStream else {
                    return await fail("sibling WebSocket \(i + 1) on the connection did not open with the usual extended CONNECT")
                }
                if i < request.siblings {
                    siblings.append(sibling.1)
                } else if let code = request.resetSibling {
                    // Half a binary message: a header announcing 1000 octets, 100 of them; then the reset.
                    var half = ByteBuffer()
                    FrameWriter.write(Frame(opcode: .binary, maskingKey: .random(), bytes: [UInt8](repeating: 0x2a, count: 1000)), into: &half)
                    try? await sibling.1.write(half.getSlice(at: half.readerIndex, length: half.readableBytes - 900)!)
                    await h2.reset(sibling.1, code: code)
                }
            }
        }
        let resetsBefore = h2.facts.resets.count
        let response: H2Response
        let stream: RawConnection
        do {
            (response, stream) = try await h2.openStream(request: fields, deadline: deadline)
        } catch {
            let facts = h2.facts
            let byPeer = facts.resets.count > resetsBefore || facts.goAway != nil
            if facts.resets.count > resetsBefore, let last = facts.resets.keys.max() {
                record.h2 = H2Record(streamReset: facts.resets[last])
            }
            return await fail("the extended CONNECT got no answer: \(error)", byPeer: byPeer)
        }
        record.response = Self.text(response.fields)
        if request != nil {
            record.responseHead = HTTPHead(startLine: .response(version: .http1_1, status: response.status ?? 0, reason: ""),
                                           headers: HTTPHeaderFields(response.fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) }))
        }
        func refuse(_ why: String) async -> OpeningOutcome {
            if request != nil, !response.endStream, !(200..<300).contains(response.status ?? 0) {
                // A refusal must end the stream (RFC 9113 §8.1.1); give the server a moment to.
                var h2Record = H2Record()
                h2Record.refusalLeftStreamOpen = !(await Self.ends(stream, by: .now + .seconds(1)))
                record.h2 = h2Record
            }
            await stream.abort()
            return await fail(why)
        }
        let answer: ExtendedConnect.Response
        do {
            answer = try ExtendedConnect.validateResponse(response.fields, endStream: response.endStream)
        } catch {
            return await refuse("the answer to the extended CONNECT is \(error) (RFC 9113 §8.1.1)")
        }
        guard (200..<300).contains(answer.status) else {
            return await refuse("the server answered the extended CONNECT with :status \(answer.status), not 2xx (RFC 8441 §5)")
        }
        if !answer.opens { return await refuse("the server ended the stream with its 2xx answer, so no WebSocket is open (RFC 8441 §5)") }
        do {
            // The same subprotocol and extension rules as an HTTP/1.1 101 (the engine's).
            let answerFields = HTTPHeaderFields(response.fields.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
            // What the request offered, as sent (a case may edit the offers).
            let sent = HTTPHeaderFields(fields.map { ($0.name, $0.value) })
            let answer = try ClientHandshake.negotiation(in: answerFields, offeredSubprotocols: sent.tokens("sec-websocket-protocol"),
                                                         offeredExtensionNames: (sent["sec-websocket-extensions"]).flatMap(Self.extensionNames)).extensions
            var negotiated = try Self.negotiated(answer)
            if deflate?.strict == true, let answer, let offers = deflate?.offers {
                negotiated = try (negotiated?.parameters).map { ($0, try Self.strictlyNegotiated(answer, offers: offers)) }
            }
            record.completed = true
            record.deflate = negotiated?.parameters
            var opened = OpenedConnection(raw: stream, handshake: record, deflate: negotiated?.negotiated, leftover: ByteBuffer(),
                                          peerName: response.value("server"))
            opened.strictDeflate = deflate?.strict == true
            if let request {
                if let code = request.goAway { await h2.sendGoAway(code: code) }
                let id = await h2.streamID(of: stream)
                if let data = request.dataAfterEndStream { await h2.endStreamThenData(stream, payload: data.bytes()) }
                opened.h2Case = H2CaseContext(connection: h2, stream: stream, streamID: id, siblings: siblings,
                                              awaitsError: request.dataAfterEndStream != nil)
            }
            return .opened(opened)
        } catch {
            return await refuse("\(error)")
        }
    }

    /// True when the stream ends (END_STREAM or RST_STREAM) by `deadline`; what arrives meanwhile is dropped.
    static func ends(_ stream: RawConnection, by deadline: ContinuousClock.Instant) async -> Bool {
        while true {
            switch await stream.read(until: deadline) {
            case .bytes: continue
            case .end: return true
            case .timeout: return false
            }
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
