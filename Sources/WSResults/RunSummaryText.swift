import WSCatalog
import WSResultFormat

/// The end-of-run summary the CLI prints on stdout: counts per section and verdict, then every case
/// that is not acceptable with the reasons.
public enum RunSummaryText {
    public static func render(_ report: RunReport, catalog: CaseCatalog?) -> String {
        let rows = report.results.map { r in
            Row(id: r.id, behavior: r.verdict.behavior.rawValue, behaviorClose: r.verdict.behaviorClose.rawValue,
                acceptable: r.acceptable, title: r.testCase.title, finding: r.verdict.finding,
                reasons: r.verdict.reasons.isEmpty ? [r.verdict.result, r.verdict.resultClose] : r.verdict.reasons,
                concurrent: r.concurrentRun, serverStderrTail: r.serverProcess?.stderrTail)
        }
        var tail: [String] = []
        if let stop = report.stop { tail.append("The run stopped early: \(stop).") }
        return render(heading: "\(report.agent) at \(report.target)", rows: rows, skipped: report.skipped.count,
                      notRun: report.notRun.count, stopNote: tail, catalog: catalog)
    }

    /// The summary of one agent's stored results (harness as server); reasons are read from the
    /// stored case objects of the cases that failed.
    public static func render(agent: String, target: String, results: [StoredCaseResult], notRun: Int, catalog: CaseCatalog?) -> String {
        let rows = results.map { s in
            Row(id: s.id, behavior: s.behavior, behaviorClose: s.behaviorClose, acceptable: s.acceptable,
                title: catalog?[s.id]?.title ?? "", finding: s.acceptable ? nil : s.finding, reasons: s.acceptable ? [] : s.reasons,
                concurrent: s.concurrentRun)
        }
        return render(heading: "\(agent) (client) at \(target)", rows: rows, skipped: 0, notRun: notRun, stopNote: [], catalog: catalog)
    }

    struct Row {
        var id: CaseID
        var behavior: String
        var behaviorClose: String
        var acceptable: Bool
        var title: String
        /// What the peer did wrong, in one sentence: the first line under a failed case.
        var finding: String?
        var reasons: [String]
        var concurrent: ConcurrentRun? = nil
        var serverStderrTail: String? = nil
    }

    static func render(heading: String, rows: [Row], skipped: Int, notRun: Int, stopNote: [String], catalog: CaseCatalog?) -> String {
        var out: [String] = [heading, ""]
        let columns: [Behavior] = [.ok, .nonStrict, .informational, .unimplemented, .failed]
        var header = "Section".padding(toLength: 34, withPad: " ", startingAt: 0)
        for c in columns { header += pad(c.rawValue, 15) }
        header += pad("Close not OK", 13)
        out.append(header)
        var sections: [Int] = []
        for r in rows where !sections.contains(r.id.section) { sections.append(r.id.section) }
        for s in sections {
            let rs = rows.filter { $0.id.section == s }
            let title = "\(s) " + (catalog?.section(s)?.title ?? "")
            var line = String(title.prefix(33)).padding(toLength: 34, withPad: " ", startingAt: 0)
            for c in columns { line += pad(String(rs.filter { $0.behavior == c.rawValue }.count), 15) }
            let closeOK = [CloseBehavior.ok.rawValue, CloseBehavior.informational.rawValue]
            line += pad(String(rs.filter { !closeOK.contains($0.behaviorClose) }.count), 13)
            out.append(line)
        }
        let total = rows.count
        let failed = rows.filter { !$0.acceptable }
        out.append("")
        out.append("\(total) case\(total == 1 ? "" : "s") run, \(total - failed.count) acceptable, \(failed.count) failed"
            + (skipped == 0 ? "" : ", \(skipped) skipped for this agent")
            + (notRun == 0 ? "" : ", \(notRun) not run"))
        out += stopNote
        if !failed.isEmpty {
            out.append("")
            out.append("Failed cases:")
            for r in failed {
                out.append("  \(r.id)  \(r.finding ?? r.title)")
                out.append("      \(r.behavior) / \(r.behaviorClose): \(r.title)")
                for reason in r.reasons { out.append("      - " + reason) }
                if let tail = r.serverStderrTail, !tail.isEmpty {
                    out.append("      The server's stderr ended with:")
                    out += tail.split(separator: "\n", omittingEmptySubsequences: false).map { "        | " + $0 }
                }
            }
        }
        let onlyConcurrent = rows.filter { $0.acceptable && $0.concurrent?.acceptable == false }
        if !onlyConcurrent.isEmpty {
            out.append("")
            out.append("Failed only when run alongside other cases (alone they pass; the verdict is the run alone's):")
            for r in onlyConcurrent {
                guard let c = r.concurrent else { continue }
                out.append("  \(r.id)  \(c.behavior) / \(c.behaviorClose) alongside, \(r.behavior) / \(r.behaviorClose) alone  \(r.title)")
                for reason in c.reasons { out.append("      " + reason) }
            }
        }
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
