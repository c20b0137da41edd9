import Foundation
import WSResultFormat

/// The diff as one self-contained HTML page: counts, warnings and a table per kind of transition
/// with the old and new verdicts coloured. No script; every string escaped.
public enum DiffHTML {
    /// The page; `generated` is the time shown in its header.
    public static func render(_ diff: ReportDiff, generated: Date = Date()) -> String {
        let csp = "default-src 'none'; style-src \(SHA256.cspSource(HTMLAssets.css))"
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(h(csp))\">"
        out += "<title>wsconform diff</title><style>\(HTMLAssets.css)</style></head><body>"
        out += "<h1>wsconform diff</h1><p class=\"muted\">Generated \(h(HTMLReport.timestamp(generated)))</p>"
        out += "<table class=\"kv\"><tr><th>Old</th><td>\(runs(diff.old))</td></tr><tr><th>New</th><td>\(runs(diff.new))</td></tr></table>"
        out += "<p>" + ReportDiff.Kind.allCases.map { k in
            let n = diff.count(k)
            return k == .regression && n > 0 ? "<b class=\"bad\">\(k.counted(n))</b>" : k.counted(n)
        }.joined(separator: ", ") + "</p>"
        for w in diff.warnings { out += "<p class=\"bad\">Warning: \(h(w))</p>" }
        for kind in ReportDiff.Kind.allCases where kind != .unchanged {
            let items = diff.transitions.filter { $0.kind == kind }
            guard !items.isEmpty else { continue }
            out += "<h2>\(h(kind.heading)) (\(items.count))</h2><table class=\"runs\"><thead><tr><th>Case</th><th>Title</th>"
                + "<th>Old</th><th>New</th><th>Details</th></tr></thead><tbody>"
            for t in items {
                out += "<tr><td><b>\(h(t.id))</b>\(t.agent.map { "<br><small>\(h($0))</small>" } ?? "")</td><td>\(h(t.title ?? ""))</td>"
                out += "<td>\(verdict(t.old))</td><td>\(verdict(t.new))</td><td>"
                var lines = t.details.filter { !$0.isEmpty }
                if kind == .regression, let new = t.new { lines += CaseText.failureDetail(new) }
                out += lines.map { h($0) }.joined(separator: "<br>") + "</td></tr>"
            }
            out += "</tbody></table>"
        }
        return out + "</body></html>\n"
    }

    static func runs(_ list: [ReportRun]) -> String {
        list.map { "<b>\(h($0.label))</b> <small class=\"muted\">\($0.cases.count) cases, \(h($0.source))</small>" }
            .joined(separator: "<br>")
    }

    static func verdict(_ c: CaseRecord?) -> String {
        guard let c else { return "<span class=\"chip missing\">Missing</span>" }
        return VerdictStyle.chip(c.behavior) + VerdictStyle.chip(c.behaviorClose, close: true)
    }
}
