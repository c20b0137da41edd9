import NIOCore
import WSCaseRunner
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

/// The harness as server for fuzz-client: its own task accepts every connection on its own
/// listener and completes the server's opening handshake on any path (no extensions, no
/// subprotocol); `open` takes the next one. A client that speaks Autobahn's fuzzingserver protocol
/// works too: `/getCaseCount` is answered with 1 and `/updateReports` closed at once, whenever they
/// come (a client's last request arrives after its sequence is over), so `wsconform echo-client`
/// (or any Autobahn testee client) can be the client under test; every other path gets a sequence.
final class FuzzListenerDriver: HarnessRoleDriver {
    var role: Role { .server }
    /// How long `open` waits for a client to connect.
    let acceptTimeout: Duration
    private let queue = OpenedQueue()
    private let acceptor: Task<Void, Never>

    init(listener: RawListener, acceptTimeout: Duration) {
        self.acceptTimeout = acceptTimeout
        let queue = self.queue
        acceptor = Task {
            await withDiscardingTaskGroup { group in
                while let raw = try? await listener.accept() {
                    group.addTask {
                        let start = ContinuousClock.now
                        if case let .sequence(outcome) = await Self.handshake(raw, deadline: start + .seconds(5), since: start) {
                            await queue.put(outcome)
                        }
                    }
                }
            }
            await queue.finish()
        }
    }

    /// Stops accepting (the listener itself is the caller's to close).
    func stop() async {
        acceptor.cancel()
        await queue.finish()
    }

    func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        await queue.take(timeout: acceptTimeout) ?? .unreachable(.acceptTimeout)
    }

    private enum Handshake {
        case sequence(OpeningOutcome)
        /// An Autobahn protocol request was served on this connection; take the next one.
        case protocolRequest
    }

    private static func handshake(_ raw: RawConnection, deadline: ContinuousClock.Instant, since start: ContinuousClock.Instant) async -> Handshake {
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

/// Opened connections waiting for a sequence, and the sequences waiting for one.
actor OpenedQueue {
    private var ready: [OpeningOutcome] = []
    private var waiting: [(id: Int, continuation: CheckedContinuation<OpeningOutcome?, Never>)] = []
    private var nextID = 0
    private var finished = false

    func put(_ outcome: OpeningOutcome) {
        if waiting.isEmpty {
            ready.append(outcome)
        } else {
            waiting.removeFirst().continuation.resume(returning: outcome)
        }
    }

    /// The next opened connection, or nil after `timeout` (or once no more will come).
    func take(timeout: Duration) async -> OpeningOutcome? {
        if !ready.isEmpty { return ready.removeFirst() }
        if finished { return nil }
        let id = nextID
        nextID += 1
        return await withCheckedContinuation { continuation in
            waiting.append((id, continuation))
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let i = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: i).continuation.resume(returning: nil)
    }

    func finish() {
        finished = true
        for w in waiting { w.continuation.resume(returning: nil) }
        waiting = []
    }
}
