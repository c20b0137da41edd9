import NIOCore
import WSEngine
import WSTransport

/// The harness as server for fuzz-client: takes the next connection from its own listener and
/// completes the server's opening handshake on any path (no extensions, no subprotocol). A client
/// that speaks Autobahn's fuzzingserver protocol works too: `/getCaseCount` is answered with 1 and
/// `/updateReports` closed at once, so `wsconform echo-client` (or any Autobahn testee client) can
/// be the client under test; every other path gets the next sequence.
struct FuzzListenerDriver: HarnessRoleDriver {
    var role: Role { .server }
    let listener: RawListener
    /// How long to wait for a client to connect (beyond the case's own open timeout).
    let acceptTimeout: Duration
    /// A listener takes one waiting task at a time; with --jobs several cases open at once.
    private let gate = AcceptGate()

    init(listener: RawListener, acceptTimeout: Duration) {
        self.listener = listener
        self.acceptTimeout = acceptTimeout
    }

    func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        let acceptDeadline = ContinuousClock.now + acceptTimeout
        while true {
            let raw: RawConnection
            await gate.enter()
            do {
                raw = try await listener.accept(until: acceptDeadline)
                await gate.leave()
            } catch {
                await gate.leave()
                return .unreachable(error)
            }
            // The handshake timer starts once a client is there: waiting for it is not its fault.
            let opened = ContinuousClock.now
            switch await handshake(raw, deadline: opened + timeout, since: start) {
            case let .sequence(outcome): return outcome
            case .protocolRequest: continue
            }
        }
    }

    private enum Handshake {
        case sequence(OpeningOutcome)
        /// An Autobahn protocol request was served on this connection; take the next one.
        case protocolRequest
    }

    private func handshake(_ raw: RawConnection, deadline: ContinuousClock.Instant, since start: ContinuousClock.Instant) async -> Handshake {
        var parser = HTTPHeadParser(kind: .request)
        var record = HandshakeRecord(completed: false)
        var text: [UInt8] = []
        func fail(_ why: String) async -> Handshake {
            record.failure = why
            let peerFirst = raw.end.map { $0 == .peerClosed || $0 == .peerReset } ?? false
            await raw.abort()
            return .sequence(.handshakeFailed(record, tcpEnd: TCPEnd(closedFirstBy: peerFirst ? .peer : .harness,
                                                                     kind: peerFirst ? .fin : .reset, at: ContinuousClock.now - start)))
        }
        while true {
            switch await raw.read(until: deadline) {
            case .timeout: return await fail("no complete handshake request in time (open handshake timeout)")
            case let .end(end): return await fail("the connection ended before the handshake request was complete (\(end))")
            case var .bytes(buffer):
                let unread = buffer
                let before = buffer.readerIndex
                let head: HTTPHead?
                do { head = try parser.feed(&buffer) } catch {
                    try? await raw.write(ServerHandshake.rejection(for: error))
                    return await fail("invalid handshake request: \(error)")
                }
                text += unread.getBytes(at: before, length: buffer.readerIndex - before) ?? []
                guard let head else { continue }
                record.request = String(decoding: text, as: UTF8.self)
                let accepted: AcceptedRequest
                switch ServerHandshake.validate(request: head) {
                case let .success(a): accepted = a
                case let .failure(error):
                    try? await raw.write(ServerHandshake.rejection(for: error))
                    return await fail("invalid handshake request: \(error)")
                }
                let response = ServerHandshake.response(for: accepted, extraHeaders: [("Server", "wsconform-fuzz-client")])
                record.response = String(decoding: response.readableBytesView, as: UTF8.self)
                do { try await raw.write(response) } catch { return await fail("cannot send the handshake response: \(error)") }
                if let answer = Self.protocolAnswer(path: accepted.path) {
                    try? await raw.write(answer)
                    await raw.close()
                    return .protocolRequest
                }
                record.completed = true
                return .sequence(.opened(OpenedConnection(raw: raw, handshake: record, deflate: nil, leftover: buffer,
                                                          peerName: head.headers.firstValue("User-Agent"))))
            }
        }
    }

    /// Autobahn's fuzzingserver protocol: one "case" (each run of the client is one sequence).
    static func protocolAnswer(path: String) -> ByteBuffer? {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        var out = ByteBuffer()
        switch route {
        case "/getCaseCount":
            FrameWriter.write(Frame(opcode: .text, bytes: Array("1".utf8)), into: &out)
        case "/updateReports":
            break
        default:
            return nil
        }
        FrameWriter.write(Frame(opcode: .close, bytes: [0x03, 0xE8]), into: &out)
        return out
    }
}

/// Lets one task at a time through (an async mutex): callers wait in order.
actor AcceptGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
