import WSCatalog
import WSResults

/// Runs cases up to `jobs` at a time, in the order given, so that no verdict depends on `jobs`
/// (Cases/README.md, "Running cases at the same time"):
/// - a case that `runsAlone` (its verdict rests on time) starts only once every running case has
///   finished, and nothing starts beside it;
/// - a verdict other than OK / OK (UNIMPLEMENTED aside: that comes from the handshake alone) from a
///   run that overlapped another case is provisional: once nothing runs, the case runs again alone
///   and that verdict stands. When the two differ, the first is kept as the result's
///   `concurrentRun`, a finding about the peer.
/// With `jobs` 1 nothing overlaps, so nothing runs twice.
package struct CaseScheduler: Sendable {
    /// How one run of a case ended.
    package enum Outcome: Sendable {
        case finished(CaseResult)
        /// No result, and the run must stop (the peer cannot be reached).
        case stop(RunStop)
        /// No result: the run was cancelled.
        case cancelled
    }

    package var jobs: Int

    package init(jobs: Int) { self.jobs = max(1, jobs) }

    /// True when a verdict seen alongside other cases must be confirmed by a run alone.
    package static func needsConfirmation(_ r: CaseResult) -> Bool {
        r.verdict.behavior != .unimplemented && !(r.verdict.behavior == .ok && r.verdict.behaviorClose == .ok)
    }

    /// Runs `cases` with `body` (told whether the run is alone by design: an exclusive case or a
    /// confirmation) and hands every final result to `deliver`, in the order they become final.
    /// Results still awaiting their confirmation when the run stops are not delivered.
    package func run(_ cases: [TestCase], body: @escaping @Sendable (TestCase, _ alone: Bool) async -> Outcome,
             deliver: (CaseResult) async -> Void) async -> RunStop? {
        var stop: RunStop?
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var queue = cases[...]
            var running: [Int: Running] = [:]
            var serial = 0
            var confirmations: [TestCase] = []
            var provisional: [CaseID: CaseResult] = [:]

            func start(_ c: TestCase, alone: Bool) {
                let n = serial
                serial += 1
                for k in running.keys { running[k]?.overlapped = true }
                running[n] = Running(alone: alone, overlapped: !running.isEmpty)
                group.addTask { (n, await body(c, alone)) }
            }
            func fill() {
                while stop == nil, !Task.isCancelled, !running.values.contains(where: \.alone) {
                    if running.isEmpty, !confirmations.isEmpty {
                        start(confirmations.removeFirst(), alone: true)
                        return
                    }
                    guard let next = queue.first else { return }
                    if next.runsAlone {
                        if running.isEmpty {
                            queue.removeFirst()
                            start(next, alone: true)
                        }
                        return
                    }
                    guard running.count < jobs else { return }
                    queue.removeFirst()
                    start(next, alone: false)
                }
            }

            fill()
            while let (n, outcome) = await group.next() {
                let run = running.removeValue(forKey: n)
                switch outcome {
                case var .finished(r):
                    if let concurrent = provisional.removeValue(forKey: r.id) {
                        if concurrent.verdict.behavior != r.verdict.behavior || concurrent.verdict.behaviorClose != r.verdict.behaviorClose {
                            r.concurrentRun = ConcurrentRun(concurrent)
                        }
                        await deliver(r)
                    } else if run?.overlapped == true, Self.needsConfirmation(r) {
                        provisional[r.id] = r
                        confirmations.append(r.testCase)
                    } else {
                        await deliver(r)
                    }
                case let .stop(why):
                    if stop == nil { stop = why }
                case .cancelled:
                    break
                }
                if Task.isCancelled, stop == nil { stop = .interrupted }
                fill()
            }
        }
        if Task.isCancelled, stop == nil { stop = .interrupted }
        return stop
    }

    private struct Running {
        /// Started alone by design; nothing may start beside it.
        var alone: Bool
        /// Another case ran at some moment of this run.
        var overlapped: Bool
    }
}
