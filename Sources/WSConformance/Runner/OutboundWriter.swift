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
    }

    private let state = NIOLockedValueBox(State())
    private let raw: RawConnection

    init(raw: RawConnection) {
        self.raw = raw
    }

    /// Queues writes and closes, in order, as one batch: consecutive plain writes of a batch
    /// always leave as one write. Never blocks.
    func enqueue(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        push(jobs)
    }

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
                    await raw.close()
                }
            }
        }
    }

    /// Chopped writes go to the transport `choppedPiecesPerTurn` pieces at a time: each piece is
    /// its own write either way, and the event loop is not held for thousands of pieces at once
    /// (9.5.1 writes 1 MiB in 16 384 pieces), which would delay every other connection on it.
    private func write(_ w: OutgoingWrite) async throws {
        guard let chop = w.chop, w.bytes.readableBytes > chop * Self.choppedPiecesPerTurn else {
            try await raw.write(w.bytes, chop: w.chop)
            return
        }
        var rest = w.bytes
        while rest.readableBytes > 0 {
            let part = rest.readSlice(length: min(rest.readableBytes, chop * Self.choppedPiecesPerTurn))!
            try await raw.write(part, chop: chop)
        }
    }

    static let choppedPiecesPerTurn = 256

    /// Merges runs of plain writes into one buffer each.
    private func merged(_ jobs: [Job]) -> [Job] {
        var out: [Job] = []
        for job in jobs {
            if case let .write(w) = job, w.chop == nil, !w.sync, case var .write(last)? = out.last, last.chop == nil, !last.sync {
                last.bytes.writeImmutableBuffer(w.bytes)
                last.armsCloseTimer = last.armsCloseTimer || w.armsCloseTimer
                out[out.count - 1] = .write(last)
            } else {
                out.append(job)
            }
        }
        return out
    }
}
