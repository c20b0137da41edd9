import ArgumentParser
import Foundation
import WSReports

/// Report options shared by the commands that run cases (test-server, test-client).
struct ReportOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Write OUT/report.html, one self-contained page.")
    var html = true

    @Flag(inversion: .prefixedNo, help: "Write OUT/junit.xml for CI test tabs.")
    var junit = true

    @Flag(help: "Also write Autobahn's per-case <agent>_case_<id>.json files (index.json is always written).")
    var autobahnFiles = false

    @Option(help: "Compare with these earlier results (results.json, index.json or a directory) and exit 1 only for regressions and missing cases: known failures do not fail the run.")
    var baseline: String?

    @Option(help: "With --baseline, what fails the run: regression, missing (regressions and cases the baseline has that this run lacks), verdict (any verdict change) or any.")
    var failOn: ReportDiff.Gate = .missing
}

/// What a test run writes and prints after its result files exist: Autobahn's index.json, the
/// HTML and JUnit reports, the comparison with a baseline, and GitHub Actions output. Everything is
/// rendered from the result files just written (WSReports reads only those), so `wsconform report`
/// re-renders the same thing later.
struct RunOutputs {
    var options: ReportOptions
    /// The baseline, loaded before the run so that a bad path fails fast.
    var baseline: [ReportRun]?

    /// Loads the baseline now; an unreadable one is a usage error (exit 2) naming file and reason.
    init(_ options: ReportOptions) throws {
        self.options = options
        if let path = options.baseline {
            do { baseline = try ResultsLoader.load(paths: [path]) } catch {
                throw CaseFileFailure("--baseline \(error.description)")
            }
        }
    }

    /// Writes the files into `outdir` from the results in `resultDirs`, prints the comparison with
    /// the baseline and publishes to GitHub Actions. Returns the comparison when there is a
    /// baseline (the caller gates its exit status on its regressions). With `publish` false (an
    /// intermediate refresh, e.g. the fuzzing server's /updateReports) only the files are written.
    /// `inMemory`: the runs as the reports read them, already at hand (one per result directory);
    /// without them the result files are read back.
    func finish(outdir: URL, resultDirs: [URL], inMemory: [ReportRun]? = nil, publish: Bool = true) throws -> ReportDiff? {
        var runs: [ReportRun]
        if let inMemory, inMemory.count == resultDirs.count {
            runs = ReportRun.labelled(inMemory)
        } else {
            do { runs = try ResultsLoader.load(paths: resultDirs.map(\.path)) } catch {
                Log.error("cannot read the results back for the reports: \(error)")
                if baseline != nil { throw HarnessFailure("cannot compare with the baseline: \(error)") }
                return nil
            }
            Log.phase("results read back for the reports")
        }
        var formats: Set<ReportFormat> = []
        if options.html { formats.insert(.html) }
        if options.junit { formats.insert(.junit) }
        do {
            if options.autobahnFiles {
                formats.insert(.autobahn)
            } else {
                let url = outdir.appendingPathComponent(ReportWriter.indexFile)
                try Data(AutobahnIndexWriter.render(runs, caseFiles: false).utf8).write(to: url, options: .atomic)
            }
            for url in try ReportWriter.write(runs, formats: formats, to: outdir) where !url.lastPathComponent.contains("_case_") {
                Log.info("wrote \(url.path)")
            }
        } catch {
            Log.error("cannot write the reports into \(outdir.path): \(error.localizedDescription)")
        }
        let diff = baseline.map { ReportDiff.compare(old: $0, new: runs) }
        guard publish else { return diff }
        if let diff { print("\n" + BaselineGate.summary(diff)) }
        do { try GitHubActions.publish(runs, diff: diff) } catch {
            Log.error("cannot write the GitHub job summary: \(error.localizedDescription)")
        }
        return diff
    }
}
