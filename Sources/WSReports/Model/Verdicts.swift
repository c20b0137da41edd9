/// Autobahn's verdict vocabulary and the rule for an acceptable case (docs/results-schema.md).
public enum Verdicts {
    /// `behavior` values of an acceptable case.
    public static let acceptableBehaviors: Set<String> = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED"]
    /// `behaviorClose` values of an acceptable case.
    public static let acceptableCloseBehaviors: Set<String> = ["OK", "INFORMATIONAL"]

    /// `behavior` is OK, NON-STRICT, INFORMATIONAL or UNIMPLEMENTED and `behaviorClose` is OK or
    /// INFORMATIONAL.
    public static func isAcceptable(behavior: String, behaviorClose: String) -> Bool {
        acceptableBehaviors.contains(behavior) && acceptableCloseBehaviors.contains(behaviorClose)
    }
}

extension CaseRecord {
    /// The id, for ordering.
    public var key: CaseKey { CaseKey(id) }

    /// The recorded `acceptable`, else the documented rule applied to the two verdicts.
    public var isAcceptable: Bool {
        acceptable ?? Verdicts.isAcceptable(behavior: behavior, behaviorClose: behaviorClose)
    }

    /// The close code the peer sent, if any (Autobahn's `remoteCloseCode`).
    public var remoteCloseCode: Int? { close?.received?.code }

    /// `behavior / behaviorClose`, e.g. `FAILED / OK`.
    public var verdictText: String { "\(behavior) / \(behaviorClose)" }

    /// Show the duration: the recorded flag, else Autobahn's sections 9, 12 and 13.
    public var showsTime: Bool { reportTime ?? ["9", "12", "13"].contains(key.section) }

    /// Show compression ratios: the recorded flag, else Autobahn's sections 12 and 13.
    public var showsCompressionRatio: Bool { reportCompressionRatio ?? ["12", "13"].contains(key.section) }

    /// The title, else the id.
    public var displayTitle: String { title ?? "" }
}
