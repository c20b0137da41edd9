import ArgumentParser
import Foundation
import WSConformance
import WSReports
import WSTransport

struct TestServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-server",
        abstract: "Run the conformance cases against a WebSocket server (wsconform is the client).",
        discussion: """
        Each case runs on its own connection; --jobs cases run at a time (verdicts do not depend on it). \
        Results are appended to OUT/results.jsonl as each case finishes, and written to OUT/results.json \
        (schema wsconform.results/1, see docs/results-schema.md) and Autobahn's OUT/index.json at the end, \
        with OUT/report.html and OUT/junit.xml (see 'wsconform report'). A summary table goes to stdout. \
        With --baseline only regressions and missing cases fail the run. Under GitHub Actions a job \
        summary and annotations for the failed cases are written too.

        Nothing is written into OUT before the server has answered, and an OUT that holds the results \
        of an earlier run is refused (exit 2) unless --force replaces them.

        Patterns: 6.4.1 (one case), 6.4.* (a subsection), 6.* (a section), *.1, 6.1* (6.1 and below, \
        never 6.10-6.19), 1-13 (sections 1 to 13: Autobahn's cases), 20-26 (wsconform's own). By default \
        every case that tests a server runs; 'wsconform cases list' counts them. --spec reads an \
        Autobahn fuzzingclient.json unchanged (its patterns keep Autobahn's prefix matching; see \
        Cases/README.md).

        Section 25 (limits) needs the server's own configured limit: --max-message-size N. Without it \
        those cases are reported as not applicable (UNIMPLEMENTED, a skipped test in JUnit).

        Exit codes: 0 every case acceptable, 1 some case failed (with --baseline: some case regressed \
        or is missing), 2 usage, case-file or baseline error, 3 server unreachable or harness failure, \
        130 interrupted.

        Examples:
          wsconform test-server ws://127.0.0.1:9001
          wsconform test-server ws://127.0.0.1:9001 --cases '1.*,2.*' --jobs 4
          wsconform test-server ws://127.0.0.1:9001 --exclude '9.*' --out run2
          wsconform test-server --spec fuzzingclient.json
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The server's ws:// or wss:// URL (optional with --spec, whose servers it replaces only when the spec lists none).")
    var url: String?

    @Option(help: "Case patterns to run, comma-separated (default: all).")
    var cases: [String] = []

    @Option(help: "Case patterns to leave out, comma-separated.")
    var exclude: [String] = []

    @Option(help: "Name the results are filed under (default: the server's Server header).")
    var agent: String?

    @Option(parsing: .unconditional, help: "Cases run at the same time, each on its own connection; verdicts do not depend on it: cases whose verdict rests on time (round trips, report_time: 9, 12, 13) run alone, and a verdict other than OK seen alongside other cases is confirmed by running that case alone.")
    var jobs = RunOptions.defaultJobs

    @Option(help: "Directory for results.jsonl, results.json, index.json, report.html and junit.xml (default: the spec's outdir, else reports/servers).")
    var out: String?

    @Flag(help: "Replace the results of an earlier run in --out (without it such a directory is refused).")
    var force = false

    @Option(parsing: .unconditional, help: "Seconds one case may take at most (default: the case's own guards and timeouts).")
    var timeout: Double?

    @Flag(help: "wss://: do not verify the server's certificate (explicitly insecure).")
    var insecure = false

    @Option(help: "wss://: trust the certificate authorities in this PEM file.")
    var ca: String?

    @Option(help: "An Autobahn fuzzingclient.json: servers, agent, options, cases, exclude-cases, exclude-agent-cases, outdir.")
    var spec: String?

    @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
    var catalog: String?

    @Option(parsing: .unconditional, help: "A shell command that starts the server under test ({port}: the URL's port); it is started again whenever it exits or stops answering, and the case during which it exited is FAILED with its stderr tail.")
    var serverCmd: String?

    @Flag(help: "WebSockets over HTTP/2 (RFC 8441): each case opens its WebSocket as a stream with extended CONNECT on an HTTP/2 connection of its own (ws:// with prior knowledge, wss:// with ALPN h2); cases with their own HTTP/1.1 handshake are left out.")
    var http2 = false

    @Option(parsing: .unconditional, help: "The largest message the server is configured to accept, in octets (section 25 checks that N octets are echoed and N+1 refused with 1009).")
    var maxMessageSize: Int?

    @Option(help: "How many connections section 27.8 opens and holds before a new one must still be served (default 100).")
    var connections: Int?

    @OptionGroup(title: "Reports") var reportOptions: ReportOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs).") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds.") }
        if insecure && ca != nil { throw ValidationError("--insecure and --ca contradict each other; give one.") }
        if url == nil && spec == nil { throw ValidationError("give the server's URL (e.g. ws://127.0.0.1:9001) or --spec fuzzingclient.json.") }
        if let maxMessageSize, !(1...(128 << 20)).contains(maxMessageSize) {
            throw ValidationError("--max-message-size must be 1...134217728 (128 MiB), got \(maxMessageSize).")
        }
        if let connections, !(1...10_000).contains(connections) {
            throw ValidationError("--connections must be 1...10000, got \(connections).")
        }
    }

    func run() async throws {
        global.apply()
        let (loaded, catalogSource) = try CatalogLocator.load(catalog, parameters: catalogParameters)
        Log.phase("catalog loaded: \(loaded.cases.count) cases")
        let plan = try ServerRunPlan.make(self, catalog: loaded)
        let outputs = try RunOutputs(reportOptions)
        try OutputDirectory.check(plan.outdir, resultDirs: plan.servers.indices.map { resultDirectory($0, plan: plan) }, force: force)
        var reports: [RunReport] = []
        var unreachable: [String] = []
        var interrupted = false
        var resultDirs: [URL] = []
        var runs: [ReportRun?] = []
        for (index, server) in plan.servers.enumerated() {
            let dir = resultDirectory(index, plan: plan)
            let outcome = try await runOne(server, plan: plan, catalog: loaded, catalogSource: catalogSource, outdir: dir)
            switch outcome {
            case let .report(report, run):
                reports.append(report)
                resultDirs.append(dir)
                runs.append(run)
                if case let .unreachable(why)? = report.stop { unreachable.append("\(server.url) stopped answering: \(why)") }
                if report.stop == .interrupted { interrupted = true }
            case let .unreachable(why):
                unreachable.append(why)
            }
            if interrupted { break }
        }
        let inMemory = runs.allSatisfy { $0 != nil } ? runs.compactMap { $0 } : nil
        let diff = resultDirs.isEmpty ? nil : try outputs.finish(outdir: plan.outdir, resultDirs: resultDirs, inMemory: inMemory)
        Log.phase("reports written")
        if interrupted { throw ExitCode(ExitStatus.interrupted) }
        if !unreachable.isEmpty {
            throw HarnessFailure(unreachable.joined(separator: "; "))
        }
        if let diff {
            let status = diff.exitStatus(failingOn: reportOptions.failOn)
            if status != 0 { throw ExitCode(status) }
        } else if reports.contains(where: { !$0.allAcceptable }) {
            throw ExitCode(ExitStatus.failures)
        }
    }

    /// Where the results of the plan's server `index` go: `--out` itself, or `server-N` in it.
    private func resultDirectory(_ index: Int, plan: ServerRunPlan) -> URL {
        plan.servers.count == 1 ? plan.outdir : plan.outdir.appendingPathComponent("server-\(index + 1)")
    }

    /// The values section 25 needs, from the options.
    var catalogParameters: [CatalogParameter: Int] {
        var p: [CatalogParameter: Int] = [:]
        if let maxMessageSize { p[.maxMessageSize] = maxMessageSize }
        if let connections { p[.connections] = connections }
        return p
    }

    private enum ServerOutcome {
        /// The run, and the same results as the reports read them (nil if results.json could not
        /// be written: the reports then read what is on disk).
        case report(RunReport, ReportRun?)
        case unreachable(String)
    }

    private func runOne(_ server: ServerRunPlan.Server, plan: ServerRunPlan, catalog: CaseCatalog, catalogSource: CatalogSource,
                        outdir: URL) async throws -> ServerOutcome {
        // Its journal is created once the server has answered (the .agent event), so an unreachable
        // server or a bad URL leaves an earlier run in the directory as it was.
        let store = ResultsStore(directory: outdir, start: .replacing)
        let reporter = ProgressReporter(total: plan.cases.count, quiet: global.quiet)
        Log.info("testing \(server.url): \(plan.cases.count) case\(plan.cases.count == 1 ? "" : "s"), \(jobs) at a time; results in \(outdir.path)")
        let options = server.options
        let cases = plan.cases
        let task = Task { () async throws -> RunReport in
            try await Conformance.run(cases, against: server.url, options: options) { event in
                switch event {
                case let .started(c):
                    await reporter.started(c.id)
                case let .finished(r):
                    store.record(r, position: catalog.position(of: r.id))
                    await reporter.finished(r)
                case let .agent(name):
                    Log.phase("the server answered (agent \(name)); cases start")
                    if !store.open() { withUnsafeCurrentTask { $0?.cancel() } }
                case let .serverRestarted(why):
                    await reporter.note(why)
                }
            }
        }
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.cancel() }
        let report: RunReport
        do {
            report = try await task.value
        } catch let error as ConformanceError {
            await reporter.finish()
            switch error {
            case .unreachable, .cannotListen, .serverCommand: return .unreachable(error.description)
            case .invalidURL, .pattern: throw ValidationError(error.description)
            case .catalog, .dataset: throw CaseFileFailure(error.description)
            }
        }
        await reporter.finish()
        Log.phase("last case finished")
        if let failure = store.failure { throw HarnessFailure(failure) }
        if let error = store.close() { Log.error(error) }
        let metadata = RunMetadata(catalogDigest: catalogSource.digest, catalogPath: catalogSource.path,
                                   catalogCaseCount: catalog.cases.count, options: plan.recordedOptions(server))
        let resultsURL = outdir.appendingPathComponent("results.json")
        let lines = store.lines
        var run: ReportRun?
        do {
            // The reports take the document's run and summary and the cases as the store kept
            // them: nothing is read back.
            let head = try ResultsDocument.write(report, metadata: metadata, catalog: catalog, caseLines: lines, to: resultsURL)
            run = ReportRun(origin: .results, source: resultsURL.path, agent: head.run.agent, info: head.run,
                            summary: head.summary, cases: store.records)
        } catch {
            Log.error("cannot write \(resultsURL.path): \(error)")
        }
        Log.phase("results.json written")
        print(RunSummaryText.render(report, catalog: catalog))
        return .report(report, run)
    }
}
