/// Comparing a run with a committed baseline, so CI fails on regressions only (known failures do
/// not break the build). Used by `test-server --baseline`; usable by any command that writes
/// result files.
public enum BaselineGate {
    /// Loads the baseline (a results.json, an index.json or a directory) and the new results, and
    /// compares them.
    public static func compare(baseline: String, results: [String]) throws(ReportInputError) -> ReportDiff {
        let old = try ResultsLoader.load(paths: [baseline])
        let new = try ResultsLoader.load(paths: results)
        return ReportDiff.compare(old: old, new: new)
    }

    /// Compares runs already loaded with the baseline file.
    public static func compare(baseline: String, runs: [ReportRun]) throws(ReportInputError) -> ReportDiff {
        ReportDiff.compare(old: try ResultsLoader.load(paths: [baseline]), new: runs)
    }

    /// A few lines for the end of a run: the counts and each regression.
    public static func summary(_ diff: ReportDiff) -> String {
        var out = ["Compared with the baseline: " + ReportDiff.Kind.allCases.filter { $0 != .unchanged }
            .map { $0.counted(diff.count($0)) }.joined(separator: ", ")]
        for w in diff.warnings { out.append("  warning: " + DiffText.visible(w)) }
        if diff.count(.removed) > 0 {
            out.append("  not in this run: " + DiffText.visible(diff.summary(of: .removed)))
        }
        for t in diff.transitions where t.kind == .regression {
            out.append("  regression \(DiffText.visible(t.id))\(t.agent.map { " [\(DiffText.visible($0))]" } ?? ""): "
                + DiffText.visible(t.details.first ?? ""))
        }
        return out.joined(separator: "\n")
    }
}
