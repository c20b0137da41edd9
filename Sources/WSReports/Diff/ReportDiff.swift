import WSResultFormat

/// The comparison of two result sets, case by case. Only what a peer does is compared (verdicts,
/// close codes, events, the closing handshake); volatile fields (durations, timestamps, masks,
/// ports, handshake keys, wire logs) are ignored.
public struct ReportDiff: Sendable {
    /// What happened to a case between OLD and NEW, in report order.
    public enum Kind: String, Sendable, CaseIterable {
        /// Was acceptable, now is not.
        case regression
        /// Was not acceptable, now is.
        case fixed
        /// A different verdict, still acceptable (or still failing).
        case changed
        /// The same verdict, but the peer did something else (close code, events, closing).
        case observationChanged = "observation-changed"
        /// Only in NEW.
        case new
        /// Only in OLD.
        case removed
        case unchanged

        /// The kind in counts (`regressions`, `new cases`).
        public var plural: String {
            switch self {
            case .regression: "regressions"
            case .fixed: "fixed"
            case .changed: "changed verdicts"
            case .observationChanged: "changed observations"
            case .new: "new cases"
            case .removed: "removed cases"
            case .unchanged: "unchanged"
            }
        }

        /// `1 regression`, `2 regressions`, `1 new case`…
        public func counted(_ n: Int) -> String {
            let singular: String
            switch self {
            case .regression: singular = "regression"
            case .changed: singular = "changed verdict"
            case .observationChanged: singular = "changed observation"
            case .new: singular = "new case"
            case .removed: singular = "removed case"
            case .fixed, .unchanged: return "\(n) \(plural)"
            }
            return "\(n) \(n == 1 ? singular : plural)"
        }

        /// The heading of the kind's group in reports.
        public var heading: String {
            switch self {
            case .regression: "Regressions"
            case .fixed: "Fixed"
            case .changed: "Changed verdicts"
            case .observationChanged: "Same verdict, different observations"
            case .new: "New cases"
            case .removed: "Removed cases"
            case .unchanged: "Unchanged"
            }
        }
    }

    /// One case's comparison.
    public struct Transition: Sendable {
        public var kind: Kind
        public var id: String
        public var title: String?
        /// The agent, when the sets held several runs and runs were matched by agent.
        public var agent: String?
        /// The case in OLD and in NEW (nil where it is missing).
        public var old: CaseRecord?
        public var new: CaseRecord?
        /// What differs, in words (`peer close code 1000 → 1002`).
        public var details: [String]
    }

    /// The runs compared.
    public var old: [ReportRun]
    public var new: [ReportRun]
    /// Every case of both sets, grouped by kind (in `Kind` order), then by id.
    public var transitions: [Transition]
    /// Things to know before trusting the comparison (different catalogs, unmatched agents).
    public var warnings: [String]

    /// How many cases are of this kind.
    public func count(_ kind: Kind) -> Int { transitions.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }

    /// True when some case went from acceptable to not acceptable.
    public var hasRegressions: Bool { transitions.contains { $0.kind == .regression } }

    /// The exit status of `wsconform diff` by default: 1 when some case regressed, else 0 (known
    /// failures and other changes do not fail).
    public var exitStatus: Int32 { exitStatus(failingOn: .regression) }

    /// The ids of the cases of one kind, summarised in a few words: the ids themselves when there
    /// are at most `limit`, else the count per section (`9.* (54), 12.* (90)`).
    public func summary(of kind: Kind, limit: Int = 8) -> String {
        let ids = transitions.filter { $0.kind == kind }.map { $0.id + ($0.agent.map { " [\($0)]" } ?? "") }
        if ids.count <= limit { return ids.joined(separator: ", ") }
        var sections: [(String, Int)] = []
        for t in transitions where t.kind == kind {
            let s = CaseKey(t.id).section
            if let i = sections.firstIndex(where: { $0.0 == s }) { sections[i].1 += 1 } else { sections.append((s, 1)) }
        }
        return sections.map { "\($0.0).* (\($0.1))" }.joined(separator: ", ")
    }

    /// Which changes make a comparison fail.
    public enum Gate: String, Sendable, CaseIterable {
        /// Only a case that was acceptable and is not any more (known failures do not count).
        case regression
        /// Regressions, and cases OLD has that NEW lacks (a run that covered fewer cases must not
        /// pass a baseline gate silently). The default of `--baseline`.
        case missing
        /// Any change of verdict: regressions, fixes, changed verdicts, new and removed cases (an
        /// interop baseline that must be updated deliberately whenever a peer's verdicts move).
        case verdict
        /// Any difference at all, observations included.
        case any

        func fails(_ kind: Kind) -> Bool {
            switch self {
            case .regression: kind == .regression
            case .missing: kind == .regression || kind == .removed
            case .verdict: kind != .unchanged && kind != .observationChanged
            case .any: kind != .unchanged
            }
        }
    }

    /// 1 when some case changed in a way `gate` counts, else 0.
    public func exitStatus(failingOn gate: Gate) -> Int32 {
        transitions.contains { gate.fails($0.kind) } ? 1 : 0
    }

    /// Compares OLD with NEW. One run on each side is compared whatever its agent name; several are
    /// matched by agent label (a run without a partner counts as removed or new).
    public static func compare(old: [ReportRun], new: [ReportRun]) -> ReportDiff {
        var warnings: [String] = []
        var pairs: [(ReportRun?, ReportRun?, agent: String?)] = []
        if old.count == 1 && new.count == 1 {
            pairs = [(old[0], new[0], nil)]
        } else {
            for o in old { pairs.append((o, new.first { $0.label == o.label }, o.label)) }
            for n in new where !old.contains(where: { $0.label == n.label }) { pairs.append((nil, n, n.label)) }
            for (o, n, agent) in pairs where o == nil || n == nil {
                warnings.append("agent \"\(agent ?? "")\" is only in the \(o == nil ? "new" : "old") results")
            }
        }
        let oldDigests = Set(old.compactMap { $0.info?.catalog?.digest })
        let newDigests = Set(new.compactMap { $0.info?.catalog?.digest })
        if !oldDigests.isEmpty && !newDigests.isEmpty && oldDigests != newDigests {
            warnings.append("the case catalogs differ (\(oldDigests.sorted().joined(separator: ", ")) → \(newDigests.sorted().joined(separator: ", "))): a case id may not mean the same case")
        }
        for run in old + new where run.origin == .journal {
            warnings.append("\(run.source) is a journal: that run may not have finished")
        }
        var transitions: [Transition] = []
        for (o, n, agent) in pairs {
            let ids = Set((o?.cases ?? []).map(\.key)).union((n?.cases ?? []).map(\.key))
            for id in ids {
                transitions.append(classify(old: o?[id.text], new: n?[id.text], id: id.text, agent: agent))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: Kind.allCases.enumerated().map { ($1, $0) })
        transitions.sort {
            ($0.kind != $1.kind) ? order[$0.kind]! < order[$1.kind]!
                : ($0.id != $1.id ? CaseKey($0.id) < CaseKey($1.id) : ($0.agent ?? "") < ($1.agent ?? ""))
        }
        return ReportDiff(old: old, new: new, transitions: transitions, warnings: warnings)
    }

    static func classify(old: CaseRecord?, new: CaseRecord?, id: String, agent: String?) -> Transition {
        let title = [new?.title, old?.title].compactMap { $0 }.first { !$0.isEmpty }
        func make(_ kind: Kind, _ details: [String]) -> Transition {
            Transition(kind: kind, id: id, title: title, agent: agent, old: old, new: new, details: details)
        }
        guard let old else { return make(.new, [new.map { "now \($0.verdictText)" } ?? ""]) }
        guard let new else { return make(.removed, ["was \(old.verdictText)"]) }
        let verdict = old.verdictText == new.verdictText ? [] : ["\(old.verdictText) → \(new.verdictText)"]
        let observations = observationChanges(old, new)
        switch (old.isAcceptable, new.isAcceptable) {
        case (true, false): return make(.regression, verdict + observations)
        case (false, true): return make(.fixed, verdict + observations)
        default:
            if !verdict.isEmpty { return make(.changed, verdict + observations) }
            return make(observations.isEmpty ? .unchanged : .observationChanged, observations)
        }
    }

    /// The peer's behaviour that differs, comparing only what both records hold.
    static func observationChanges(_ a: CaseRecord, _ b: CaseRecord) -> [String] {
        var out: [String] = []
        func compare<T: Equatable>(_ name: String, _ x: T?, _ y: T?, _ show: (T) -> String) {
            guard let x, let y, x != y else { return }
            out.append("\(name) \(show(x)) → \(show(y))")
        }
        // Close codes: compared when both records know the peer's Close (an index.json's null code
        // means "none", so compare whenever both records come with close information).
        if a.close != nil && b.close != nil, a.remoteCloseCode != b.remoteCloseCode {
            out.append("peer close code \(a.remoteCloseCode.map(String.init) ?? "none") → \(b.remoteCloseCode.map(String.init) ?? "none")")
        }
        compare("observed", a.observed, b.observed) { CaseText.events($0) }
        compare("first Close by", a.close?.initiator, b.close?.initiator) { $0 }
        compare("clean close", a.close?.wasClean, b.close?.wasClean) { $0 ? "yes" : "no" }
        compare("TCP closed first by", a.close?.tcp?.closedFirstBy, b.close?.tcp?.closedFirstBy) { $0 }
        // The harness's own Close follows the peer's behaviour (a reply, or a failure code).
        if a.observed != nil && b.observed != nil, a.close?.sent?.code != b.close?.sent?.code {
            out.append("harness close code \(a.close?.sent?.code.map(String.init) ?? "none") → \(b.close?.sent?.code.map(String.init) ?? "none")")
        }
        compare("handshake completed", a.handshake?.completed, b.handshake?.completed) { $0 ? "yes" : "no" }
        compare("round trips completed", a.roundTrips?.completed, b.roundTrips?.completed) { String($0) }
        return out
    }
}
