import Foundation
import WSCatalog
import WSResultFormat
import WSResults

/// What the per-agent `results.json` files of a fuzzing server say about the run besides the cases.
public struct ClientRunContext: Sendable {
    /// The URL the fuzzing server listens on.
    public var target: String
    public var catalog: CaseCatalog
    /// The selected cases (`/getCaseCount` counts them), in id order.
    public var selection: [TestCase]
    public var agentExclusions: [AgentExclusion]
    public var metadata: RunMetadata
    /// When this server session started.
    public var startedAt: Date

    public init(target: String, catalog: CaseCatalog, selection: [TestCase], agentExclusions: [AgentExclusion],
                metadata: RunMetadata, startedAt: Date = Date()) {
        self.target = target
        self.catalog = catalog
        self.selection = selection
        self.agentExclusions = agentExclusions
        self.metadata = metadata
        self.startedAt = startedAt
    }
}

/// The fuzzing server's results, per agent, on disk as they happen: one `ResultsStore` per agent in
/// `OUT/agents/<agent>/` (its `results.jsonl` gets a line as each case finishes), with
/// `results.json` written on demand (`/updateReports`, shutdown), and waiters for Autobahn's
/// `/getCaseStatus`. On start the store reads what an earlier session left in `OUT/agents/` and
/// goes on from there: a case run again replaces its older result. Agent directory names are the
/// agent name with every octet outside `[A-Za-z0-9._-]` percent-encoded, so distinct agents never
/// share a directory.
public actor ClientResultStore {
    public nonisolated let directory: URL
    public private(set) var context: ClientRunContext
    private var agents: [String: ResultsStore] = [:]
    private var waiters: [WaitKey: [Int: CheckedContinuation<StoredCaseResult?, Never>]] = [:]
    private var nextWaiter = 0
    /// Agents that recorded a case in this session.
    public private(set) var activeAgents: Set<String> = []

    private struct WaitKey: Hashable {
        var agent: String
        var id: CaseID
    }

    /// Sets the URL the documents name as target (known once the listener is bound).
    public func setTarget(_ target: String) { context.target = target }

    /// The directory that holds one subdirectory per agent.
    public nonisolated var agentsDirectory: URL { directory.appendingPathComponent("agents") }

    /// Opens the store in `directory` (the `--out` directory), loading and compacting the results an
    /// earlier session left there. Throws when an existing journal cannot be rewritten.
    public init(directory: URL, context: ClientRunContext) throws {
        self.directory = directory
        self.context = context
        let fm = FileManager.default
        let agentsDirectory = directory.appendingPathComponent("agents")
        try fm.createDirectory(at: agentsDirectory, withIntermediateDirectories: true)
        for name in ((try? fm.contentsOfDirectory(atPath: agentsDirectory.path)) ?? []).sorted() {
            guard let agent = Self.agentName(directoryName: name) else { continue }
            let store = try ResultsStore(resuming: agentsDirectory.appendingPathComponent(name))
            if !store.isEmpty { agents[agent] = store }
        }
    }

    // MARK: Recording and reading

    /// Files a finished case under `agent` (replacing an older result for the case) and appends it to
    /// the agent's journal.
    @discardableResult
    public func record(_ result: CaseResult, agent: String) -> StoredCaseResult {
        let store = agents[agent] ?? ResultsStore(directory: agentsDirectory.appendingPathComponent(Self.directoryName(agent: agent)),
                                                  start: .appending)
        agents[agent] = store
        let stored = store.record(result, position: context.catalog.position(of: result.id))
        activeAgents.insert(agent)
        for (_, c) in waiters.removeValue(forKey: WaitKey(agent: agent, id: stored.id)) ?? [:] { c.resume(returning: stored) }
        return stored
    }

    /// Journal problems so far (the results stay in memory and reach `results.json`).
    public var journalErrors: [String] { agentNames.compactMap { agents[$0]?.failure } }

    public func result(agent: String, id: CaseID) -> StoredCaseResult? { agents[agent]?[id] }

    /// The agent's result for the case, waiting until there is one (Autobahn's `/getCaseStatus` long
    /// poll); nil when the waiting task is cancelled.
    public func waitForResult(agent: String, id: CaseID) async -> StoredCaseResult? {
        if let r = agents[agent]?[id] { return r }
        let key = WaitKey(agent: agent, id: id)
        let token = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<StoredCaseResult?, Never>) in
                if Task.isCancelled { c.resume(returning: nil) } else { waiters[key, default: [:]][token] = c }
            }
        } onCancel: {
            Task { await self.cancelWaiter(key, token) }
        }
    }

    private func cancelWaiter(_ key: WaitKey, _ token: Int) {
        waiters[key]?.removeValue(forKey: token)?.resume(returning: nil)
    }

    /// Every agent with results (this session's and earlier ones'), sorted.
    public var agentNames: [String] { agents.keys.sorted() }

    /// The agent's results in id order.
    public func results(agent: String) -> [StoredCaseResult] { agents[agent]?.results ?? [] }

    // MARK: Documents

    /// Writes `results.json` for every agent (atomically) and returns the agent directories, in
    /// agent order. Each document's summary lists the selected cases this agent is excluded from
    /// (`skipped`) and those it has no result for (`notRun`).
    public func writeDocuments(endedAt: Date = Date()) throws -> [URL] {
        var dirs: [URL] = []
        for name in agentNames {
            guard let store = agents[name] else { continue }
            store.flush()
            let stored = store.results
            let ran = Set(stored.map(\.id))
            let excluded = context.selection.map(\.id).filter { id in context.agentExclusions.contains { $0.excludes(agent: name, case: id) } }
            let notRun = context.selection.map(\.id).filter { !ran.contains($0) && !excluded.contains($0) }
            let document = ResultsDocument(
                agent: name, target: context.target, role: .server, metadata: context.metadata, catalog: context.catalog,
                verdicts: stored.map { ($0.id, $0.behavior, $0.behaviorClose, $0.acceptable) },
                skipped: excluded, notRun: notRun, stopped: nil, startedAt: context.startedAt, endedAt: endedAt, cases: [])
            try AtomicFile.write(try document.text(caseLines: stored.map(\.line)),
                                 to: store.directory.appendingPathComponent("results.json"))
            dirs.append(store.directory)
        }
        return dirs
    }

    /// Waits until every journal line queued so far is on disk.
    public func flush() {
        for store in agents.values { store.flush() }
    }

    /// Flushes and closes the journals; returns their write errors, by agent name order.
    @discardableResult
    public func close() -> [String] {
        let errors = agentNames.compactMap { agents[$0]?.close() }
        for (_, ws) in waiters { for (_, c) in ws { c.resume(returning: nil) } }
        waiters.removeAll()
        return errors
    }

    // MARK: Agent directory names

    /// The agent name with every octet outside `[A-Za-z0-9._-]` as `%XX` (a leading `.` too).
    public static func directoryName(agent: String) -> String {
        var out = ""
        for (i, b) in agent.utf8.enumerated() {
            let safe = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || (b == UInt8(ascii: ".") && i > 0)
            if safe {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out.isEmpty ? "%" : out
    }

    /// The agent a directory belongs to; nil for names `directoryName` never produces.
    public static func agentName(directoryName name: String) -> String? {
        if name == "%" { return "" }
        guard let decoded = FuzzingServerRoute.percentDecode(Substring(name.replacingOccurrences(of: "+", with: "%2B"))) else {
            return nil
        }
        return directoryName(agent: decoded) == name ? decoded : nil
    }
}
