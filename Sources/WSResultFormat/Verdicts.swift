/// The rule for an acceptable case and the verdicts' reading order: the one place both are written
/// (docs/results-schema.md documents them). The runner applies them to `Behavior` values, the
/// report writers to the strings read back from result files.
public enum Verdicts {
    /// `behavior` is OK, NON-STRICT, INFORMATIONAL or UNIMPLEMENTED (an optional extension the peer
    /// does not offer) and `behaviorClose` is OK or INFORMATIONAL.
    public static func isAcceptable(_ behavior: Behavior, _ behaviorClose: CloseBehavior) -> Bool {
        acceptableBehaviors.contains(behavior) && acceptableCloseBehaviors.contains(behaviorClose)
    }

    /// The same rule on the strings of a result file; an unknown word is not acceptable.
    public static func isAcceptable(behavior: String, behaviorClose: String) -> Bool {
        guard let b = Behavior(rawValue: behavior), let c = CloseBehavior(rawValue: behaviorClose) else { return false }
        return isAcceptable(b, c)
    }

    /// A `behavior` string that an acceptable case may have.
    public static func isAcceptable(behavior: String) -> Bool { Behavior(rawValue: behavior).map(acceptableBehaviors.contains) ?? false }
    /// A `behaviorClose` string that an acceptable case may have.
    public static func isAcceptable(behaviorClose: String) -> Bool {
        CloseBehavior(rawValue: behaviorClose).map(acceptableCloseBehaviors.contains) ?? false
    }

    /// `behavior` values of an acceptable case.
    public static let acceptableBehaviors: Set<Behavior> = [.ok, .nonStrict, .informational, .unimplemented]
    /// `behaviorClose` values of an acceptable case.
    public static let acceptableCloseBehaviors: Set<CloseBehavior> = [.ok, .informational]

    /// `behavior` values from best to worst, the order of report columns and counts.
    public static let behaviorOrder: [String] = [Behavior.ok, .nonStrict, .informational, .unimplemented, .failed].map(\.rawValue)
}
