import Foundation
import WSResultFormat

/// Output for GitHub Actions: a Markdown job summary appended to `$GITHUB_STEP_SUMMARY`, and at
/// most `limit` `::error` annotations (failed cases, or regressions when comparing with a baseline)
/// plus one line counting the rest.
public enum GitHubActions {
    /// What the environment says about GitHub Actions.
    public struct Environment: Sendable {
        /// The file to append the job summary to.
        public var stepSummaryPath: String?
        /// `GITHUB_ACTIONS=true`: print annotations.
        public var annotate: Bool

        /// Reads `GITHUB_STEP_SUMMARY` and `GITHUB_ACTIONS` from the environment given.
        public init(_ env: [String: String] = ProcessInfo.processInfo.environment) {
            stepSummaryPath = env["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
            annotate = env["GITHUB_ACTIONS"] == "true"
        }

        /// An explicit environment (tests, other CI systems).
        public init(stepSummaryPath: String?, annotate: Bool) {
            self.stepSummaryPath = stepSummaryPath
            self.annotate = annotate
        }
    }

    /// Appends the summary and prints the annotations as the environment asks.
    /// - Parameter print: where annotation lines go (stdout, where the runner reads them).
    public static func publish(_ runs: [ReportRun], diff: ReportDiff? = nil, environment: Environment = Environment(),
                               print: (String) -> Void = { Swift.print($0) }) throws {
        if let path = environment.stepSummaryPath {
            let text = stepSummary(runs, diff: diff)
            let url = URL(fileURLWithPath: path)
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        }
        if environment.annotate {
            for line in annotations(runs, diff: diff) { print(line) }
        }
    }

    /// Failed cases (or, with a diff, regressions) as `::error` lines, at most `limit`, then a
    /// `::notice` with the count of the rest.
    public static func annotations(_ runs: [ReportRun], diff: ReportDiff? = nil, limit: Int = 10) -> [String] {
        var items: [(title: String, message: String)] = []
        let several = runs.count > 1
        if let diff {
            for t in diff.transitions where t.kind == .regression {
                guard let new = t.new else { continue }
                let was = t.old.map { " (was \($0.verdictText))" } ?? ""
                items.append((title: "wsconform regression \(t.id)" + (t.agent.map { " [\($0)]" } ?? ""),
                              message: message(new) + was))
            }
        } else {
            for run in runs {
                for c in run.failures {
                    items.append((title: "wsconform \(c.id)" + (several ? " [\(run.label)]" : ""), message: message(c)))
                }
            }
        }
        var lines = items.prefix(limit).map { WorkflowCommand.line("error", title: $0.title, message: $0.message) }
        if items.count > limit {
            let what = diff == nil ? "failed cases" : "regressions"
            lines.append(WorkflowCommand.line("notice", title: "wsconform",
                                              message: "\(items.count - limit) more \(what) not annotated; see the job summary or report.html"))
        }
        return lines
    }

    /// What the peer did wrong, the case's title, then expected vs observed; cut at 1500 characters
    /// (annotations are short).
    static func message(_ c: CaseRecord) -> String {
        let title = c.displayTitle.isEmpty ? [] : ["Case: " + c.displayTitle]
        let text = ([CaseText.failureSummary(c)] + title + CaseText.failureDetail(c)).joined(separator: "\n")
        return text.count > 1500 ? String(text.prefix(1500)) + "…" : text
    }

    /// The job summary: counts per run, the failed cases, and the comparison with a baseline.
    public static func stepSummary(_ runs: [ReportRun], diff: ReportDiff? = nil, maxRows: Int = 50) -> String {
        let behaviors = Verdicts.behaviorOrder
        var out = "## wsconform\n\n"
        out += "| Run | Cases | Acceptable | Failed | " + behaviors.joined(separator: " | ") + " |\n"
        out += "|---|---:|---:|---:|" + behaviors.map { _ in "---:" }.joined(separator: "|") + "|\n"
        for run in runs {
            var counts: [String: Int] = [:]
            for c in run.cases { counts[behaviors.contains(c.behavior) ? c.behavior : "FAILED", default: 0] += 1 }
            let failed = run.failures.count
            out += "| \(Markdown.cell(run.label)) | \(run.cases.count) | \(run.cases.count - failed) | \(failed) | "
                + behaviors.map { String(counts[$0] ?? 0) }.joined(separator: " | ") + " |\n"
        }
        if let stopped = runs.compactMap({ $0.info?.stopped }).first { out += "\nThe run stopped early: \(Markdown.cell(stopped))\n" }
        if let diff {
            out += "\n### Compared with the baseline\n\n" + diffCounts(diff) + "\n"
            let regressions = diff.transitions.filter { $0.kind == .regression }
            if !regressions.isEmpty {
                out += "\n| Regression | Title | Was | Now | Result |\n|---|---|---|---|---|\n"
                for t in regressions.prefix(maxRows) {
                    out += "| \(Markdown.cell(t.id + (t.agent.map { " [\($0)]" } ?? ""))) | \(Markdown.cell(t.title ?? ""))"
                        + " | \(Markdown.cell(t.old?.verdictText ?? "")) | \(Markdown.cell(t.new?.verdictText ?? ""))"
                        + " | \(Markdown.cell(t.new.map(CaseText.failureSummary) ?? "")) |\n"
                }
                if regressions.count > maxRows { out += "\n…and \(regressions.count - maxRows) more.\n" }
            }
        }
        var failed: [(ReportRun, CaseRecord)] = []
        for run in runs { for c in run.failures { failed.append((run, c)) } }
        if !failed.isEmpty {
            out += "\n### Failed cases (\(failed.count))\n\n| Case | What the peer did wrong | Verdict | Title |\n|---|---|---|---|\n"
            for (run, c) in failed.prefix(maxRows) {
                let id = c.id + (runs.count > 1 ? " [\(run.label)]" : "")
                out += "| \(Markdown.cell(id)) | \(Markdown.cell(CaseText.headline(c))) | \(Markdown.cell(c.verdictText))"
                    + " | \(Markdown.cell(c.displayTitle)) |\n"
            }
            if failed.count > maxRows { out += "\n…and \(failed.count - maxRows) more (see report.html).\n" }
        }
        return out + "\n"
    }

    static func diffCounts(_ diff: ReportDiff) -> String {
        ReportDiff.Kind.allCases.map { $0.counted(diff.count($0)) }.joined(separator: ", ")
    }
}
