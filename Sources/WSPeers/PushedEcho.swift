import NIOCore
import WSEngine
import WSTransport

/// The echo loop of the bundled peers, run on the connection's event loop: every read is pushed to
/// it there, the echoes it causes are written and flushed at once, and no task or thread hop
/// happens per message (a round trip costs about what a hand-written C echo loop costs).
///
/// It ends the connection as `WebSocketSession.finish` does once the WebSocket is closed or failed
/// (the server closes TCP at once, the client waits up to a second for the server to close it),
/// and gives up with a Close 1001 when the connection outlives its `Limit`.
enum PushedEcho {
    enum Outcome: Sendable, Equatable {
        /// The closing handshake completed (either side started it).
        case closed
        /// The peer violated the protocol; the connection was failed with this reason.
        case failed(String)
        /// TCP ended before any Close.
        case ended
        /// The limit passed with the connection still open.
        case timedOut
    }

    enum Limit: Sendable {
        /// Nothing read for this long (the server: a silent client cannot hold it forever).
        case idle(Duration)
        /// The connection must be over by then (the client: a case that never ends).
        case deadline(ContinuousClock.Instant)
    }

    /// Echoes until the connection is over; returns once TCP is closed.
    static func run(_ session: sending WebSocketSession, limit: Limit) async -> Outcome {
        let loop = session.raw.eventLoop
        let box = NIOLoopBoundBox.makeBoxSendingValue(session, eventLoop: loop)
        let finished = loop.makePromise(of: Outcome.self)
        loop.execute {
            let pump = Pump(session: box.value, finished: finished)
            pump.start(limit: limit)
        }
        return (try? await finished.futureResult.get()) ?? .ended
    }

    /// The loop's state; created and used only on the event loop.
    private final class Pump {
        let session: WebSocketSession
        let finished: EventLoopPromise<Outcome>
        var outcome: Outcome?
        var closing = false
        var timer: Scheduled<Void>?
        var idle: TimeAmount?
        /// Set by each read; the idle timer re-arms from it instead of being re-armed per read.
        var lastRead = NIODeadline.now()

        init(session: WebSocketSession, finished: EventLoopPromise<Outcome>) {
            self.session = session
            self.finished = finished
        }

        var raw: RawConnection { session.raw }

        func start(limit: Limit) {
            let bound = NIOLoopBound(self, eventLoop: raw.eventLoop)
            raw.deliverReads { result in bound.value.handle(result) }
            switch limit {
            case let .idle(d):
                idle = TimeAmount(d)
                arm(at: .now() + TimeAmount(d))
            case let .deadline(instant):
                arm(at: NIODeadline(instant))
            }
            drain()
        }

        private func arm(at deadline: NIODeadline) {
            let bound = NIOLoopBound(self, eventLoop: raw.eventLoop)
            timer = raw.eventLoop.scheduleTask(deadline: deadline) { bound.value.limitReached() }
        }

        private func limitReached() {
            if let idle, lastRead + idle > .now() {
                arm(at: lastRead + idle)
                return
            }
            timedOut()
        }

        func handle(_ result: ReadResult) {
            switch result {
            case let .bytes(bytes):
                // After the closing handshake the client only waits for the server's FIN.
                guard !closing else { return }
                if idle != nil { lastRead = .now() }
                session.withConnection { $0.receive(bytes) }
                drain()
            case .end:
                timer?.cancel()
                if !closing { _ = raw.closeWhenWritten() }
                finished.succeed(outcome ?? .ended)
            case .timeout:
                break
            }
        }

        /// Echoes every complete message; stops at a Close or a failure.
        private func drain() {
            while outcome == nil, let event = session.withConnection({ $0.nextEvent() }) {
                switch event {
                case let .message(kind, payload): session.withConnection { $0.send(kind, payload) }
                case .closeReceived: outcome = .closed
                case let .failed(error): outcome = .failed("\(error)")
                case .ping, .pong, .frameReceived: continue
                }
            }
            flush()
            if outcome != nil { finish() }
        }

        private func flush() {
            var wrote = false
            while let out = session.withConnection({ $0.takeOutput() }) {
                raw.writeNow(out, flush: false)
                wrote = true
            }
            if wrote { raw.flushNow() }
        }

        /// RFC 6455 §7.1.1: the server closes TCP first; the client gives it a second to do so.
        private func finish() {
            guard !closing else { return }
            closing = true
            timer?.cancel()
            if session.connection.configuration.role == .server {
                _ = raw.closeWhenWritten()
            } else {
                let bound = NIOLoopBound(self, eventLoop: raw.eventLoop)
                timer = raw.eventLoop.scheduleTask(in: .seconds(1)) { _ = bound.value.raw.closeWhenWritten() }
            }
        }

        private func timedOut() {
            guard outcome == nil else { return }
            outcome = .timedOut
            session.withConnection { $0.close(code: .goingAway, reason: "no end in time") }
            flush()
            finish()
        }
    }
}
