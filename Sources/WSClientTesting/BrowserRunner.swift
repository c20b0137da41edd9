import Foundation
import WSCaseRunner
import WSCatalog
import WSResults

/// Drives a browser as the client under test: starts it headless on the listener's `/browser` page,
/// which walks the cases in order, and watches each case arrive. A browser that exits or stops
/// opening cases ends the case it was on with a verdict (FAILED when it never connected, saying
/// why) and is started again, on a fresh profile, at the next case; after `maxFailedLaunches`
/// launches in a row that ran no case, the remaining cases are FAILED and the run gives up.
public struct BrowserRunner: Sendable {
    public var browser: Browser
    public var agent: String
    /// The listener's certificate when it serves TLS: the browser is told to trust it.
    public var trust: BrowserTrust?
    /// Time to start the browser and load the page, on top of the first case's budget.
    public var startupAllowance: Duration
    /// Time between cases for the page to open the next one, on top of its budget.
    public var caseAllowance: Duration
    public var maxFailedLaunches: Int

    public static let defaultMaxFailedLaunches = 3

    public init(browser: Browser, agent: String, trust: BrowserTrust? = nil, startupAllowance: Duration = .seconds(30),
                caseAllowance: Duration = .seconds(10), maxFailedLaunches: Int = defaultMaxFailedLaunches) {
        self.browser = browser
        self.agent = agent
        self.trust = trust
        self.startupAllowance = startupAllowance
        self.caseAllowance = caseAllowance
        self.maxFailedLaunches = maxFailedLaunches
    }

    public struct Outcome: Sendable {
        /// How often the browser was started.
        public var launches = 0
        /// Cases that ended because the browser exited or hung.
        public var lostCases: [CaseID] = []
        /// True when the browser failed `maxFailedLaunches` times in a row and the rest was FAILED.
        public var gaveUp = false
        /// The last launch's record (command, exit, output tail).
        public var lastLaunch: ClientCommandRecord?
    }

    /// Runs every selected case not excluded for the agent, in the server's order, filing each
    /// result in the server's store. Cancelling the calling task ends the browser and the run.
    public func run(on server: FuzzingServer) async -> Outcome {
        var outcome = Outcome()
        // The page numbers cases over the whole selection (`/runCase?case=N`).
        let numbered = server.configuration.cases.enumerated()
            .filter { !server.isExcluded($0.element.id, agent: agent) }
            .map { (number: $0.offset + 1, testCase: $0.element) }
        // Claimed up front: the page opens the next case as soon as one closes.
        for entry in numbered { await server.claims.claim(key(entry.testCase)) }
        await drive(numbered, on: server, &outcome)
        for entry in numbered { await server.claims.release(key(entry.testCase)) }
        return outcome
    }

    private func drive(_ numbered: [(number: Int, testCase: TestCase)], on server: FuzzingServer, _ outcome: inout Outcome) async {
        var next = 0
        var failedLaunches = 0
        let options = server.configuration.caseOptions
        while next < numbered.count, !Task.isCancelled {
            outcome.launches += 1
            let profile = FileManager.default.temporaryDirectory
                .appendingPathComponent("wsconform-\(browser.engine.rawValue)-\(getpid())-\(outcome.launches)")
            try? FileManager.default.removeItem(at: profile)
            let startedAt = Date()
            let start = ContinuousClock.now
            let process: ChildProcess
            do {
                try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
                process = try ChildProcess(command: try browser.launchCommand(url: pageURL(server, from: numbered[next].number),
                                                                              profile: profile, trust: trust))
            } catch {
                let record = ClientCommandRecord(command: browser.executable, connected: false, exitStatus: nil, signal: nil,
                                                 killed: false, wallTime: .zero, stdout: BoundedOutput(),
                                                 stderr: BoundedOutput("\(error)"))
                outcome.lastLaunch = record
                await fail(numbered[next...].map(\.testCase), "the browser could not be started: \(error)", record, server, startedAt, start)
                outcome.gaveUp = true
                return
            }
            var ranOne = false
            var caseStart = start
            var allowance = startupAllowance
            launch: while next < numbered.count {
                let c = numbered[next].testCase
                let limit = c.budget(options) + allowance
                switch await ClientCommandRunner.race(key(c), server, process, deadline: caseStart + limit) {
                case var .result(r):
                    // A browser that dies mid-case drops the connection, which often ends the case
                    // before its exit is seen: a failed case checks, briefly, whether the browser is gone.
                    let exited = r.acceptable ? false : await process.waitForExit(timeout: .milliseconds(300))
                    if exited {
                        let record = process.record(connected: true, killed: false)
                        r.clientCommand = record
                        outcome.lastLaunch = record
                        outcome.lostCases.append(c.id)
                    }
                    await server.file(r, agent: agent)
                    ranOne = true
                    next += 1
                    if exited { break launch }
                    caseStart = ContinuousClock.now
                    allowance = caseAllowance
                case .exited, .deadline:
                    let hung = !process.hasExited
                    await process.terminate()
                    let record = process.record(connected: ranOne, killed: hung)
                    outcome.lastLaunch = record
                    outcome.lostCases.append(c.id)
                    let what = hung
                        ? "the browser did not open /runCase for this case within \(CatalogText.format(limit)) and was ended"
                        : "the browser \(record.endDescription) before this case ended"
                    if var r = await ClientCommandRunner.pendingResult(key(c), server, grace: .milliseconds(500)) {
                        r.clientCommand = record
                        await server.file(r, agent: agent)
                        ranOne = true // the case was running: this launch did run one
                    } else {
                        await fail([c], what, record, server, startedAt, caseStart)
                    }
                    next += 1
                    break launch
                case .cancelled:
                    await process.terminate()
                    try? FileManager.default.removeItem(at: profile)
                    return
                }
            }
            if next >= numbered.count {
                // The page asks for the reports after the last case; then the browser is no longer needed.
                _ = await process.waitForExit(timeout: .seconds(2))
                await process.terminate()
                outcome.lastLaunch = process.record(connected: true, killed: false)
            }
            try? FileManager.default.removeItem(at: profile)
            failedLaunches = ranOne ? 0 : failedLaunches + 1
            if failedLaunches >= maxFailedLaunches, next < numbered.count {
                let record = outcome.lastLaunch ?? process.record(connected: false, killed: false)
                await fail(numbered[next...].map(\.testCase),
                           "not run: the browser failed \(failedLaunches) launches in a row without running a case", record,
                           server, Date(), ContinuousClock.now)
                outcome.gaveUp = true
                return
            }
        }
    }

    private func key(_ c: TestCase) -> CaseClaims.Key { CaseClaims.Key(agent: agent, id: c.id) }

    /// `http://HOST:PORT/browser?agent=A&from=N` on the server's own listener.
    func pageURL(_ server: FuzzingServer, from number: Int) -> String {
        let base = server.url.replacingOccurrences(of: "wss://", with: "https://").replacingOccurrences(of: "ws://", with: "http://")
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        let agentQuery = agent.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? agent
        return "\(trimmed)\(BrowserPage.path)?agent=\(agentQuery)&from=\(number)"
    }

    private func fail(_ cases: [TestCase], _ why: String, _ record: ClientCommandRecord, _ server: FuzzingServer,
                      _ startedAt: Date, _ start: ContinuousClock.Instant) async {
        for c in cases {
            await server.file(ClientCommandRunner.neverConnected(c, why, record, startedAt, start), agent: agent)
        }
    }
}
