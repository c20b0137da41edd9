import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

extension ServerRoleDriver {
    /// Section 28.9 applies to a client that opened its WebSocket on an HTTP/2 stream.
    package var speaksHTTP2: Bool { raw.isHTTP2Stream }

    /// Section 28.9: answers the client's extended CONNECT with the case's own HEADERS (as written,
    /// forbidden fields included), then the step's frames as DATA. An answer a conforming client
    /// must refuse (`ExtendedConnect.refusalReason`), or one followed by frames the client answers,
    /// is watched: what the client does first (sends, ends or resets its stream, nothing) is the
    /// outcome, so refusing a valid answer is seen as such. Otherwise the case goes on at once.
    func open(http2Answer answer: H2Answer, step: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        // The request as HTTP/2 has it (the listener let only a well-formed extended CONNECT through);
        // what RFC 8441 asks beyond that is the case's finding, not a reason to refuse.
        let requestFields = (raw.http2RequestFields ?? []).map { (name: $0.0, value: $0.1) }
        guard let connect = try? ExtendedConnect.validateRequest(requestFields) else {
            return await open(deflate: nil, timeout: timeout, start: start)
        }
        var record = HandshakeRecord(completed: false, request: requestText)
        record.http2 = true
        var h2 = H2Record()
        h2.clientRequestFindings = ExtendedConnect.clientRequestFindings(requestFields, secure: raw.usesTLS)
        record.h2 = h2
        let fields = answer.fields(serverName: serverName)
        let refusal = ExtendedConnect.refusalReason(of: fields, endStream: answer.endStream, offeredSubprotocols: connect.subprotocols,
                                                    offeredExtensions: connect.extensions)
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
        if refusal == nil, frames.readableBytes == 0 {
            record.completed = true
            return .opened(OpenedConnection(raw: raw, handshake: record, deflate: nil, leftover: leftover,
                                            peerName: request.headers.firstValue("User-Agent")))
        }
        return await watchRefusal(record, why: refusal, mustRefuse: refusal != nil, timeout: timeout, start: start)
    }
}
