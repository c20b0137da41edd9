import WSResultFormat

/// One run's results as the report writers see them: from a `results.json`, a `results.jsonl`
/// journal, or one agent of an Autobahn `index.json`.
public struct ReportRun: Sendable {
    /// Which kind of file the run was read from.
    public enum Origin: String, Sendable {
        /// A complete `results.json`.
        case results
        /// A `results.jsonl` journal (a run that did not finish or whose results.json is missing).
        case journal
        /// One agent of an Autobahn (or wsconform) `index.json`: verdicts and close codes only.
        case autobahnIndex
    }

    /// Which kind of file the run was read from.
    public var origin: Origin
    /// The file the results came from.
    public var source: String
    /// The agent the results are filed under (a journal's directory name).
    public var agent: String
    /// The name shown in reports; unique among the runs of one report (see `labelled`).
    public var label: String
    /// `results.json`'s `run` object (nil for journals and index files).
    public var info: RunInfo?
    /// `results.json`'s `summary` (nil for journals and index files).
    public var summary: RunSummary?
    /// Sorted by case id.
    public private(set) var cases: [CaseRecord]
    private var byID: [String: Int]

    /// A run of these cases (sorted by id here; for a repeated id the last one counts).
    public init(origin: Origin, source: String, agent: String, info: RunInfo? = nil, summary: RunSummary? = nil,
                cases: [CaseRecord]) {
        self.origin = origin
        self.source = source
        self.agent = agent
        self.label = agent
        self.info = info
        self.summary = summary
        // A journal may hold a case twice only if it was edited by hand; the last line wins.
        var latest: [String: CaseRecord] = [:]
        for c in cases { latest[c.id] = c }
        self.cases = latest.values.sorted { $0.key < $1.key }
        self.byID = Dictionary(uniqueKeysWithValues: self.cases.enumerated().map { ($1.id, $0) })
    }

    /// The case with this id.
    public subscript(id: String) -> CaseRecord? { byID[id].map { cases[$0] } }

    /// Cases that are not acceptable.
    public var failures: [CaseRecord] { cases.filter { !$0.isAcceptable } }

    /// Selected cases that were skipped for this agent, and cases that did not run.
    public var skipped: [String] { summary?.skipped ?? [] }
    public var notRun: [String] { summary?.notRun ?? [] }

    /// Gives runs with the same agent distinct labels (`agent (2)` …), keeping the first as is.
    public static func labelled(_ runs: [ReportRun]) -> [ReportRun] {
        var seen: [String: Int] = [:]
        return runs.map { run in
            var r = run
            let n = (seen[run.agent] ?? 0) + 1
            seen[run.agent] = n
            r.label = n == 1 ? run.agent : "\(run.agent) (\(n))"
            return r
        }
    }

    /// Every case id of the runs, in id order.
    public static func caseIDs(_ runs: [ReportRun]) -> [CaseKey] {
        Set(runs.flatMap { $0.cases.map(\.key) }).sorted()
    }
}
