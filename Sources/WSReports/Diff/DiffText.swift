/// The diff as plain text for a terminal: counts, warnings, then each kind of transition in order
/// (regressions first); unchanged cases are only counted.
public enum DiffText {
    /// The text, ending with a newline.
    public static func render(_ diff: ReportDiff) -> String {
        var out = ["wsconform diff", "  old: " + describe(diff.old), "  new: " + describe(diff.new), ""]
        out.append(ReportDiff.Kind.allCases.map { $0.counted(diff.count($0)) }.joined(separator: ", "))
        for w in diff.warnings { out.append("warning: " + w) }
        for kind in ReportDiff.Kind.allCases where kind != .unchanged {
            let items = diff.transitions.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            out.append("")
            if kind == .removed {
                // Cases a run did not cover are a count, not a page of ids.
                out.append("\(kind.heading) (\(items.count), only in OLD): " + visible(diff.summary(of: .removed)))
                continue
            }
            out.append("\(kind.heading) (\(items.count)):")
            for t in items {
                let agent = t.agent.map { " [\(visible($0))]" } ?? ""
                out.append("  \(visible(t.id))\(agent)  \(visible(t.title ?? ""))")
                for d in t.details where !d.isEmpty { out.append("      " + visible(d)) }
                // For a regression, the judge's reasons say why the new verdict is what it is.
                if kind == .regression, let new = t.new {
                    for reason in new.reasons ?? [] { out.append("      - " + visible(reason)) }
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func describe(_ runs: [ReportRun]) -> String {
        runs.map { "\(visible($0.label)) (\($0.cases.count) cases, \(visible($0.source)))" }.joined(separator: "; ")
    }

    /// Peer strings on a terminal: control characters (escape sequences) shown as `\u{…}`.
    static func visible(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
