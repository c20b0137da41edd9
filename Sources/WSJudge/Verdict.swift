import WSResultFormat

/// The judge's answer for one case run.
public struct Verdict: Sendable, Hashable, CustomStringConvertible {
    public var behavior: Behavior
    public var behaviorClose: CloseBehavior
    /// Autobahn's `result` text, word for word where Autobahn has one.
    public var result: String
    /// Autobahn's `resultClose` text.
    public var resultClose: String
    /// The expected outcome whose event list matched, if any.
    public var matchedOutcome: Behavior?
    /// How the rules were applied, in order, in plain words (for reports and `--verbose`).
    public var reasons: [String]
    /// For a verdict that is not acceptable: what the peer did wrong, in one sentence (see
    /// `Judge.finding`); reports lead with it.
    public var finding: String?

    public init(behavior: Behavior, behaviorClose: CloseBehavior, result: String, resultClose: String,
                matchedOutcome: Behavior? = nil, reasons: [String] = [], finding: String? = nil) {
        self.behavior = behavior
        self.behaviorClose = behaviorClose
        self.result = result
        self.resultClose = resultClose
        self.matchedOutcome = matchedOutcome
        self.reasons = reasons
        self.finding = finding
    }

    /// True when neither field is FAILED-like: the main verdict is OK, NON-STRICT or INFORMATIONAL.
    public var passed: Bool { behavior == .ok || behavior == .nonStrict || behavior == .informational }

    public var description: String { "\(behavior) / \(behaviorClose)" }
}
