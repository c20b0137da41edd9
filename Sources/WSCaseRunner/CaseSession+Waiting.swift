import WSCatalog
import WSEngine

extension CaseSession {
    /// What a step waits for.
    enum WaitCondition: Sendable {
        /// The pong for the barrier ping with this payload.
        case barrierPong([UInt8])
        /// An event equal to this one has been recorded.
        case event(ExpectedEvent)
        /// The round trips are finished (done, mismatched or cut short).
        case roundTripsDone
        /// Nothing: only the timeout or the connection leaving OPEN ends the wait.
        case quiet
    }

    enum WaitOutcome: Sendable {
        case satisfied
        /// The connection is no longer open (a Close went either way, or TCP is gone).
        case notOpen
        case timedOut
    }

    struct Waiter {
        var condition: WaitCondition
        var continuation: CheckedContinuation<WaitOutcome, Never>
        var timeout: Task<Void, Never>?
        /// Events already checked against the condition: each later check looks only at new ones,
        /// so an await during a flood of 10 000 pongs costs 10 000 comparisons, not 50 million.
        var checkedEvents = 0
    }

    /// Waits until `condition` holds, the connection stops being open, or `timeout` passes; the
    /// condition is checked first, so a pong that arrived just before the peer's Close still counts.
    func wait(for condition: WaitCondition, timeout: Duration?) async -> WaitOutcome {
        if let outcome = evaluate(condition) { return outcome }
        let id = nextWaiterID
        nextWaiterID += 1
        return await withCheckedContinuation { (c: CheckedContinuation<WaitOutcome, Never>) in
            var waiter = Waiter(condition: condition, continuation: c, timeout: nil)
            waiter.checkedEvents = events.count
            if let timeout {
                let deadline = ContinuousClock.now + timeout
                waiter.timeout = Task { [weak self] in
                    do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
                    await self?.expire(id)
                }
            }
            waiters[id] = waiter
        }
    }

    private func expire(_ id: Int) {
        guard let w = waiters.removeValue(forKey: id) else { return }
        w.continuation.resume(returning: evaluate(w.condition, from: w.checkedEvents) ?? .timedOut)
    }

    /// Resumes every waiter whose wait is over.
    func resumeWaiters() {
        for (id, w) in waiters {
            guard let outcome = evaluate(w.condition, from: w.checkedEvents) else {
                waiters[id]?.checkedEvents = events.count
                continue
            }
            waiters.removeValue(forKey: id)
            w.timeout?.cancel()
            w.continuation.resume(returning: outcome)
        }
    }

    /// `from`: events before this index were already checked (events are only ever appended).
    private func evaluate(_ condition: WaitCondition, from checked: Int = 0) -> WaitOutcome? {
        switch condition {
        case let .barrierPong(payload):
            if barrierPongsSeen.contains(payload) { return .satisfied }
        case let .event(e):
            if events[min(checked, events.count)...].contains(where: { e.matches($0) }) { return .satisfied }
        case .roundTripsDone:
            if !roundTripsActive { return .satisfied }
        case .quiet:
            break
        }
        return endpoint.isOpen && !ended ? nil : .notOpen
    }
}
