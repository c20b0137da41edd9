import NIOConcurrencyHelpers
import NIOCore

/// A single-consumer queue between an event loop (producer) and async code (consumer), with a
/// deadline on every take and a byte budget for back-pressure.
///
/// Why not `AsyncStream`: a take must be able to give up at a deadline without ending the stream,
/// and the producer must learn when the queue is full (to stop issuing socket reads) and when it has
/// drained again (to resume). A lock plus at most one parked continuation gives exactly that.
final class Mailbox<Element: Sendable>: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Element?, Never>
        var timer: Scheduled<Void>?
    }

    private struct State {
        var queue = CircularBuffer<Element>()
        var queuedWeight = 0
        /// Returned by every take once the queue is empty; set by `finish`.
        var final: Element?
        var waiter: Waiter?
        var nextID: UInt64 = 0
        /// The producer was told to stop; `take` must wake it when the budget frees up.
        var producerPaused = false
        /// `close` was called: puts and finishes are ignored.
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    private let budget: Int
    private let weigh: @Sendable (Element) -> Int
    private let onDrained: @Sendable () -> Void

    /// - Parameters:
    ///   - budget: queued weight at or above which `hasRoom()` says no.
    ///   - weigh: the weight of one element (bytes for reads).
    ///   - onDrained: called (outside the lock) when a take frees the budget after `hasRoom()` said no.
    init(budget: Int = .max, weigh: @escaping @Sendable (Element) -> Int = { _ in 1 },
         onDrained: @escaping @Sendable () -> Void = {}) {
        self.budget = budget
        self.weigh = weigh
        self.onDrained = onDrained
    }

    /// Hands `element` to the parked consumer, or queues it.
    func put(_ element: Element) {
        let waiter: Waiter? = self.state.withLockedValue { s in
            guard s.final == nil, !s.closed else { return nil }
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.queue.append(element)
            s.queuedWeight += self.weigh(element)
            return nil
        }
        if let waiter {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: element)
        }
    }

    /// After the queued elements, every take returns `final`. Later puts and finishes are ignored.
    func finish(_ final: Element) {
        let waiter: Waiter? = self.state.withLockedValue { s in
            guard s.final == nil, !s.closed else { return nil }
            s.final = final
            defer { s.waiter = nil }
            return s.waiter
        }
        if let waiter {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: final)
        }
    }

    /// True while the queued weight is under budget; otherwise records that the producer paused.
    func hasRoom() -> Bool {
        self.state.withLockedValue { s in
            if s.queuedWeight < self.budget { return true }
            s.producerPaused = true
            return false
        }
    }

    var queuedWeight: Int { self.state.withLockedValue { $0.queuedWeight } }

    /// Removes and returns everything queued, then the final element if `finish` was called; the
    /// mailbox takes nothing more after it (a connection switching to push delivery).
    func close() -> (queued: [Element], final: Element?) {
        self.state.withLockedValue { s in
            defer {
                s.queue.removeAll()
                s.queuedWeight = 0
                s.closed = true
            }
            return (Array(s.queue), s.final)
        }
    }

    /// Removes and returns everything queued (used to clean up on shutdown).
    func drain() -> [Element] {
        self.state.withLockedValue { s in
            defer { s.queue.removeAll(); s.queuedWeight = 0 }
            return Array(s.queue)
        }
    }

    /// The next element, or nil when `deadline` passes or the task is cancelled first.
    /// One consumer at a time: a second concurrent take is a programming error.
    func take(until deadline: NIODeadline, timerLoop: any EventLoop) async -> Element? {
        let id = self.state.withLockedValue { s -> UInt64 in
            s.nextID &+= 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
                let (immediate, wake) = self.state.withLockedValue { s -> (Element??, Bool) in
                    if let element = s.queue.popFirst() {
                        s.queuedWeight -= self.weigh(element)
                        var wake = false
                        if s.producerPaused && s.queuedWeight < self.budget {
                            s.producerPaused = false
                            wake = true
                        }
                        return (.some(element), wake)
                    }
                    if let final = s.final { return (.some(final), false) }
                    if Task.isCancelled || deadline <= .now() { return (.some(nil), false) }
                    precondition(s.waiter == nil, "only one task may wait on a connection or listener at a time")
                    s.waiter = Waiter(id: id, continuation: continuation, timer: nil)
                    return (nil, false)
                }
                if wake { self.onDrained() }
                if let immediate {
                    continuation.resume(returning: immediate)
                    return
                }
                guard deadline != .distantFuture else { return }
                let timer = timerLoop.scheduleTask(deadline: deadline) { self.expire(id) }
                let keep = self.state.withLockedValue { s -> Bool in
                    guard s.waiter?.id == id else { return false }
                    s.waiter?.timer = timer
                    return true
                }
                if !keep { timer.cancel() }
            }
        } onCancel: {
            self.expire(id)
        }
    }

    /// Resumes the waiter `id` with nil, if it is still parked.
    private func expire(_ id: UInt64) {
        let waiter: Waiter? = self.state.withLockedValue { s in
            guard s.waiter?.id == id else { return nil }
            defer { s.waiter = nil }
            return s.waiter
        }
        if let waiter {
            waiter.timer?.cancel()
            waiter.continuation.resume(returning: nil)
        }
    }
}
