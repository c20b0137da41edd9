import Foundation
import WSCatalog
import WSResultFormat

/// Why a run stopped before every selected case had run.
public enum RunStop: Sendable, Hashable, CustomStringConvertible {
    /// The run was cancelled (Ctrl-C): no new cases were started, running ones were aborted.
    case interrupted
    /// The server could not be reached (refused, unresolvable, TLS failure, connect timeout).
    case unreachable(String)

    public var description: String {
        switch self {
        case .interrupted: "interrupted"
        case let .unreachable(why): "server unreachable: \(why)"
        }
    }
}

/// What a run produced: one result per finished case, sorted by id.
///
/// ```swift
/// let report = try await Conformance.run(against: "ws://127.0.0.1:9001/")
/// for failure in report.failures {
///     print(failure.id, failure.verdict, failure.verdict.reasons.joined(separator: "; "))
/// }
/// ```
///
/// `RunSummaryText.render(_:catalog:)` prints the table `wsconform test-server` prints, and
/// `ResultsDocument.write(_:metadata:catalog:to:)` writes `results.json` for reports and baselines.
public struct RunReport: Sendable {
    /// The URL tested.
    public var target: String
    /// The name the results are filed under.
    public var agent: String
    /// One result per finished case, sorted by case id.
    public var results: [CaseResult]
    /// Selected cases that were not run because `exclude-agent-cases` excluded them for this agent.
    public var skipped: [CaseID]
    /// Selected cases that did not finish (the run stopped early).
    public var notRun: [CaseID]
    /// Why the run ended before every selected case ran; nil when it did not.
    public var stop: RunStop?
    /// When the run started (before the first connection).
    public var startedAt: Date
    /// When the last case finished.
    public var endedAt: Date

    /// A report; `results` are sorted by id.
    public init(target: String, agent: String, results: [CaseResult], skipped: [CaseID] = [], notRun: [CaseID] = [],
                stop: RunStop? = nil, startedAt: Date, endedAt: Date) {
        self.target = target
        self.agent = agent
        self.results = results.sorted { $0.id < $1.id }
        self.skipped = skipped
        self.notRun = notRun
        self.stop = stop
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    /// True when every finished case is acceptable and the run was not cut short.
    public var allAcceptable: Bool { stop == nil && results.allSatisfy(\.acceptable) }

    /// The results that are not acceptable.
    public var failures: [CaseResult] { results.filter { !$0.acceptable } }
}

/// Progress of a run, reported as it happens (in the order it happens).
public enum RunEvent: Sendable {
    /// A case is about to open its connection.
    case started(TestCase)
    /// A case has its verdict.
    case finished(CaseResult)
    /// The agent name became known (from `RunOptions.agent` or the first handshake).
    case agent(String)
    /// `RunOptions.serverCommand`: the server process ended and was started again (one line why).
    case serverRestarted(String)
}

extension CaseResult {
    /// The case passed: `behavior` is OK, NON-STRICT, INFORMATIONAL or UNIMPLEMENTED (an optional
    /// extension the peer does not offer) and `behaviorClose` is OK or INFORMATIONAL.
    public var acceptable: Bool {
        Verdicts.isAcceptable(verdict.behavior, verdict.behaviorClose)
    }
}
