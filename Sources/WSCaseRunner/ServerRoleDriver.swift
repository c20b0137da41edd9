import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

/// The harness as server: it answers the opening handshake of a client under test whose request head
/// the fuzzing server already read (to route it by path). The request is validated by the engine's
/// `ServerHandshake`; in sections 12/13 the case's `DeflateSpec.answers` answer the client's
/// permessage-deflate offers as Autobahn's fuzzingserver does; in every other case no extension is
/// accepted (Autobahn's fuzzingserver accepts compression only in those sections).
package struct ServerRoleDriver: HarnessRoleDriver {
    package var role: Role { .server }
    package let raw: RawConnection
    /// The client's request head as parsed, and as it came over the wire.
    package let request: HTTPHead
    package let requestText: String
    /// Octets that followed the request head in the same reads.
    package let leftover: ByteBuffer
    /// The `Server` header of the 101 response.
    package let serverName: String
    /// Subprotocols the harness accepts (the spec's `protocols`); the first one the client offers wins.
    package let subprotocols: [String]

    package init(raw: RawConnection, request: HTTPHead, requestText: String, leftover: ByteBuffer, serverName: String,
                 subprotocols: [String]) {
        self.raw = raw
        self.request = request
        self.requestText = requestText
        self.leftover = leftover
        self.serverName = serverName
        self.subprotocols = subprotocols
    }

    package func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        var record = HandshakeRecord(completed: false, request: requestText)
        let accepted: AcceptedRequest
        switch ServerHandshake.validate(request: request) {
        case let .failure(error):
            let rejection = ServerHandshake.rejection(for: error)
            record.response = Self.headText(rejection)
            record.failure = Self.explain(error, request: request)
            try? await raw.write(rejection)
            recordHTTP2Heads(&record)
            await raw.close()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .harness, kind: .fin, at: ContinuousClock.now - start))
        case let .success(a):
            accepted = a
        }
        var answer: DeflateParameters?
        var negotiated: NegotiatedDeflate?
        if let deflate, let offers = Self.deflateOffers(accepted.extensionOffers), let r = deflate.answer(clientOffers: offers) {
            answer = r
            negotiated = NegotiatedDeflate(serverNoContextTakeover: r.serverNoContextTakeover,
                                           clientNoContextTakeover: r.clientNoContextTakeover,
                                           serverMaxWindowBits: r.serverMaxWindowBits ?? 15,
                                           clientMaxWindowBits: r.clientMaxWindowBits ?? 15)
        }
        let subprotocol = subprotocols.first { accepted.subprotocols.contains($0) }
        let response = ServerHandshake.response(for: accepted, subprotocol: subprotocol, extensions: answer?.responseHeader,
                                                extraHeaders: [("Server", serverName)])
        record.response = Self.headText(response)
        do { try await raw.write(response) } catch {
            record.failure = "cannot send the 101 response: \(error)"
            await raw.abort()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .peer, kind: .reset, at: ContinuousClock.now - start))
        }
        recordHTTP2Heads(&record)
        record.completed = true
        record.deflate = answer
        return .opened(OpenedConnection(raw: raw, handshake: record, deflate: negotiated, leftover: leftover,
                                        peerName: request.headers.firstValue("User-Agent")))
    }

    /// The client's valid permessage-deflate offers, in order (other extensions and invalid offers are
    /// skipped, as Autobahn's offer parser skips them); nil when the header does not parse at all.
    package static func deflateOffers(_ values: [String]) -> [DeflateParameters]? {
        guard !values.isEmpty, let elements = try? ExtensionHeader.parse(values) else { return nil }
        return elements.compactMap { element -> DeflateParameters? in
            guard element.name == PerMessageDeflateParameters.extensionName,
                  let p = try? PerMessageDeflateParameters(element, stage: .offer) else { return nil }
            let client: Int? = switch p.clientMaxWindowBits {
            case nil: nil
            case .noValue: 0
            case let .bits(b): b
            }
            return DeflateParameters(serverNoContextTakeover: p.serverNoContextTakeover,
                                     clientNoContextTakeover: p.clientNoContextTakeover,
                                     serverMaxWindowBits: p.serverMaxWindowBits, clientMaxWindowBits: client)
        }
    }

    /// Why the request is not a WebSocket handshake, in words a client author recognises: a plain
    /// HTTP request (no Upgrade) is the usual symptom of an HTTP stack that cannot do WebSockets.
    package static func explain(_ error: HandshakeError, request: HTTPHead) -> String {
        let line = request.startLineText
        switch error {
        case .missingUpgrade, .missingConnection:
            return "the client connected with a plain HTTP request and no WebSocket upgrade (\(line): \(error))"
        default:
            return "the client's opening handshake is invalid (\(line): \(error))"
        }
    }

    /// Over HTTP/2 the record shows the header blocks as they went over the wire (`name: value`
    /// lines), not the HTTP/1.1 request and 101 that the listener translated them to and from.
    func recordHTTP2Heads(_ record: inout HandshakeRecord) {
        func text(_ fields: [(String, String)]) -> String { fields.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" }
        if let fields = raw.http2RequestFields { record.request = text(fields) }
        if let fields = raw.http2AnswerFields { record.response = text(fields) }
    }

    /// An HTTP head (and body, if any) as text, for the handshake record.
    package static func headText(_ buffer: ByteBuffer) -> String {
        String(decoding: buffer.readableBytesView, as: UTF8.self)
    }
}
