import WSCatalog
import WSResults

/// Cases a client command was started for: the fuzzing server hands their results to the command
/// runner (which adds the command's output before filing them) instead of filing them itself, and
/// tells it when the command's `/runCase` connection arrived.
actor CaseClaims {
    struct Key: Hashable, Sendable {
        var agent: String
        var id: CaseID
    }

    enum State: Sendable {
        /// Started, not connected yet.
        case waiting
        /// The `/runCase` request arrived; the case is running.
        case running
        case finished(CaseResult)
    }

    private var states: [Key: State] = [:]
    private var waiters: [Key: [Int: CheckedContinuation<CaseResult?, Never>]] = [:]
    private var nextToken = 0

    func claim(_ key: Key) { states[key] = .waiting }

    /// Drops the claim; later results for the key are filed by the server as usual.
    func release(_ key: Key) {
        states.removeValue(forKey: key)
        for (_, c) in waiters.removeValue(forKey: key) ?? [:] { c.resume(returning: nil) }
    }

    func state(_ key: Key) -> State? { states[key] }

    /// The server got `/runCase` for the key; true when it is claimed.
    func started(_ key: Key) -> Bool {
        guard states[key] != nil else { return false }
        states[key] = .running
        return true
    }

    /// The server finished the case; true when the claimant takes the result (the server must not
    /// file it).
    func finished(_ key: Key, _ result: CaseResult) -> Bool {
        guard states[key] != nil else { return false }
        states[key] = .finished(result)
        for (_, c) in waiters.removeValue(forKey: key) ?? [:] { c.resume(returning: result) }
        return true
    }

    /// Waits for the claimed case's result; nil when cancelled or released.
    func result(_ key: Key) async -> CaseResult? {
        switch states[key] {
        case let .finished(r)?: return r
        case nil: return nil
        default: break
        }
        let token = nextToken
        nextToken += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<CaseResult?, Never>) in
                if Task.isCancelled { c.resume(returning: nil) } else { waiters[key, default: [:]][token] = c }
            }
        } onCancel: {
            Task { await self.cancel(key, token) }
        }
    }

    private func cancel(_ key: Key, _ token: Int) {
        waiters[key]?.removeValue(forKey: token)?.resume(returning: nil)
    }
}
