import ArgumentParser
import Foundation
import WSConformance
import WSReports
import WSTransport

struct TestClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-client",
        abstract: "Run the conformance cases against WebSocket clients (wsconform is the server).",
        discussion: """
        wsconform listens (default 127.0.0.1:9001) and speaks Autobahn's fuzzingserver protocol: \
        /getCaseCount, /runCase?case=N&agent=A (N counts 1… within the selection) or \
        ?casetuple=ID&agent=A, /getCaseInfo, /getCaseStatus, /updateReports?agent=A \
        [&shutdownOnComplete=true], /stopServer. A bad request gets HTTP 400/404 with a text body. \
        Each /runCase connection runs one case with wsconform as the server; several clients (agents) \
        may run at once. Results go to OUT/agents/<agent>/results.jsonl as each case finishes; results \
        already in OUT from an earlier run are kept (a case run again replaces its old result). \
        OUT/agents/<agent>/results.json, OUT/index.json (every agent), OUT/report.html and \
        OUT/junit.xml are written on /updateReports and when the server stops.

        Without --client-cmd it serves until /stopServer, /updateReports?shutdownOnComplete=true or \
        Ctrl-C. With --client-cmd it runs the client itself: a command with {url} (or {case}) is \
        started once per case ({url} = ws://HOST:PORT/runCase?casetuple=ID&agent=A; also {case}, \
        {agent}, {port}), --jobs at a time, ended at the case's deadline; its output is kept in the \
        case result, and a command that never connects gets a FAILED case saying so. A command with \
        {base} (ws://HOST:PORT) is started once and must speak the protocol itself. With --browser it \
        runs a headless browser on its page /browser instead (see test-browser).

        --spec reads an Autobahn fuzzingserver.json unchanged: url (where to listen), outdir, cases, \
        exclude-cases (Autobahn's prefix rules), exclude-agent-cases, protocols, cert/key, and of the \
        options failByDrop, openHandshakeTimeout, closeHandshakeTimeout, maxMessagePayloadSize (the \
        others are reported and ignored). Unlike Autobahn, it listens on the url's host only.

        Exit codes: 0 every case run is acceptable, 1 some case failed (with --baseline: regressed or \
        missing), 2 usage or case-file error, 3 cannot listen, or the {base} client ran no case, \
        130 interrupted (with --client-cmd; without it Ctrl-C is the normal way to stop).

        Examples:
          wsconform test-client --cases '1.*,2.*' &
          wsconform echo-client ws://127.0.0.1:9001 --agent me
          wsconform test-client --client-cmd 'python3 client.py {url}' --jobs 4
          wsconform test-client --client-cmd 'wsconform echo-client {base}'
          wsconform test-client --spec fuzzingserver.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Where to listen: HOST:PORT, [IPV6]:PORT or PORT (default: the spec's url, else 127.0.0.1:9001; port 0 picks a free one).")
    var listen: String?

    @Option(help: "Case patterns to run, comma-separated (default: all).")
    var cases: [String] = []

    @Option(help: "Case patterns to leave out, comma-separated.")
    var exclude: [String] = []

    @Option(help: "Directory for the results and reports (default: the spec's outdir, else reports/clients).")
    var out: String?

    @Option(help: "TLS (wss://): certificate chain, PEM.")
    var tlsCert: String?

    @Option(help: "TLS (wss://): private key, PEM.")
    var tlsKey: String?

    @Option(help: "An Autobahn fuzzingserver.json: url, outdir, cases, exclude-cases, exclude-agent-cases, protocols, cert, key, options.")
    var spec: String?

    @Option(parsing: .unconditional, help: "Seconds one case may take at most (with --client-cmd: from starting the command).")
    var timeout: Double?

    @Option(help: "Run the client under test: a command with {url} or {case} (once per case) or {base} (once, speaking the protocol).")
    var clientCmd: String?

    @Option(help: "Run a headless browser as the client under test: chromium, firefox or the path of either (see test-browser).")
    var browser: String?

    @Option(help: "With a per-case --client-cmd or --browser: the agent name its results are filed under (default: client-cmd, or the browser and its version).")
    var agent: String?

    @Option(parsing: .unconditional, help: "With a per-case --client-cmd: cases run at the same time; verdicts do not depend on it: cases whose verdict rests on time run alone, and a verdict other than OK seen alongside other cases is confirmed by running that case alone.")
    var jobs = 1

    @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
    var catalog: String?

    @Flag(help: "Serve WebSockets over HTTP/2 (RFC 8441), advertising SETTINGS_ENABLE_CONNECT_PROTOCOL: h2c with prior knowledge, or ALPN h2 with --tls-cert (browsers need TLS); section 21 (HTTP/1.1 answers of its own) is left out.")
    var http2 = false

    @OptionGroup(title: "Reports") var reportOptions: ReportOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs).") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give both --tls-cert and --tls-key, or neither.") }
        if let clientCmd, !ClientCommand(clientCmd).hasPlaceholder {
            throw ValidationError("--client-cmd needs {url} or {case} (started once per case) or {base} (started once); got \"\(clientCmd)\".")
        }
        if agent?.isEmpty == true { throw ValidationError("--agent must not be empty.") }
        if browser != nil, clientCmd != nil { throw ValidationError("give --browser or --client-cmd, not both.") }
        if browser != nil, jobs > 1 { throw ValidationError("--browser runs one case at a time (a page walks the cases in order); leave out --jobs.") }
    }

    func run() async throws {
        global.apply()
        let (loaded, catalogSource) = try CatalogLocator.load(catalog)
        let plan = try ClientRunPlan.make(self, catalog: loaded)
        let outputs = try RunOutputs(reportOptions)
        try OutputDirectory.checkIsDirectory(plan.outdir)
        let command = clientCmd.map(ClientCommand.init)
        let browser: Browser?
        do { browser = try self.browser.map(Browser.find) } catch { throw HarnessFailure(error.description) }
        let agentName = agent ?? browser?.agent ?? "client-cmd"
        let metadata = RunMetadata(catalogDigest: catalogSource.digest, catalogPath: catalogSource.path,
                                   catalogCaseCount: loaded.cases.count,
                                   options: plan.recordedOptions(jobs: jobs,
                                                                 clientCommand: clientCmd ?? browser.map { "\($0.executable) --headless (\($0.agent))" },
                                                                 agent: command?.isPerCase == true || browser != nil ? agentName : nil))
        let context = ClientRunContext(target: "ws://\(plan.host):\(plan.port)", catalog: loaded, selection: plan.cases,
                                       agentExclusions: plan.agentExclusions, metadata: metadata)
        let store: ClientResultStore
        do { store = try ClientResultStore(directory: plan.outdir, context: context) } catch {
            throw HarnessFailure("cannot use \(plan.outdir.path) for results: \(error)")
        }
        let earlier = await store.agentNames
        if !earlier.isEmpty {
            var n = 0
            for a in earlier { n += await store.results(agent: a).count }
            Log.info("kept \(n) result\(n == 1 ? "" : "s") of \(earlier.count) agent\(earlier.count == 1 ? "" : "s") from \(plan.outdir.path) (a case run again replaces its result)")
        }
        let progress = AgentProgress(total: plan.cases.count, quiet: global.quiet)
        let reports = ReportRefresher(store: store, outputs: outputs, outdir: plan.outdir)
        let configuration = FuzzingServer.Configuration(host: plan.host, port: plan.port, tls: plan.tls, cases: plan.cases,
                                                        agentExclusions: plan.agentExclusions, caseOptions: plan.caseOptions,
                                                        subprotocols: plan.subprotocols, http2: plan.http2)
        let server: FuzzingServer
        do {
            server = try await FuzzingServer.start(configuration, store: store,
                                                   onUpdateReports: { _ = await reports.write(publish: false) }) { event in
                switch event {
                case let .caseStarted(agent, c): await progress.reporter(agent).started(c.id)
                case let .caseFinished(agent, r): await progress.reporter(agent).finished(r)
                case let .caseSkipped(agent, id): Log.info("case \(id) skipped for \(agent) (exclude-agent-cases)")
                case let .refused(why): Log.info(why)
                }
            }
        } catch {
            switch error {
            case .cannotListen: throw HarnessFailure(error.description)
            default: throw CaseFileFailure(error.description)
            }
        }
        await store.setTarget(server.url)
        Log.info("fuzzing server at \(server.url): \(plan.cases.count) case\(plan.cases.count == 1 ? "" : "s"); results in \(plan.outdir.path)")
        let serving = Task { await server.run() }

        var interrupted = false
        var baseRecord: ClientCommandRecord?
        var browserOutcome: BrowserRunner.Outcome?
        if let browser {
            Log.info("\(browser.agent): \(browser.executable), headless, on \(server.url.replacingOccurrences(of: "ws", with: "http", options: .anchored))\(BrowserPage.path)")
            var trust: BrowserTrust?
            if let tls = plan.tls {
                do { trust = try BrowserTrust(certificatePath: tls.certificatePath) } catch {
                    await server.stop()
                    throw HarnessFailure(error.description)
                }
            }
            let work = Task { [trust] in await BrowserRunner(browser: browser, agent: agentName, trust: trust).run(on: server) }
            let interrupt = InterruptHandler { work.cancel() }
            browserOutcome = await work.value
            interrupted = interrupt.interrupted
            interrupt.cancel()
            await server.stop()
        } else if let command {
            let work = Task { () -> ClientCommandRecord? in
                if command.isPerCase {
                    let runner = ClientCommandRunner(command: command, agent: agentName, jobs: jobs,
                                                     caseTimeout: plan.caseOptions.caseTimeout)
                    await runner.run(plan.cases, on: server)
                    return nil
                }
                return await ClientCommandRunner.runProtocolClient(command, agent: agentName, on: server)
            }
            let interrupt = InterruptHandler { work.cancel() }
            baseRecord = await work.value
            interrupted = interrupt.interrupted
            interrupt.cancel()
            await server.stop()
        } else {
            print("wsconform: serving \(server.url) until /stopServer or Ctrl-C", to: &standardError)
            let interrupt = InterruptHandler { Task { await server.stop() } }
            defer { interrupt.cancel() }
            let reason = await serving.value
            Log.info("stopping: \(reason)")
        }
        _ = await serving.value
        await progress.finish()

        let diff = await reports.write(publish: true)
        let active = await store.activeAgents
        var anyFailure = false
        for name in await store.agentNames where active.contains(name) {
            let results = await store.results(agent: name)
            let ran = Set(results.map(\.id))
            let notRun = plan.cases.filter { c in !ran.contains(c.id) && !plan.agentExclusions.contains { $0.excludes(agent: name, case: c.id) } }
            print(RunSummaryText.render(agent: name, target: server.url, results: results, notRun: notRun.count, catalog: loaded))
            print()
            anyFailure = anyFailure || results.contains { !$0.acceptable }
            if plan.http2 {
                // Every case must have run on an h2 stream: a client that fell back to HTTP/1.1 fails the run.
                let overH1 = results.filter { $0.openedOverHTTP2 == false }.map(\.id)
                let opened = results.filter { $0.openedOverHTTP2 == true }.count
                if !overH1.isEmpty {
                    Log.error("\(name): \(overH1.count) case\(overH1.count == 1 ? "" : "s") opened over HTTP/1.1, not HTTP/2: \(overH1.prefix(10).map(\.description).joined(separator: ", "))")
                    anyFailure = true
                } else if opened == 0, !results.isEmpty {
                    Log.error("\(name): no case opened a WebSocket over HTTP/2")
                } else {
                    Log.info("\(name): \(opened) of \(results.count) cases ran on an HTTP/2 stream\(opened < results.count ? " (the others never opened a WebSocket)" : "")")
                }
            }
        }
        for e in await store.journalErrors { Log.error(e) }
        for e in await store.close() { Log.error(e) }

        if interrupted { throw ExitCode(ExitStatus.interrupted) }
        if let outcome = browserOutcome {
            if !outcome.lostCases.isEmpty {
                Log.error("the browser exited or hung during \(outcome.lostCases.map(\.description).joined(separator: ", ")) (\(outcome.launches) launches)")
            }
            if outcome.gaveUp {
                let tail = outcome.lastLaunch.map { $0.stderr.text.split(separator: "\n").suffix(10).joined(separator: "\n") } ?? ""
                throw HarnessFailure("the browser failed to run cases \(BrowserRunner.defaultMaxFailedLaunches) launches in a row; the cases left were FAILED"
                                     + (tail.isEmpty ? "" : ":\n" + tail))
            }
        }
        if let record = baseRecord, active.isEmpty {
            let tail = record.stderr.text.split(separator: "\n").suffix(10).joined(separator: "\n")
            throw HarnessFailure("the client command ran no case (it \(record.endDescription))" + (tail.isEmpty ? "" : ":\n" + tail))
        }
        if let diff {
            let status = diff.exitStatus(failingOn: reportOptions.failOn)
            if status != 0 { throw ExitCode(status) }
        } else if anyFailure {
            throw ExitCode(ExitStatus.failures)
        }
    }
}

/// Live progress per agent (several clients may run at once).
actor AgentProgress {
    let total: Int
    let quiet: Bool
    private var reporters: [String: ProgressReporter] = [:]

    init(total: Int, quiet: Bool) {
        self.total = total
        self.quiet = quiet
    }

    func reporter(_ agent: String) -> ProgressReporter {
        if let r = reporters[agent] { return r }
        let r = ProgressReporter(total: total, quiet: quiet, label: agent)
        reporters[agent] = r
        return r
    }

    func finish() async {
        for r in reporters.values { await r.finish() }
    }
}

/// Writes the per-agent results.json files and then the reports from them, one refresh at a time.
actor ReportRefresher {
    let store: ClientResultStore
    let outputs: RunOutputs
    let outdir: URL

    init(store: ClientResultStore, outputs: RunOutputs, outdir: URL) {
        self.store = store
        self.outputs = outputs
        self.outdir = outdir
    }

    /// Returns the comparison with the baseline when there is one (and results to compare).
    func write(publish: Bool) async -> ReportDiff? {
        let dirs: [URL]
        do { dirs = try await store.writeDocuments() } catch {
            Log.error("cannot write results.json into \(store.agentsDirectory.path): \(error)")
            return nil
        }
        guard !dirs.isEmpty else {
            if publish { Log.info("no results yet: no reports written") }
            return nil
        }
        do { return try outputs.finish(outdir: outdir, resultDirs: dirs, publish: publish) } catch {
            Log.error("\(error)")
            return nil
        }
    }
}

/// stderr as a `TextOutputStream`, for `print(…, to: &standardError)`.
nonisolated(unsafe) var standardError = StandardError()

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}
