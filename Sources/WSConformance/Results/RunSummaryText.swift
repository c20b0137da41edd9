/// The end-of-run summary the CLI prints on stdout: counts per section and verdict, then every case
/// that is not acceptable with the reasons.
public enum RunSummaryText {
    public static func render(_ report: RunReport, catalog: CaseCatalog?) -> String {
        var out: [String] = ["\(report.agent) at \(report.target)", ""]
        let columns: [Behavior] = [.ok, .nonStrict, .informational, .unimplemented, .failed]
        var header = "Section".padding(toLength: 34, withPad: " ", startingAt: 0)
        for c in columns { header += pad(c.rawValue, 15) }
        header += pad("Close not OK", 13)
        out.append(header)
        var sections: [Int] = []
        for r in report.results where !sections.contains(r.id.section) { sections.append(r.id.section) }
        for s in sections {
            let rs = report.results.filter { $0.id.section == s }
            let title = "\(s) " + (catalog?.section(s)?.title ?? "")
            var line = String(title.prefix(33)).padding(toLength: 34, withPad: " ", startingAt: 0)
            for c in columns { line += pad(String(rs.filter { $0.verdict.behavior == c }.count), 15) }
            line += pad(String(rs.filter { ![.ok, .informational].contains($0.verdict.behaviorClose) }.count), 13)
            out.append(line)
        }
        let total = report.results.count
        let failed = report.failures
        out.append("")
        out.append("\(total) case\(total == 1 ? "" : "s") run, \(total - failed.count) acceptable, \(failed.count) failed"
            + (report.skipped.isEmpty ? "" : ", \(report.skipped.count) skipped for this agent")
            + (report.notRun.isEmpty ? "" : ", \(report.notRun.count) not run"))
        if let stop = report.stop { out.append("The run stopped early: \(stop).") }
        if !failed.isEmpty {
            out.append("")
            out.append("Failed cases:")
            for r in failed {
                out.append("  \(r.id)  \(r.verdict.behavior) / \(r.verdict.behaviorClose)  \(r.testCase.title)")
                let because = r.verdict.reasons.isEmpty ? [r.verdict.result, r.verdict.resultClose] : r.verdict.reasons
                for reason in because { out.append("      " + reason) }
            }
        }
        return out.joined(separator: "\n")
    }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
