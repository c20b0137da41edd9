import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

extension ServerRoleDriver {
    /// Section 21: answers the client with the case's own response (the usual 101 with edits, or raw
    /// octets) and the step's frames. When that answer is a valid 101 for the client's request the
    /// case goes on over the connection. Otherwise the client must fail the connection, and what it
    /// does next is the outcome: closing TCP (`closed`), sending anything — it treated the
    /// connection as open (`opened`, then judged like any open connection) — or neither within
    /// `timeout`.
    package func open(handshake step: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let accepted: AcceptedRequest
        switch ServerHandshake.validate(request: request) {
        case .failure:
            // The client's own request is invalid: that is the finding, whatever the case wanted to answer.
            return await open(deflate: nil, timeout: timeout, start: start)
        case let .success(a):
            accepted = a
        }
        let head: ByteBuffer
        var parsed: HTTPHead?
        switch step.message {
        case let .response(edits):
            let edited = edits.apply(to: ServerHandshake.responseHead(for: accepted, extraHeaders: [("Server", serverName)]))
            head = edited.encode()
            parsed = edited
        case let .raw(payload):
            head = ByteBuffer(bytes: payload.bytes())
            var parser = HTTPHeadParser(kind: .response, maximumHeadSize: max(16 * 1024, head.readableBytes))
            parsed = (try? parser.feed(head.readableBytesView)).map { $0.head }
        case let .http2Answer(answer):
            return await open(http2Answer: answer, step: step, timeout: timeout, start: start)
        case .request, .http2:
            return .handshakeFailed(HandshakeRecord(completed: false, request: requestText,
                                                    failure: "a request-edit handshake step tests servers, not clients"),
                                    tcpEnd: nil)
        }
        var record = HandshakeRecord(completed: false, request: requestText, response: Self.recordText(head))
        let frames = step.frameBytes(role: role)
        // Would a conforming client accept this answer? Checked with the engine's client rules.
        let valid = parsed.map { response in
            (try? ClientHandshake.validate(response: response, key: accepted.key, offeredSubprotocols: accepted.subprotocols,
                                           offeredExtensionNames: accepted.extensionOffers.flatMap(ClientRoleDriver.extensionNames))) != nil
        } ?? false

        if valid {
            do { try await send(head, chop: step.chop, frames: frames) } catch {
                record.failure = "cannot send the 101 response: \(error)"
                await raw.abort()
                return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .peer, kind: .reset, at: ContinuousClock.now - start))
            }
            record.completed = true
            return .opened(OpenedConnection(raw: raw, handshake: record, deflate: nil, leftover: leftover,
                                            peerName: request.headers.firstValue("User-Agent")))
        }

        // An answer the client must refuse. It may stop reading a head that never ends, so the write
        // runs beside the watch and is abandoned with the connection.
        let raw = self.raw
        let chop = step.chop
        let writer = Task { try? await Self.write(raw, head, chop: chop, frames: frames) }
        defer { writer.cancel() }
        return await watchRefusal(record, why: nil, timeout: timeout, start: start)
    }

    /// After an answer the client must refuse (`mustRefuse`), or one it may refuse: what it does
    /// next is the outcome. Ending the connection (over HTTP/2: its stream) is a refusal, sending
    /// anything treats it as open.
    func watchRefusal(_ record: HandshakeRecord, why: String?, mustRefuse: Bool = true, timeout: Duration,
                      start: ContinuousClock.Instant) async -> OpeningOutcome {
        var record = record
        let answer = mustRefuse ? (raw.isHTTP2Stream ? "the invalid answer" : "the invalid response") : "the answer"
        if leftover.readableBytes > 0 {
            return opened(record, sent: leftover, mustRefuse: mustRefuse)
        }
        switch await raw.read(until: start + timeout) {
        case let .bytes(bytes):
            return opened(record, sent: bytes, mustRefuse: mustRefuse)
        case let .end(end):
            record.failure = raw.isHTTP2Stream
                ? "the client \(end == .peerReset ? "reset" : "ended") its stream after \(answer)\(why.map { " (\($0))" } ?? "")"
                : "the client closed the connection after \(answer) (\(end))"
            let kind: TCPEnd.Kind = end == .peerReset ? .reset : .fin
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .peer, kind: kind, at: ContinuousClock.now - start))
        case .timeout:
            record.failure = "the client neither closed the \(raw.isHTTP2Stream ? "stream" : "connection") nor sent anything within \(CatalogText.format(timeout)) after \(answer)\(why.map { " (\($0))" } ?? "")"
            await raw.abort()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .harness, kind: .reset, at: ContinuousClock.now - start))
        }
    }

    /// The client went on after an answer it had to refuse: the connection counts as opened, and
    /// what it sent is read as its first frames.
    private func opened(_ record: HandshakeRecord, sent: ByteBuffer, mustRefuse: Bool) -> OpeningOutcome {
        var record = record
        record.completed = true
        if mustRefuse { record.failure = "the client accepted \(raw.isHTTP2Stream ? "an answer" : "a response") it had to refuse and sent data" }
        return .opened(OpenedConnection(raw: raw, handshake: record, deflate: nil, leftover: sent,
                                        peerName: request.headers.firstValue("User-Agent")))
    }

    private func send(_ head: ByteBuffer, chop: Int?, frames: ByteBuffer) async throws(TransportError) {
        try await Self.write(raw, head, chop: chop, frames: frames)
    }

    private static func write(_ raw: RawConnection, _ head: ByteBuffer, chop: Int?, frames: ByteBuffer) async throws(TransportError) {
        if let chop {
            try await raw.write(head, chop: chop)
            if frames.readableBytes > 0 { try await raw.write(frames) }
        } else {
            var all = head
            all.writeImmutableBuffer(frames)
            try await raw.write(all)
        }
    }

    /// What the harness sent, for the record: at most 4 KiB (21.5.3 sends a 1 MiB head).
    static func recordText(_ head: ByteBuffer) -> String {
        let limit = 4096
        let text = String(decoding: head.readableBytesView.prefix(limit), as: UTF8.self)
        return head.readableBytes > limit ? text + "… (\(head.readableBytes) octets in all)" : text
    }
}
