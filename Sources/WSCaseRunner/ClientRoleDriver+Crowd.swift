import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

extension ClientRoleDriver {
    /// Section 27.8: opens the crowd's connections one after another within the step's `timeout`
    /// (else `timeout`), then the case's own with the usual `timeout`. The crowd stops at the first
    /// connection the server does not open (a limit: what the case's own connection meets is then
    /// the verdict). The open ones are held until the case ends (`OpenedConnection.held`), or
    /// closed at once if the case's own connection does not open; how many the server opened goes
    /// into the handshake record.
    func open(_ crowd: HandshakeStep.Crowd, then step: HandshakeStep, timeout: Duration,
              start: ContinuousClock.Instant) async -> OpeningOutcome {
        let deadline = start + (step.timeout ?? timeout)
        var held: [RawConnection] = []
        var stopped: String?
        let send = ByteBuffer(bytes: crowd.send.bytes())
        while held.count < crowd.count {
            let left = deadline - .now
            guard left > .zero else { stopped = "the harness ran out of time"; break }
            let raw: RawConnection
            do {
                raw = try await RawConnection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: left)
            } catch {
                if held.isEmpty { return .unreachable(error) } // no server at all: the run stops
                stopped = "the harness could not connect (\(error))"
                break
            }
            let request = requestHead(key: ClientHandshakeRequest.randomKey(), extensions: nil)
            let outcome = await exchange(raw, head: request.encode(), parsed: request, chop: nil, frames: ByteBuffer(),
                                         strict: nil, deadline: deadline, timeout: left, start: start)
            guard case let .opened(opened) = outcome else {
                if case let .handshakeFailed(record, _) = outcome {
                    stopped = record.responseHead.map { "it answered \"\($0.startLineText)\"" } ?? record.failure ?? "it did not open"
                }
                break
            }
            if send.readableBytes > 0 {
                do { try await opened.raw.write(send) } catch {
                    stopped = "it closed the connection on the octets sent"
                    held.append(opened.raw)
                    break
                }
            }
            held.append(opened.raw)
        }
        let note = "The server opened \(held.count) of the \(crowd.count) connections the harness held beside this one"
            + (stopped.map { "; at the next, \($0)." } ?? ".")
        var own = step
        own.crowd = nil
        own.timeout = nil
        var outcome = await openOwn(handshake: own, timeout: timeout, start: .now)
        switch outcome {
        case var .opened(opened):
            opened.handshake.crowd = note
            opened.held = held
            outcome = .opened(opened)
        case .handshakeFailed(var record, let end):
            record.crowd = note
            outcome = .handshakeFailed(record, tcpEnd: end)
            await Self.close(held)
        case let .unreachable(error):
            // The server answered the crowd: not connecting now is this case's finding, not the run's end.
            var record = HandshakeRecord(completed: false, failure: "cannot connect beside the held connections: \(error)")
            record.crowd = note
            outcome = .handshakeFailed(record, tcpEnd: nil)
            await Self.close(held)
        }
        return outcome
    }

    /// Closes connections held for a case (FIN), all at once.
    package static func close(_ held: [RawConnection]) async {
        await withTaskGroup(of: Void.self) { group in
            for raw in held { group.addTask { await raw.close() } }
        }
    }
}
