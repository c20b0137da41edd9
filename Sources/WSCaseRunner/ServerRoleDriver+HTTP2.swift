import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

extension ServerRoleDriver {
    /// Section 28.9 applies to a client that opened its WebSocket on an HTTP/2 stream.
    package var speaksHTTP2: Bool { raw.isHTTP2Stream }

    /// Section 28.9: answers the client's extended CONNECT with the case's own HEADERS (as written,
    /// forbidden fields included), then the step's frames as DATA. When a conforming client may take
    /// that answer (`ExtendedConnect.refusalReason` is nil) the case goes on over the stream;
    /// otherwise the client must refuse it, and what it does next is the outcome.
    func open(http2Answer answer: H2Answer, step: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let accepted: AcceptedRequest
        switch ServerHandshake.validate(request: request) {
        case .failure:
            // The client's own request is invalid: that is the finding, whatever the case wanted to answer.
            return await open(deflate: nil, timeout: timeout, start: start)
        case let .success(a):
            accepted = a
        }
        var record = HandshakeRecord(completed: false, request: requestText)
        record.http2 = true
        var h2 = H2Record()
        h2.clientRequestFindings = ExtendedConnect.clientRequestFindings(
            (raw.http2RequestFields ?? []).map { (name: $0.0, value: $0.1) }, secure: raw.usesTLS)
        record.h2 = h2
        let fields = answer.fields(serverName: serverName)
        let refusal = ExtendedConnect.refusalReason(of: fields, endStream: answer.endStream, offeredSubprotocols: accepted.subprotocols,
                                                    offeredExtensions: accepted.extensionOffers.flatMap(ClientRoleDriver.extensionNames))
        let frames = step.frameBytes(role: role)
        do {
            try await raw.writeHTTP2Answer(fields, endStream: answer.endStream)
            if frames.readableBytes > 0 { try await raw.write(frames, chop: step.chop) }
        } catch {
            recordHTTP2Heads(&record)
            record.failure = "cannot send the answer: \(error)"
            await raw.abort()
            return .handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: .peer, kind: .reset, at: ContinuousClock.now - start))
        }
        recordHTTP2Heads(&record)
        guard let refusal else {
            record.completed = true
            return .opened(OpenedConnection(raw: raw, handshake: record, deflate: nil, leftover: leftover,
                                            peerName: request.headers.firstValue("User-Agent")))
        }
        return await watchRefusal(record, why: refusal, timeout: timeout, start: start)
    }
}
