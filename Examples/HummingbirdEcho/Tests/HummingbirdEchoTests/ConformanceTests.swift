import Foundation
import HummingbirdEcho
import Testing
import WSConformance
import WSReports

/// The whole wsconform catalog against Hummingbird's WebSocket server, from inside `swift test`.
/// Hummingbird has known failures (README.md): the test compares the verdicts with the committed
/// baseline, so only a regression (a case that was acceptable and is no longer, or got worse) fails
/// it. `WSCONFORM_UPDATE_BASELINE=1 swift test` rewrites the baseline instead (commit it with why).
@Suite struct ConformanceTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let baseline = here.appendingPathComponent("Baseline/index.json")
    /// results.json, index.json, report.html and junit.xml of the last run, for a person to read.
    static let reports = here.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/wsconform-report")

    /// Cases left out because they stop the test process instead of getting a verdict (README.md):
    /// each offers a window size outside zlib's 9...15 (24.1.1 `server_max_window_bits=8`, 22.3.1
    /// `=7`, 22.3.2 `=16`, 22.3.3 `client_max_window_bits=7`), which hummingbird-websocket accepts
    /// and hands to CompressNIO, whose assertions kill a debug build.
    static let excluded = ["22.3.1", "22.3.2", "22.3.3", "24.1.1"]
    /// `WSCONFORM_CASES=9.*,12.1.*` runs only those cases (a quick look while changing the server;
    /// the cases left out are not regressions). Default: every case that tests servers.
    static let cases = ProcessInfo.processInfo.environment["WSCONFORM_CASES"].map { $0.split(separator: ",").map(String.init) }
    static let updating = ProcessInfo.processInfo.environment["WSCONFORM_UPDATE_BASELINE"] == "1"

    @Test("Every case that tests servers: no regression against the baseline")
    func wholeCatalog() async throws {
        try #require(!(Self.updating && Self.cases != nil), "the baseline holds every case: WSCONFORM_UPDATE_BASELINE=1 takes no WSCONFORM_CASES")
        let catalog = try CatalogLoader.loadBuiltin(parameters: [.maxMessageSize: EchoApplication.maximumMessageSize])
        // Section 28 runs only over HTTP/2 (RFC 8441), which this application does not serve.
        let selection = try CaseSelection(catalog: catalog, include: Self.cases ?? ["*"], exclude: Self.excluded + ["28.*"],
                                          role: .serverUnderTest)
        try FileManager.default.createDirectory(at: Self.reports, withIntermediateDirectories: true)
        let progress = try ProgressLog(Self.reports.appendingPathComponent("progress.log"))
        let report = try await withEchoServer { port in
            try await Conformance.run(selection.cases, against: "ws://127.0.0.1:\(port)/",
                                      options: RunOptions(agent: "Hummingbird"),
                                      observe: { await progress.record($0) })
        }
        #expect(report.stop == nil, "the run stopped early: \(report.stop.map { "\($0)" } ?? "")")
        #expect(report.results.count == selection.cases.count, "\(report.results.count) cases ran of \(selection.cases.count)")

        // The result files, then the comparison with the baseline, exactly as `--baseline` does it.
        let metadata = RunMetadata(catalogDigest: CatalogDigest.builtin, catalogPath: nil,
                                   catalogCaseCount: catalog.cases.count, options: [])
        try ResultsDocument.write(report, metadata: metadata, catalog: catalog,
                                  to: Self.reports.appendingPathComponent("results.json"))
        let runs = try ResultsLoader.load(paths: [Self.reports.path])
        let written = try ReportWriter.write(runs, formats: [.html, .junit], to: Self.reports)
        try Data(AutobahnIndexWriter.render(runs).utf8).write(to: Self.reports.appendingPathComponent("index.json"))

        if Self.updating {
            try FileManager.default.createDirectory(at: Self.baseline.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: Self.baseline)
            try FileManager.default.copyItem(at: Self.reports.appendingPathComponent("index.json"), to: Self.baseline)
            print("baseline rewritten: \(Self.baseline.path) (\(report.failures.count) known failures)")
            return
        }
        let diff = try BaselineGate.compare(baseline: Self.baseline.path, runs: runs)
        let summary = RunSummaryText.render(report, catalog: catalog) + "\n" + BaselineGate.summary(diff)
            + "\nReports: " + written.map(\.path).joined(separator: ", ")
        print(summary)
        // A plain Bool: an expression over the diff would be printed whole (a megabyte) on failure.
        let regressed = diff.hasRegressions
        #expect(!regressed, Comment(rawValue: summary))
    }

    /// Runs `body` with the echo application listening on a free port of 127.0.0.1, then stops it.
    private func withEchoServer<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let app = EchoApplication.make { port in announce.yield(port) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { announce.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.waitForAll()  // the server failed to start: its error
                throw ServerDidNotStart()
            }
            defer { group.cancelAll() }
            return try await body(port)
        }
    }

    struct ServerDidNotStart: Error {}
}

/// One line per case started and finished, written as it happens: when the server kills the test
/// process (an assertion in a debug build), the log's last "started" lines name the culprits.
actor ProgressLog {
    private let handle: FileHandle

    init(_ url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        handle = try FileHandle(forWritingTo: url)
    }

    func record(_ event: RunEvent) {
        let line: String
        switch event {
        case .started(let c): line = "started \(c.id)"
        case .finished(let r): line = "finished \(r.id) \(r.verdict.behavior.rawValue)"
        case .agent, .serverRestarted: return
        }
        handle.write(Data((line + "\n").utf8))
    }
}
