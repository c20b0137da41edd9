import Foundation
import WSCatalog
import WSEngine
import WSJudge

/// The outcome of one case run: the verdict and everything it was based on.
public struct CaseResult: Sendable {
    public var testCase: TestCase
    public var verdict: Verdict
    public var observation: Observation
    /// The harness's role in the run (`.client` when testing a server).
    public var harnessRole: Role
    /// The peer's name from its handshake (`Server` header when the harness is the client).
    public var peerName: String?
    /// Wall-clock start of the connection attempt.
    public var startedAt: Date
    /// From the connection attempt to the verdict.
    public var wallTime: Duration
    /// Harness as server with `--client-cmd`: what the client command did for this case.
    public var clientCommand: ClientCommandRecord?
    /// The verdict of a run alongside other cases that this run alone did not confirm.
    public var concurrentRun: ConcurrentRun?
    /// `--server-cmd`: the server process ended during this case.
    public var serverProcess: ServerProcessRecord?

    public init(testCase: TestCase, verdict: Verdict, observation: Observation, harnessRole: Role, peerName: String?,
                startedAt: Date, wallTime: Duration) {
        self.testCase = testCase
        self.verdict = verdict
        self.observation = observation
        self.harnessRole = harnessRole
        self.peerName = peerName
        self.startedAt = startedAt
        self.wallTime = wallTime
    }

    public var id: CaseID { testCase.id }
    /// OK, NON-STRICT or INFORMATIONAL.
    public var passed: Bool { verdict.passed }
}
