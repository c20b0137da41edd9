import Foundation
import NIOConcurrencyHelpers
import WSCaseRunner
import WSCatalog
import WSEngine
import WSResults
import WSTransport

/// The harness as server, testing WebSocket clients: a listener that speaks Autobahn's fuzzingserver
/// URL protocol (`/getCaseCount`, `/runCase`, `/getCaseInfo`, `/getCaseStatus`, `/updateReports`,
/// `/stopServer`; autobahn.md §5.5) and runs each `/runCase` connection as one case with the
/// harness in the server role. Several clients (agents) may run cases at the same time; results are
/// filed per agent in a `ClientResultStore`.
///
/// ```swift
/// let server = try await FuzzingServer.start(configuration, store: store)
/// Task { await server.run() }          // serves until stopped
/// // clients connect to server.url …
/// await server.stop()
/// ```
public final class FuzzingServer: Sendable {
    public struct Configuration: Sendable {
        /// Listening address; the loopback interface unless told otherwise.
        public var host: String
        /// 0 picks a free port.
        public var port: Int
        public var tls: TLSServerConfiguration?
        /// The selected cases in id order: `case=N` is the N-th of them.
        public var cases: [TestCase]
        /// Autobahn's `exclude-agent-cases`: such cases are skipped for matching agents.
        public var agentExclusions: [AgentExclusion]
        /// The harness endpoint's behaviour and timeouts; `userAgent` is sent as the `Server` header.
        public var caseOptions: CaseRunOptions
        /// Subprotocols the harness accepts (the spec's `protocols`).
        public var subprotocols: [String]
        /// Serve over HTTP/2 (RFC 8441; SETTINGS_ENABLE_CONNECT_PROTOCOL advertised): h2c with prior
        /// knowledge, or ALPN h2 with `tls`. Every request, the browser page's too, is an h2 stream.
        public var http2: Bool

        public init(host: String = "127.0.0.1", port: Int = 9001, tls: TLSServerConfiguration? = nil, cases: [TestCase],
                    agentExclusions: [AgentExclusion] = [], caseOptions: CaseRunOptions = CaseRunOptions(),
                    subprotocols: [String] = [], http2: Bool = false) {
            self.http2 = http2
            self.host = host
            self.port = port
            self.tls = tls
            self.cases = cases
            self.agentExclusions = agentExclusions
            self.caseOptions = caseOptions
            self.subprotocols = subprotocols
        }
    }

    /// What happened, as it happens.
    public enum Event: Sendable {
        case caseStarted(agent: String, TestCase)
        /// A result was filed for the agent.
        case caseFinished(agent: String, CaseResult)
        /// `/runCase` for a case excluded for this agent by `exclude-agent-cases`.
        case caseSkipped(agent: String, CaseID)
        /// A request was refused or failed before a case could run (a line for the log).
        case refused(String)
    }

    /// Why `run()` returned.
    public enum StopReason: Sendable, Hashable, CustomStringConvertible {
        /// `stop()` was called.
        case stopped
        /// A client asked `/stopServer`.
        case stopServer
        /// `/updateReports?shutdownOnComplete=true`.
        case shutdownOnComplete

        public var description: String {
            switch self {
            case .stopped: "stopped"
            case .stopServer: "a client requested /stopServer"
            case .shutdownOnComplete: "a client requested /updateReports with shutdownOnComplete"
            }
        }
    }

    public let configuration: Configuration
    public let store: ClientResultStore
    let listener: RawListener
    let datasets: DatasetCache
    let claims = CaseClaims()
    let onUpdateReports: @Sendable () async -> Void
    let observe: @Sendable (Event) async -> Void
    private let stopReason = NIOLockedValueBox<StopReason?>(nil)

    private init(configuration: Configuration, store: ClientResultStore, listener: RawListener, datasets: DatasetCache,
                 onUpdateReports: @escaping @Sendable () async -> Void, observe: @escaping @Sendable (Event) async -> Void) {
        self.configuration = configuration
        self.store = store
        self.listener = listener
        self.datasets = datasets
        self.onUpdateReports = onUpdateReports
        self.observe = observe
    }

    /// Loads the datasets the cases need and binds the listener.
    /// - Parameters:
    ///   - onUpdateReports: runs for `/updateReports` (and should write every report); the client's
    ///     connection is closed when it returns.
    ///   - observe: progress events, in order per connection.
    public static func start(_ configuration: Configuration, store: ClientResultStore,
                             onUpdateReports: @escaping @Sendable () async -> Void = {},
                             observe: @escaping @Sendable (Event) async -> Void = { _ in }) async throws(ConformanceError) -> FuzzingServer {
        let datasets = DatasetCache(directory: configuration.caseOptions.dataDirectory)
        do { try datasets.preload(configuration.cases) } catch { throw .dataset(error) }
        let listener: RawListener
        do {
            listener = try await RawListener.bind(host: configuration.host, port: configuration.port, tls: configuration.tls, http2: configuration.http2)
        } catch {
            throw .cannotListen(error)
        }
        return FuzzingServer(configuration: configuration, store: store, listener: listener, datasets: datasets,
                             onUpdateReports: onUpdateReports, observe: observe)
    }

    /// The bound port.
    public var port: Int { listener.port }

    /// The URL clients connect to, e.g. `ws://127.0.0.1:9001`.
    public var url: String {
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "\(listener.usesTLS ? "wss" : "ws")://\(host):\(port)"
    }

    /// Serves connections until the server is stopped; running cases are then aborted (and not
    /// filed) and the call returns why it stopped.
    @discardableResult
    public func run() async -> StopReason {
        await withDiscardingTaskGroup { group in
            accepting: while true {
                let raw: RawConnection
                do throws(TransportError) {
                    raw = try await listener.accept()
                } catch {
                    if error == .closed || error == .cancelled || Task.isCancelled { break accepting }
                    if error != .acceptTimeout { await observe(.refused("incoming connection failed: \(error)")) }
                    continue
                }
                group.addTask { await self.serve(raw) }
            }
            group.cancelAll()
        }
        return stopReason.withLockedValue { $0 } ?? .stopped
    }

    /// Stops listening and ends `run()` (the first reason given is kept).
    public func stop(_ reason: StopReason = .stopped) async {
        stopReason.withLockedValue { if $0 == nil { $0 = reason } }
        await listener.close()
    }

    /// Files a result under `agent` and reports it.
    func file(_ result: CaseResult, agent: String) async {
        await store.record(result, agent: agent)
        await observe(.caseFinished(agent: agent, result))
    }

    /// The case a request names, or why there is none.
    func resolve(_ ref: FuzzingServerRoute.CaseRef) -> Result<(index: Int, testCase: TestCase), FuzzingServerRequestError> {
        let cases = configuration.cases
        switch ref {
        case let .index(n):
            guard n >= 1 && n <= cases.count else {
                return .failure(.notFound("case=\(n) is out of range: the selection has \(cases.count) case\(cases.count == 1 ? "" : "s") (case=1…\(cases.count))"))
            }
            return .success((n, cases[n - 1]))
        case let .id(text):
            guard let id = CaseID(text), let i = cases.firstIndex(where: { $0.id == id }) else {
                return .failure(.notFound("casetuple=\(text) is not a selected case id (e.g. casetuple=\(cases.first?.id.description ?? "1.1.1"))"))
            }
            return .success((i + 1, cases[i]))
        }
    }

    func isExcluded(_ id: CaseID, agent: String) -> Bool {
        configuration.agentExclusions.contains { $0.excludes(agent: agent, case: id) }
    }
}
