import Foundation
import WSCaseRunner
import WSResults

/// Progress of a fuzzing run, for the command line.
public enum NetFuzzEvent: Sendable {
    /// A sequence ended; `finding` when the peer failed it.
    case sequence(index: Int, finding: FuzzFindingKind?)
    /// A finding with a new signature (before shrinking).
    case found(FuzzFindingKind, signature: String, sequence: Int)
    /// A finding shrunk and written (if an output directory was given).
    case reported(FuzzFinding, file: URL?)
}

/// One fuzzing run against one peer, in either role: generate sequences, run each as a case on its
/// own connection (`jobs` at a time), classify failures, then shrink and write one finding per
/// signature.
struct NetFuzzRun<Driver: HarnessRoleDriver, Launcher: FuzzPeerLauncher>: Sendable {
    let driver: Driver
    let launcher: Launcher
    let options: NetFuzzOptions
    let builder: FuzzCaseBuilder
    /// True when a peer that cannot be reached has died (a server); false when it just has not
    /// come (a client that did not connect).
    let unreachableIsDeath: Bool
    let writer: FuzzFindingWriter?

    private var generator: FuzzSequenceGenerator {
        FuzzSequenceGenerator(seed: options.seed, role: driver.role, options: options.generator)
    }

    enum Outcome: Sendable {
        case ran(FuzzSequence, CaseResult)
        /// The peer died (launcher) or could no longer be reached.
        case died(FuzzSequence, String)
        /// No peer to run against (no client connected); the sequence did not run.
        case noPeer(String)
        case cancelled
    }

    func run(progress: @escaping @Sendable (NetFuzzEvent) async -> Void) async -> NetFuzzReport {
        let start = ContinuousClock.now
        var report = NetFuzzReport(seed: options.seed, sequences: 0, validSequences: 0, findings: [], files: [], stop: nil,
                                   elapsed: .zero)
        var signatures: [String: Int] = [:]
        var recent: [FuzzSequence] = []
        var next = 0
        await withTaskGroup(of: Outcome.self) { group in
            func startNext() -> Bool {
                guard report.stop == nil, !Task.isCancelled, ContinuousClock.now - start < options.duration,
                      options.maxSequences.map({ next < $0 }) ?? true else { return false }
                let sequence = generator.sequence(next)
                next += 1
                group.addTask { await self.runUntilReached(sequence) }
                return true
            }
            for _ in 0..<options.jobs where !startNext() { break }
            for await outcome in group {
                switch outcome {
                case let .ran(sequence, result):
                    report.sequences += 1
                    if sequence.isValid { report.validSequences += 1 }
                    recent = Array((recent + [sequence]).suffix(options.jobs))
                    let kind = result.passed ? nil : FuzzFindingKind.classify(result, sequence)
                    await progress(.sequence(index: sequence.index, finding: kind))
                    if let kind {
                        let signature = FuzzFinding.signature(kind, sequence)
                        if let i = signatures[signature] {
                            report.findings[i].duplicates += 1
                        } else if report.findings.count < options.maxFindings {
                            signatures[signature] = report.findings.count
                            report.findings.append(finding(kind, sequence, result))
                            await progress(.found(kind, signature: signature, sequence: sequence.index))
                            if report.findings.count >= options.maxFindings {
                                report.stop = "\(options.maxFindings) distinct finding(s) (--max-cases)"
                            }
                        }
                    }
                case let .died(sequence, why):
                    // The sequence that made the peer die is the one that ended last before it did.
                    let culprit = recent.last ?? sequence
                    var f = FuzzFinding(kind: .died, sequence: culprit, original: culprit, testCase: builder.testCase(culprit),
                                        verdict: nil, detail: why, reproduced: nil, duplicates: 0)
                    f.testCase.notes.append("The peer stopped answering after this sequence"
                        + (recent.count > 1 ? " (or one of sequences \(recent.dropLast().map { String($0.index) }.joined(separator: ", ")), which ran alongside)" : "")
                        + ": \(why).")
                    report.findings.append(f)
                    report.stop = "the peer died: \(why)"
                    await progress(.found(.died, signature: f.signature, sequence: culprit.index))
                case let .noPeer(why):
                    if report.stop == nil { report.stop = why }
                case .cancelled:
                    if report.stop == nil { report.stop = "interrupted" }
                }
                _ = startNext()
            }
        }
        let peerDead = report.findings.contains { $0.kind == .died }
        let shrinkUntil = ContinuousClock.now + options.shrinkTime
        for i in report.findings.indices {
            if !peerDead, !Task.isCancelled, options.shrinkAttempts > 0 {
                report.findings[i] = await shrink(report.findings[i], until: shrinkUntil)
            }
            var file: URL?
            if let writer {
                do {
                    file = try writer.write(report.findings[i])
                    report.files.append(file!)
                } catch {
                    report.stop = report.stop ?? "\(error)"
                }
            }
            await progress(.reported(report.findings[i], file: file))
        }
        report.elapsed = ContinuousClock.now - start
        return report
    }

    /// Runs one sequence; a peer that cannot be reached is retried twice before it counts as gone.
    func runUntilReached(_ sequence: FuzzSequence) async -> Outcome {
        var attempt = 1
        while true {
            let outcome = await runOnce(sequence)
            guard case let .noPeer(why) = outcome else { return outcome }
            if Task.isCancelled { return .cancelled }
            if attempt >= 3 { return unreachableIsDeath ? .died(sequence, why) : outcome }
            try? await Task.sleep(for: .milliseconds(200 * attempt))
            attempt += 1
        }
    }

    /// Runs `sequence` once as its case.
    func runOnce(_ sequence: FuzzSequence) async -> Outcome {
        let handle = await launcher.launch(sequence: sequence.index)
        let outcome = await CaseRunner.run(builder.testCase(sequence), driver: driver, options: options.caseOptions, dataset: nil)
        if let why = await launcher.finish(handle) { return .died(sequence, why) }
        if Task.isCancelled { return .cancelled }
        switch outcome {
        case let .finished(result): return .ran(sequence, result)
        case let .unreachable(error): return .noPeer("\(error)")
        }
    }

    func finding(_ kind: FuzzFindingKind, _ sequence: FuzzSequence, _ result: CaseResult) -> FuzzFinding {
        FuzzFinding(kind: kind, sequence: sequence, original: sequence, testCase: result.testCase, verdict: result.verdict,
                    detail: Self.detail(result), reproduced: nil, duplicates: 0)
    }

    /// What the verdict says happened, in one line.
    static func detail(_ result: CaseResult) -> String {
        let v = result.verdict
        var parts = v.reasons.isEmpty ? [v.result] : v.reasons
        if let failure = result.observation.harnessFailure { parts.append("harness: \(failure.reason)") }
        return parts.joined(separator: " ")
    }

    /// Re-runs the finding's sequence, then ever smaller variants of it, keeping each variant that
    /// shows the same kind again.
    func shrink(_ f: FuzzFinding, until deadline: ContinuousClock.Instant) async -> FuzzFinding {
        var best = f
        var attempts = 0
        func same(_ s: FuzzSequence) async -> CaseResult? {
            attempts += 1
            guard case let .ran(_, result) = await runOnce(s), !result.passed,
                  FuzzFindingKind.classify(result, s) == f.kind else { return nil }
            return result
        }
        // Reproduce first: a finding that does not come back is reported as found, unshrunk.
        guard let again = await same(f.sequence) else {
            best.reproduced = false
            best.testCase.notes.append("Did not reproduce when re-run at once: the peer may be timing-dependent.")
            return best
        }
        best.reproduced = true
        best.verdict = again.verdict
        var progress = true
        while progress, attempts < options.shrinkAttempts, ContinuousClock.now < deadline, !Task.isCancelled {
            progress = false
            for candidate in FuzzShrinker.candidates(best.sequence) {
                guard attempts < options.shrinkAttempts, ContinuousClock.now < deadline else { break }
                if let result = await same(candidate) {
                    best.sequence = candidate
                    best.testCase = result.testCase
                    best.verdict = result.verdict
                    best.detail = Self.detail(result)
                    progress = true
                    break
                }
            }
        }
        return best
    }
}
