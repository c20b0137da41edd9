import WSResultFormat

/// A verdict seen while other cases ran at the same time that the case's run alone did not confirm.
/// The run alone gives the verdict; this is kept as a finding about the peer (it misbehaves under
/// concurrent load), shown in the reports as "failed only when run alongside other cases".
public struct ConcurrentRun: Sendable, Hashable {
    public var behavior: Behavior
    public var behaviorClose: CloseBehavior
    public var acceptable: Bool
    /// The verdict's reasons (or its result texts when it gave none).
    public var reasons: [String]

    public init(_ r: CaseResult) {
        behavior = r.verdict.behavior
        behaviorClose = r.verdict.behaviorClose
        acceptable = r.acceptable
        reasons = r.verdict.reasons.isEmpty ? [r.verdict.result, r.verdict.resultClose] : r.verdict.reasons
    }

    public init(behavior: Behavior, behaviorClose: CloseBehavior, acceptable: Bool, reasons: [String]) {
        self.behavior = behavior
        self.behaviorClose = behaviorClose
        self.acceptable = acceptable
        self.reasons = reasons
    }
}
