import WSResultFormat

/// The top of the report: per run one line saying how many cases are not acceptable, then the failed
/// cases, each with what the peer did wrong in one sentence and a link to its detail. A reader sees
/// what failed on the first screen; the counts, charts and matrix follow.
enum HTMLFailures {
    /// Rows shown at first; the others are one click away, in a collapsed block below them.
    static let shownRows = 25

    static func render(_ runs: [ReportRun]) -> String {
        var out = "<div class=\"status\">"
        for run in runs { out += statusLine(run) }
        out += "</div>"
        var failed: [(run: ReportRun, c: CaseRecord)] = []
        for run in runs { for c in run.failures { failed.append((run, c)) } }
        guard !failed.isEmpty else { return out }
        failed.sort { $0.c.key != $1.c.key ? $0.c.key < $1.c.key : $0.run.label < $1.run.label }
        out += "<h2 id=\"failed\">Failed cases (\(failed.count))</h2>"
        let head = "<table class=\"failed\"><thead><tr><th>Case</th>" + (runs.count > 1 ? "<th>Run</th>" : "")
            + "<th>What the peer did wrong</th><th>Verdict <small>(behavior, closing)</small></th></tr></thead><tbody>"
        func rows(_ slice: ArraySlice<(run: ReportRun, c: CaseRecord)>) -> String {
            slice.map { run, c in
                "<tr><td class=\"fid\"><a href=\"#case-\(h(c.id))\">\(h(c.id))</a></td>"
                    + (runs.count > 1 ? "<td>\(h(run.label))</td>" : "")
                    + "<td><div class=\"why\">\(h(CaseText.headline(c)))</div><div class=\"muted ft\">\(h(c.displayTitle))</div></td>"
                    + "<td class=\"fv\">" + VerdictStyle.chip(c.behavior) + VerdictStyle.chip(c.behaviorClose, close: true) + "</td></tr>"
            }.joined()
        }
        out += head + rows(failed.prefix(shownRows)) + "</tbody></table>"
        if failed.count > shownRows {
            out += "<details class=\"more\"><summary>The other \(failed.count - shownRows) failed cases</summary>"
                + head + rows(failed.dropFirst(shownRows)) + "</tbody></table></details>"
        }
        return out
    }

    /// `FAIL  echo-server: 85 of 517 cases not acceptable (80 behavior FAILED, 5 only at closing)`.
    static func statusLine(_ run: ReportRun) -> String {
        let failed = run.failures
        let label = "<b>\(h(run.label))</b>: "
        guard !failed.isEmpty || run.info?.stopped != nil else {
            return "<p class=\"pass\"><span class=\"badge ok\">PASS</span> \(label)all \(run.cases.count) cases acceptable"
                + notRun(run) + "</p>"
        }
        let behaviorFailed = failed.filter { !Verdicts.isAcceptable(behavior: $0.behavior) }.count
        let closeOnly = failed.count - behaviorFailed
        var parts: [String] = []
        if behaviorFailed > 0 { parts.append("\(behaviorFailed) with behavior FAILED") }
        if closeOnly > 0 { parts.append("\(closeOnly) failed only at closing") }
        var line = "<p class=\"fail-line\"><span class=\"badge fail\">FAIL</span> \(label)\(failed.count) of \(run.cases.count) cases not acceptable"
        if !parts.isEmpty { line += " (" + parts.joined(separator: ", ") + ")" }
        if let stopped = run.info?.stopped { line += "; the run stopped early: \(h(stopped))" }
        return line + notRun(run) + "</p>"
    }

    private static func notRun(_ run: ReportRun) -> String {
        run.notRun.isEmpty ? "" : "; \(run.notRun.count) not run"
    }
}
