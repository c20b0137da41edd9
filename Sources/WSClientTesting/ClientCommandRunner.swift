import Foundation
import WSCaseRunner
import WSCatalog
import WSEngine
import WSJudge
import WSResults

/// Drives a client under test that does not speak the fuzzingserver protocol: the command is started
/// once per case with the case's URL, `jobs` cases at a time. Each case has a deadline (the case's
/// own budget plus `startupAllowance`, or `caseTimeout`); a command still running then is ended
/// (SIGTERM, then SIGKILL). A command that never opens its `/runCase` connection gets a FAILED
/// result saying so, and the run goes on. The command's output is kept in the case result.
public struct ClientCommandRunner: Sendable {
    public var command: ClientCommand
    public var agent: String
    public var jobs: Int
    /// Hard limit per case, from starting the command; nil: the case's budget + `startupAllowance`.
    public var caseTimeout: Duration?
    /// Time allowed for the command to start and connect, on top of the case's own budget.
    public var startupAllowance: Duration
    /// After its case finished, the command may take this long to exit before it is ended.
    public var exitGrace: Duration

    public init(command: ClientCommand, agent: String, jobs: Int = 1, caseTimeout: Duration? = nil,
                startupAllowance: Duration = .seconds(10), exitGrace: Duration = .seconds(2)) {
        self.command = command
        self.agent = agent
        self.jobs = max(1, jobs)
        self.caseTimeout = caseTimeout
        self.startupAllowance = startupAllowance
        self.exitGrace = exitGrace
    }

    /// Runs every case; results are filed in the server's store as they become final (and reported
    /// through the server's `observe`). As in test-server, verdicts do not depend on `jobs`
    /// (`CaseScheduler`). Cancelling the calling task ends the running commands and stops the run;
    /// it returns the ids that got a result.
    @discardableResult
    public func run(_ cases: [TestCase], on server: FuzzingServer) async -> [CaseID] {
        let runnable = cases.filter { !server.isExcluded($0.id, agent: agent) }
        var done: [CaseID] = []
        _ = await CaseScheduler(jobs: jobs).run(runnable, body: { c, _ in
            await runOne(c, on: server).map(CaseScheduler.Outcome.finished) ?? .cancelled
        }, deliver: { result in
            await server.file(result, agent: agent)
            done.append(result.id)
        })
        return done
    }

    enum Race: Sendable {
        case result(CaseResult)
        case exited
        case deadline
        case cancelled
    }

    /// One case: start the command, wait for its result, exit or deadline; nil when cancelled.
    func runOne(_ c: TestCase, on server: FuzzingServer) async -> CaseResult? {
        let key = CaseClaims.Key(agent: agent, id: c.id)
        await server.claims.claim(key)
        let line = command.fill(ClientCommand.values(base: server.url, port: server.port, caseID: c.id, agent: agent))
        let startedAt = Date()
        let start = ContinuousClock.now
        let limit = caseTimeout ?? (c.budget(server.configuration.caseOptions) + startupAllowance)
        let process: ChildProcess
        do { process = try ChildProcess(command: line) } catch {
            await server.claims.release(key)
            let record = ClientCommandRecord(command: line, connected: false, exitStatus: nil, signal: nil, killed: false,
                                             wallTime: .zero, stdout: BoundedOutput(), stderr: BoundedOutput("\(error)"))
            return Self.neverConnected(c, "the command could not be started: \(error)", record, startedAt, start)
        }

        var killed = false
        var result: CaseResult?
        switch await Self.race(key, server, process, deadline: start + limit) {
        case let .result(r):
            result = r
            if !(await process.waitForExit(timeout: exitGrace)) {
                await process.terminate()
                killed = true
            }
        case .exited:
            // Its connection may still be on the way (a head not yet read): give it a moment.
            result = await Self.pendingResult(key, server, grace: .milliseconds(500))
        case .deadline:
            await process.terminate()
            killed = true
            result = await Self.pendingResult(key, server, grace: .milliseconds(100))
        case .cancelled:
            await process.terminate()
            await server.claims.release(key)
            return nil
        }
        await server.claims.release(key)
        if Task.isCancelled { return nil }
        let connected = result != nil
        let record = process.record(connected: connected, killed: killed)
        var final = result ?? Self.neverConnected(c, Self.neverConnectedReason(record, limit: limit), record, startedAt, start)
        final.clientCommand = record
        return final
    }

    /// The first of: the case's result, the command's exit, the deadline.
    static func race(_ key: CaseClaims.Key, _ server: FuzzingServer, _ process: ChildProcess,
                     deadline: ContinuousClock.Instant) async -> Race {
        await withTaskGroup(of: Race.self) { group in
            group.addTask { await server.claims.result(key).map(Race.result) ?? .cancelled }
            group.addTask {
                await process.waitForExit()
                return process.hasExited ? .exited : .cancelled
            }
            group.addTask { (try? await Task.sleep(until: deadline, clock: .continuous)) == nil ? .cancelled : .deadline }
            let first = await group.next() ?? .cancelled
            group.cancelAll()
            return Task.isCancelled ? .cancelled : first
        }
    }

    /// The result of a case whose command is gone: waited for when its connection arrived (the case
    /// then ends by its own deadline), else after `grace` in case the request is still being read.
    static func pendingResult(_ key: CaseClaims.Key, _ server: FuzzingServer, grace: Duration) async -> CaseResult? {
        if case .waiting? = await server.claims.state(key) {
            try? await Task.sleep(for: grace)
        }
        switch await server.claims.state(key) {
        case let .finished(r)?: return r
        case .running?: return await server.claims.result(key)
        default: return nil
        }
    }

    static func neverConnectedReason(_ record: ClientCommandRecord, limit: Duration) -> String {
        let what = record.killed
            ? "client never connected: the command did not open /runCase within \(CatalogText.format(limit)) and was killed"
            : "client never connected: the command \(record.endDescription) without opening /runCase"
        // The client's own last words usually say why (e.g. "WebSockets not supported by libcurl").
        let last = (record.stderr.text.split(separator: "\n").last ?? record.stdout.text.split(separator: "\n").last)
            .map { String($0.prefix(300)) }
        return last.map { what + "; its last output line: \($0)" } ?? what
    }

    /// A FAILED result for a case whose client never opened its connection.
    static func neverConnected(_ c: TestCase, _ why: String, _ record: ClientCommandRecord, _ startedAt: Date,
                               _ start: ContinuousClock.Instant) -> CaseResult {
        let observation = Observation(handshake: HandshakeRecord(completed: false, failure: why))
        var r = CaseResult(testCase: c, verdict: Judge.verdict(case: c, observation: observation, role: .server),
                           observation: observation, harnessRole: .server, peerName: nil, startedAt: startedAt,
                           wallTime: ContinuousClock.now - start)
        r.clientCommand = record
        return r
    }

    /// Runs a command that speaks the fuzzingserver protocol itself (`{base}`): started once, it
    /// runs until it exits (or the calling task is cancelled, which ends it).
    public static func runProtocolClient(_ command: ClientCommand, agent: String, on server: FuzzingServer) async -> ClientCommandRecord {
        let line = command.fill(ClientCommand.values(base: server.url, port: server.port, caseID: nil, agent: agent))
        let process: ChildProcess
        do { process = try ChildProcess(command: line) } catch {
            return ClientCommandRecord(command: line, connected: false, exitStatus: nil, signal: nil, killed: false,
                                       wallTime: .zero, stdout: BoundedOutput(), stderr: BoundedOutput("\(error)"))
        }
        await process.waitForExit()
        var killed = false
        if !process.hasExited {
            await process.terminate()
            killed = true
        }
        return process.record(connected: !(await server.store.activeAgents.isEmpty), killed: killed)
    }
}
