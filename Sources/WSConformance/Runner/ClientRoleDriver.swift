import NIOCore
import WSEngine
import WSTransport

/// The harness as client: connects to the server under test and sends the opening handshake the way
/// Autobahn's fuzzingclient does (the same header fields in the same order, our own User-Agent; the
/// case's permessage-deflate offers in sections 12/13), and accepts any valid permessage-deflate
/// answer, as Autobahn does.
struct ClientRoleDriver: HarnessRoleDriver {
    var role: Role { .client }
    let url: WebSocketURL
    let tls: TLSClientConfiguration?
    let userAgent: String
    let origin: String?
    let protocols: [String]

    func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let deadline = start + timeout
        let raw: RawConnection
        do {
            raw = try await RawConnection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: timeout)
        } catch {
            return .unreachable(error)
        }
        let key = ClientHandshakeRequest.randomKey()
        let request = requestHead(key: key, extensions: deflate?.offerHeader)
        let requestText = String(decoding: request.encode().readableBytesView, as: UTF8.self)
        var record = HandshakeRecord(completed: false, request: requestText)

        func fail(_ why: String) async -> OpeningOutcome {
            record.failure = why
            let peerFirst = raw.end.map { $0 == .peerClosed || $0 == .peerReset } ?? false
            // Autobahn drops TCP (a reset) when the handshake fails.
            await raw.abort()
            let at = ContinuousClock.now - start
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: peerFirst ? .peer : .harness,
                                                           kind: peerFirst ? .fin : .reset, at: at))
        }

        do { try await raw.write(request.encode()) } catch { return await fail("cannot send the handshake request: \(error)") }

        var parser = HTTPHeadParser(kind: .response)
        var headBytes: [UInt8] = []
        while true {
            switch await raw.read(until: deadline) {
            case .timeout:
                return await fail("no complete handshake response within \(CatalogText.format(timeout)) (open handshake timeout)")
            case let .end(end):
                return await fail("the connection ended before the handshake response was complete (\(end))")
            case var .bytes(buffer):
                let before = buffer.readerIndex
                // The bytes the parser consumes stop being readable in `buffer`; keep a view of them.
                let unread = buffer
                let head: HTTPHead?
                do { head = try parser.feed(&buffer) } catch {
                    return await fail("invalid handshake response: \(error)")
                }
                headBytes += unread.getBytes(at: before, length: buffer.readerIndex - before) ?? []
                guard let head else { continue }
                record.response = String(decoding: headBytes, as: UTF8.self)
                do {
                    let accepted = try ClientHandshake.validate(
                        response: head, key: key, offeredSubprotocols: protocols,
                        offeredExtensionNames: deflate == nil ? [] : [PerMessageDeflateParameters.extensionName])
                    let negotiated = try Self.negotiated(accepted.extensions)
                    record.completed = true
                    record.deflate = negotiated?.parameters
                    return .opened(OpenedConnection(raw: raw, handshake: record, deflate: negotiated?.negotiated,
                                                    leftover: buffer, peerName: head.headers.firstValue("Server")))
                } catch let error as HandshakeError {
                    return await fail("\(error)")
                } catch {
                    return await fail("\(error)")
                }
            }
        }
    }

    /// Autobahn's request: GET, User-Agent, Host with port, `Upgrade: WebSocket`, Connection,
    /// Pragma, Cache-Control, key, Origin, subprotocols, extensions, version.
    func requestHead(key: String, extensions: String?) -> HTTPHead {
        let host = url.host.contains(":") ? "[\(url.host)]" : url.host
        var headers: HTTPHeaderFields = [
            ("User-Agent", userAgent),
            ("Host", "\(host):\(url.port)"),
            ("Upgrade", "WebSocket"),
            ("Connection", "Upgrade"),
            ("Pragma", "no-cache"),
            ("Cache-Control", "no-cache"),
            ("Sec-WebSocket-Key", key),
        ]
        if let origin { headers.append("Origin", origin) }
        if !protocols.isEmpty { headers.append("Sec-WebSocket-Protocol", protocols.joined(separator: ",")) }
        if let extensions { headers.append("Sec-WebSocket-Extensions", extensions) }
        headers.append("Sec-WebSocket-Version", "13")
        return HTTPHead(startLine: .request(method: "GET", target: url.target, version: .http1_1), headers: headers)
    }

    /// The server's permessage-deflate answer, if any. Like Autobahn the harness accepts any valid
    /// answer; its own compressor follows the window and context rules the answer states.
    static func negotiated(_ header: String?) throws -> (parameters: DeflateParameters, negotiated: NegotiatedDeflate)? {
        guard let header else { return nil }
        let elements = try ExtensionHeader.parse(header)
        let deflates = elements.filter { $0.name == PerMessageDeflateParameters.extensionName }
        guard let element = deflates.first else { return nil }
        guard deflates.count == 1 else { throw OpeningError("the server accepted permessage-deflate more than once") }
        let p = try PerMessageDeflateParameters(element, stage: .response)
        let parameters = DeflateParameters(serverNoContextTakeover: p.serverNoContextTakeover,
                                           clientNoContextTakeover: p.clientNoContextTakeover,
                                           serverMaxWindowBits: p.serverMaxWindowBits, clientMaxWindowBits: p.clientMaxWindowBits?.bits)
        // As Autobahn's client: the harness keeps its compression context unless the answer says
        // client_no_context_takeover. The offer's hint is not binding (RFC 7692 §7.1.1.2: a server
        // either confirms it or ignores it), so this catches servers that rely on it unconfirmed.
        let negotiated = NegotiatedDeflate(serverNoContextTakeover: p.serverNoContextTakeover,
                                           clientNoContextTakeover: p.clientNoContextTakeover,
                                           serverMaxWindowBits: p.serverMaxWindowBits ?? 15,
                                           clientMaxWindowBits: p.clientMaxWindowBits?.bits ?? 15)
        return (parameters, negotiated)
    }
}

/// A handshake response the harness rejects for a reason the engine's validator does not name.
struct OpeningError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
