import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

/// The harness as client: connects to the server under test and sends the opening handshake the way
/// Autobahn's fuzzingclient does (the same header fields in the same order, our own User-Agent; the
/// case's permessage-deflate offers in sections 12/13), and accepts any valid permessage-deflate
/// answer, as Autobahn does.
package struct ClientRoleDriver: HarnessRoleDriver {
    package var role: Role { .client }
    package let url: WebSocketURL
    package let tls: TLSClientConfiguration?
    package let userAgent: String
    package let origin: String?
    package let protocols: [String]

    /// Pause between the pieces of a chopped handshake (as for chopped frames).
    package var chopDelay: Duration = .microseconds(10)
    /// Each case opens its WebSocket as a stream of an HTTP/2 connection of its own (RFC 8441).
    package var http2 = false
    package var speaksHTTP2: Bool { http2 }

    package init(url: WebSocketURL, tls: TLSClientConfiguration?, userAgent: String, origin: String?, protocols: [String]) {
        self.url = url
        self.tls = tls
        self.userAgent = userAgent
        self.origin = origin
        self.protocols = protocols
    }

    package func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        if http2 { return await openOverHTTP2(deflate: deflate, timeout: timeout, start: start) }
        let raw: RawConnection
        do {
            raw = try await RawConnection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: timeout)
        } catch {
            return .unreachable(error)
        }
        let request = requestHead(key: ClientHandshakeRequest.randomKey(), extensions: deflate?.offerHeader)
        return await exchange(raw, head: request.encode(), parsed: request, chop: nil, frames: ByteBuffer(),
                              strict: deflate?.strict == true ? deflate?.offers : nil,
                              deadline: start + timeout, timeout: timeout, start: start)
    }

    /// Section 28: the case's own extended CONNECT over HTTP/2 (RFC 8441).
    package func open(http2 request: H2Request, deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        guard http2 else {
            return .handshakeFailed(HandshakeRecord(completed: false, failure: "an RFC 8441 case runs only over HTTP/2 (test-server --http2)"), tcpEnd: nil)
        }
        return await openOverHTTP2(deflate: deflate, timeout: timeout, start: start, request: request)
    }

    /// Sends the case's own handshake (sections 20–22): the usual request with the case's edits, or
    /// its raw octets, chopped if asked and followed by its frames in the same write; after the
    /// step's crowd, if it has one (section 27.8).
    package func open(handshake step: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        if case let .http2(request) = step.message {
            return await open(http2: request, deflate: nil, timeout: timeout, start: start)
        }
        if http2 {
            return .handshakeFailed(HandshakeRecord(completed: false, failure: "an HTTP/1.1 handshake case does not apply over HTTP/2"), tcpEnd: nil)
        }
        guard let crowd = step.crowd else { return await openOwn(handshake: step, timeout: timeout, start: start) }
        return await open(crowd, then: step, timeout: timeout, start: start)
    }

    func openOwn(handshake step: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let raw: RawConnection
        do {
            raw = try await RawConnection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: timeout)
        } catch {
            return .unreachable(error)
        }
        var head: ByteBuffer
        var parsed: HTTPHead?
        switch step.message {
        case let .request(edits):
            let request = edits.apply(to: requestHead(key: ClientHandshakeRequest.randomKey(), extensions: nil))
            head = request.encode()
            parsed = request
        case let .raw(payload):
            head = ByteBuffer(bytes: payload.bytes())
            // What the raw request offers, when it parses, so that a 101 can be checked against it.
            var parser = HTTPHeadParser(kind: .request, maximumHeadSize: max(16 * 1024, head.readableBytes))
            parsed = (try? parser.feed(head.readableBytesView)).map { $0.head }
        case .response, .http2, .http2Answer:
            head = ByteBuffer()
        }
        // A paced (slowloris) request has its own, longer limit: the case's budget counts it.
        let limit = step.timeout ?? timeout
        return await exchange(raw, head: head, parsed: parsed, chop: step.chop, pace: step.pace, frames: step.frameBytes(role: role),
                              strict: nil, deadline: start + limit, timeout: limit, start: start)
    }

    /// Writes a request head (and frames), reads the response head, and opens the connection when
    /// it is a valid 101 for what `parsed` offered (and, with `strict` offers, a permessage-deflate
    /// answer that fits one of them). The response head is recorded whatever it says.
    func exchange(_ raw: RawConnection, head: ByteBuffer, parsed: HTTPHead?, chop: Int?, pace: Duration? = nil,
                  frames: ByteBuffer, strict: [DeflateParameters]?,
                  deadline: ContinuousClock.Instant, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let requestText = String(decoding: head.readableBytesView, as: UTF8.self)
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

        // Octets the peer sent while a paced request was still being written (its refusal).
        var early: ReadResult?
        var writing: Task<Void, any Error>?
        do {
            if let chop, let pace {
                var rest = head
                paced: while let piece = rest.readSlice(length: min(chop, rest.readableBytes)), piece.readableBytes > 0 {
                    if ContinuousClock.now >= deadline {
                        return await fail("the peer was still reading the request after \(CatalogText.format(timeout)) "
                            + "at \(chop) octet(s) per \(CatalogText.format(pace)): the harness gave up")
                    }
                    try await raw.write(piece)
                    switch await raw.read(until: min(deadline, .now + pace)) {
                    case .timeout: continue
                    case let result: early = result; break paced
                    }
                }
                if early == nil, frames.readableBytes > 0 { try await raw.write(frames) }
            } else {
                // Written beside the reading below, so that a peer that refuses a large head while
                // it is still being written (431, then close) is heard; the read's deadline bounds it.
                let delay = chopDelay
                writing = Task {
                    if let chop {
                        try await raw.write(head, chop: chop, delay: delay)
                        if frames.readableBytes > 0 { try await raw.write(frames) }
                    } else {
                        var all = head
                        all.writeImmutableBuffer(frames)
                        try await raw.write(all)
                    }
                }
            }
        } catch {
            // The peer may have answered and closed already (a refusal of an oversized head).
            if case var .bytes(buffer) = await raw.read(until: .now + .milliseconds(100)) {
                var parser = HTTPHeadParser(kind: .response)
                record.responseHead = (try? parser.feed(&buffer)) ?? nil
            }
            return await fail("cannot send the handshake request: \(error)")
        }

        let offeredProtocols = parsed?.headers.tokens("Sec-WebSocket-Protocol") ?? []
        let offeredExtensions = (parsed?.headers["Sec-WebSocket-Extensions"] ?? []).flatMap(Self.extensionNames)
        let key = parsed?.headers.firstValue("Sec-WebSocket-Key") ?? ""
        var parser = HTTPHeadParser(kind: .response)
        var headBytes: [UInt8] = []
        while true {
            let next = if let e = early { e } else { await raw.read(until: deadline) }
            early = nil
            switch next {
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
                record.responseHead = head
                do {
                    let accepted = try ClientHandshake.validate(
                        response: head, key: key, offeredSubprotocols: offeredProtocols, offeredExtensionNames: offeredExtensions)
                    var negotiated = try Self.negotiated(accepted.extensions)
                    if let strict, let answer = accepted.extensions {
                        negotiated = try (negotiated?.parameters).map { ($0, try Self.strictlyNegotiated(answer, offers: strict)) }
                    }
                    record.completed = true
                    record.deflate = negotiated?.parameters
                    // The session writes next: the request (and its frames) must be out first.
                    if let writing, case .failure = await writing.result {
                        return await fail("cannot send the handshake request: the connection is closed")
                    }
                    var opened = OpenedConnection(raw: raw, handshake: record, deflate: negotiated?.negotiated,
                                                  leftover: buffer, peerName: head.headers.firstValue("Server"))
                    opened.strictDeflate = strict != nil
                    return .opened(opened)
                } catch {
                    return await fail("\(error)")
                }
            }
        }
    }

    /// The extension names of a Sec-WebSocket-Extensions value (a lenient parse: a deliberately
    /// malformed offer still names what it offered).
    package static func extensionNames(_ value: String) -> [String] {
        value.split(separator: ",").compactMap { element in
            let name = (element.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmedOf(" \t")
            return name.isEmpty ? nil : name
        }
    }

    /// Autobahn's request: GET, User-Agent, Host with port, `Upgrade: WebSocket`, Connection,
    /// Pragma, Cache-Control, key, Origin, subprotocols, extensions, version.
    package func requestHead(key: String, extensions: String?) -> HTTPHead {
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
    package static func negotiated(_ header: String?) throws -> (parameters: DeflateParameters, negotiated: NegotiatedDeflate)? {
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

extension ClientRoleDriver {
    /// RFC 7692 §7.1 applied to the server's answer: it must fit at least one of the offers (the
    /// engine's client-side check, with window bits 8 allowed); the agreement that results.
    package static func strictlyNegotiated(_ header: String, offers: [DeflateParameters]) throws -> NegotiatedDeflate {
        let elements = try ExtensionHeader.parse(header).filter { $0.name == PerMessageDeflateParameters.extensionName }
        guard let element = elements.first else { throw OpeningError("no permessage-deflate answer") }
        var firstError: Error?
        for offer in offers {
            let config = ClientDeflateConfig(
                clientNoContextTakeover: offer.clientNoContextTakeover,
                clientMaxWindowBits: offer.clientMaxWindowBits.map { $0 == 0 ? .noValue : .bits($0) },
                serverNoContextTakeover: offer.serverNoContextTakeover, serverMaxWindowBits: offer.serverMaxWindowBits,
                windowBits8: .runLengthOnly)
            do {
                var agreed = try PerMessageDeflate.acceptResponse(element, offered: config)
                // The offer's client_no_context_takeover is a hint: the harness keeps its context
                // unless the answer asks (as in `negotiated`), which tests a server relying on it.
                agreed.clientNoContextTakeover = (try? PerMessageDeflateParameters(element, stage: .response))?.clientNoContextTakeover ?? false
                return agreed
            } catch {
                firstError = firstError ?? error
            }
        }
        throw OpeningError("the permessage-deflate answer \"\(header)\" does not fit the offer: \(firstError.map { "\($0)" } ?? "?") (RFC 7692 §7.1)")
    }
}

/// A handshake response the harness rejects for a reason the engine's validator does not name.
struct OpeningError: Error, CustomStringConvertible {
    package let description: String
    package init(_ d: String) { description = d }
}
