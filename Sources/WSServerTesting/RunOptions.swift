import WSCaseRunner
import WSCatalog
import WSTransport

/// How a whole run behaves: parallelism, the harness endpoint's timeouts, naming, TLS and retries.
///
/// ```swift
/// var options = RunOptions(jobs: 4, agent: "MyServer")
/// options.caseOptions.openHandshakeTimeout = .seconds(10)
/// let report = try await Conformance.run(against: url, options: options)
/// ```
public struct RunOptions: Sendable {
    /// Cases run at the same time, each on its own connection. Verdicts do not depend on it: cases
    /// whose verdict rests on time run alone, and a verdict other than OK seen alongside other cases
    /// is confirmed by a run alone (`CaseScheduler`).
    public var jobs: Int
    /// The harness endpoint's behaviour and timeouts.
    public var caseOptions: CaseRunOptions
    /// The name results are filed under; nil: the peer's `Server` header ("UnknownServer" without one).
    public var agent: String?
    /// TLS for `wss://` targets; nil verifies against the system's roots.
    public var tls: TLSClientConfiguration?
    /// Autobahn's `exclude-agent-cases`, applied once the agent name is known.
    public var agentExclusions: [AgentExclusion]
    /// Connection attempts per case before the server counts as unreachable.
    public var connectAttempts: Int
    /// A shell command that starts the server under test (`{port}`: the URL's port). The run starts
    /// it, starts it again whenever it ends or stops answering (the case during which it ended is
    /// FAILED), and ends it afterwards. Nil: the server is already running.
    public var serverCommand: String?
    /// WebSockets over HTTP/2 (RFC 8441): each case opens a stream with extended CONNECT on an
    /// HTTP/2 connection of its own (h2c with prior knowledge for ws://, ALPN h2 for wss://).
    public var http2 = false

    /// Default parallelism: enough to hide per-case waits without swamping a small machine.
    public static let defaultJobs = 8

    /// Options; `jobs` and `connectAttempts` are at least 1.
    public init(jobs: Int = RunOptions.defaultJobs, caseOptions: CaseRunOptions = CaseRunOptions(), agent: String? = nil,
                tls: TLSClientConfiguration? = nil, agentExclusions: [AgentExclusion] = [], connectAttempts: Int = 3,
                serverCommand: String? = nil) {
        self.jobs = max(1, jobs)
        self.caseOptions = caseOptions
        self.agent = agent
        self.tls = tls
        self.agentExclusions = agentExclusions
        self.connectAttempts = max(1, connectAttempts)
        self.serverCommand = serverCommand
    }
}
