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

    @Test("Every case that tests servers: no regression against the baseline")
    func wholeCatalog() async throws {
        let report = try await withEchoServer { port in
            try await Conformance.run(against: "ws://127.0.0.1:\(port)/", options: RunOptions(agent: "Hummingbird"),
                                      parameters: [.maxMessageSize: EchoApplication.maximumMessageSize])
        }
        #expect(report.stop == nil, "the run stopped early: \(report.stop.map { "\($0)" } ?? "")")
        let catalog = try CatalogLoader.loadBuiltin()
        #expect(report.results.count == catalog.cases.filter { $0.tests(.serverUnderTest) }.count)

        // The result files, then the comparison with the baseline, exactly as `--baseline` does it.
        try FileManager.default.createDirectory(at: Self.reports, withIntermediateDirectories: true)
        let metadata = RunMetadata(catalogDigest: CatalogDigest.builtin, catalogPath: nil,
                                   catalogCaseCount: catalog.cases.count, options: [])
        try ResultsDocument.write(report, metadata: metadata, catalog: catalog,
                                  to: Self.reports.appendingPathComponent("results.json"))
        let runs = try ResultsLoader.load(paths: [Self.reports.path])
        let written = try ReportWriter.write(runs, formats: [.html, .junit], to: Self.reports)
        try Data(AutobahnIndexWriter.render(runs).utf8).write(to: Self.reports.appendingPathComponent("index.json"))

        if ProcessInfo.processInfo.environment["WSCONFORM_UPDATE_BASELINE"] == "1" {
            try FileManager.default.createDirectory(at: Self.baseline.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try FileManager.default.replaceItemAt(Self.baseline, withItemAt: Self.reports.appendingPathComponent("index.json"),
                                                      options: .usingNewMetadataOnly)
            print("baseline rewritten: \(Self.baseline.path) (\(report.failures.count) known failures)")
            return
        }
        let diff = try BaselineGate.compare(baseline: Self.baseline.path, runs: runs)
        let summary = RunSummaryText.render(report, catalog: catalog) + "\n" + BaselineGate.summary(diff)
            + "\nReports: " + written.map(\.path).joined(separator: ", ")
        print(summary)
        #expect(!diff.hasRegressions, Comment(rawValue: summary))
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
