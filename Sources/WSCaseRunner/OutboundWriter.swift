import NIOConcurrencyHelpers
import NIOCore
import WSTransport

/// The one place that writes to a case's connection: a FIFO drained by a single task, so writes
/// leave in the order they were queued whichever task queued them, and a chopped frame is never
/// interleaved with anything else.
///
/// Like Autobahn's transport, consecutive plain writes queued while a write is in flight are merged
/// into one (frames may share a TCP segment); `sync` and chopped writes always stand alone.
final class OutboundWriter: Sendable {
    enum Job: Sendable {
        case write(OutgoingWrite)
        /// Orderly close after everything queued before it.
        case close
    }

    private struct State {
        var jobs: [Job] = []
        var waiter: CheckedContinuation<[Job], Never>?
        var finished = false
        /// From the first queued job until the queue is drained and every write of it is done.
        var busy = false
    }

    private let state = NIOLockedValueBox(State())
    private let raw: RawConnection
    private let chopDelay: Duration

    init(raw: RawConnection, chopDelay: Duration) {
        self.raw = raw
        self.chopDelay = chopDelay
    }

    /// Queues writes and closes, in order, as one batch: consecutive plain writes of a batch
    /// always leave as one write. Never blocks.
    func enqueue(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        push(jobs)
    }

    /// True when nothing is queued or being written: a write may then go to the socket directly
    /// without overtaking anything.
    var isIdle: Bool { state.withLockedValue { !$0.busy && !$0.finished } }

    /// Stops the writer: queued jobs are dropped, `run` returns.
    func finish() {
        let waiter: CheckedContinuation<[Job], Never>? = state.withLockedValue { s in
            s.finished = true
            s.jobs.removeAll()
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: [])
    }

    private func push(_ jobs: [Job]) {
        let waiter: CheckedContinuation<[Job], Never>? = state.withLockedValue { s in
            guard !s.finished else { return nil }
            s.busy = true
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.jobs += jobs
            return nil
        }
        waiter?.resume(returning: jobs)
    }

    private func take() async -> [Job] {
        await withCheckedContinuation { (c: CheckedContinuation<[Job], Never>) in
            let ready: [Job]? = state.withLockedValue { s in
                if s.finished { return [] }
                if !s.jobs.isEmpty {
                    defer { s.jobs.removeAll(keepingCapacity: true) }
                    return s.jobs
                }
                s.busy = false
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }

    /// Drains the queue until `finish()`. `written` reports each write once it reached the kernel.
    func run(written: @escaping @Sendable (OutgoingWrite) async -> Void) async {
        while true {
            let jobs = await take()
            if jobs.isEmpty { return }
            for job in merged(jobs) {
                switch job {
                case let .write(w):
                    do {
                        try await write(w)
                    } catch {
                        // The connection is gone; the reader reports how it ended.
                        continue
                    }
                    await written(w)
                case .close:
                    // Writes made straight on the event loop may still wait for the kernel.
                    await raw.writesDone()
                    await raw.close()
                }
            }
        }
    }

    /// Chopped writes leave piece by piece, each its own write (see `CaseRunOptions.chopDelay`), so
    /// the peer gets the octets in separate segments; the transport never holds the event loop
    /// for thousands of pieces at once (9.5.1 writes 16 384).
    private func write(_ w: OutgoingWrite) async throws {
        try await raw.write(w.bytes, chop: w.chop, delay: w.chop == nil ? .zero : chopDelay)
    }

    /// Merges runs of plain writes into one buffer each, copying every octet once (9.3.1 queues
    /// 65 537 frames at a time: appending them one by one to a shared buffer would be quadratic).
    private func merged(_ jobs: [Job]) -> [Job] {
        var out: [Job] = []
        var run: [OutgoingWrite] = []
        func endRun() {
            guard run.count > 1 else {
                out += run.map(Job.write)
                run.removeAll()
                return
            }
            var bytes = ByteBuffer()
            bytes.reserveCapacity(run.reduce(0) { $0 + $1.bytes.readableBytes })
            for w in run { bytes.writeImmutableBuffer(w.bytes) }
            out.append(.write(OutgoingWrite(bytes: bytes, chop: nil, sync: false,
                                            armsCloseTimer: run.contains(where: \.armsCloseTimer))))
            run.removeAll()
        }
        for job in jobs {
            if case let .write(w) = job, w.chop == nil, !w.sync {
                run.append(w)
            } else {
                endRun()
                out.append(job)
            }
        }
        endRun()
        return out
    }
}
