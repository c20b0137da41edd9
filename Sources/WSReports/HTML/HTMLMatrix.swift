import Foundation

/// The section → case matrix: one row per case id of any run, two cells per run (the verdict,
/// coloured as Autobahn colours it, linking to the case detail; and the close outcome).
///
/// Each section is its own fixed-layout table in a box the browser lays out only when it comes
/// near the screen (`content-visibility: auto`): a whole catalog's matrix (some 700 rows) is most
/// of the page, and laying out one auto-sized table of it was the largest cost of opening the
/// report. The `<colgroup>` gives every section's table the same column widths, so they line up.
enum HTMLMatrix {
    static func render(_ runs: [ReportRun]) -> String {
        let ids = ReportRun.caseIDs(runs)
        let columns = "<colgroup><col class=\"cid\">" + String(repeating: "<col class=\"v\"><col class=\"c\">", count: runs.count) + "</colgroup>"
        var out = "<div id=\"matrix\">"
        var currentSection: String?
        var currentSubsection: String?
        for id in ids {
            if id.section != currentSection {
                if currentSection != nil { out += "</tbody></table></div>" }
                currentSection = id.section
                currentSubsection = nil
                let title = SectionTitles.title(id.section, in: runs).map { " " + $0 } ?? ""
                out += "<div class=\"msec\" data-section=\"\(h(id.section))\"><table class=\"matrix\">\(columns)"
                out += "<tbody><tr class=\"sec\"><th>\(h(id.section + title))</th>"
                for run in runs { out += "<th colspan=\"2\" class=\"agent\">\(h(run.label))</th>" }
                out += "</tr>"
            }
            if let sub = id.subsection, sub != currentSubsection {
                currentSubsection = sub
                let title = SectionTitles.title(sub, in: runs).map { " " + $0 } ?? ""
                out += "<tr class=\"sub\" data-sub=\"\(h(sub))\"><td colspan=\"\(1 + 2 * runs.count)\">\(h(sub + title))</td></tr>"
            }
            out += row(id, runs: runs)
        }
        if currentSection != nil { out += "</tbody></table></div>" }
        return out + "</div>"
    }

    static func row(_ id: CaseKey, runs: [ReportRun]) -> String {
        let records = runs.map { $0[id.text] }
        let title = records.compactMap { $0?.title }.first ?? ""
        let failed = records.contains { $0.map { !$0.isAcceptable } ?? false }
        var out = "<tr class=\"case\" data-case=\"\(h(id.text))\"\(failed ? " data-failed=\"1\"" : "")>"
        out += "<td class=\"cid\"><div><a href=\"#case-\(h(id.text))\">\(h(id.text))</a> <span class=\"ct\">\(h(title))</span></div></td>"
        for record in records {
            guard let c = record else {
                out += "<td class=\"v missing\">Missing</td><td class=\"c missing\"></td>"
                continue
            }
            let style = VerdictStyle.behavior(c.behavior)
            var cell = "<a href=\"#case-\(h(id.text))\">\(style.label)</a>"
            if c.showsTime, let d = c.durationMs { cell += "<small>\(d) ms</small>" }
            if c.showsCompressionRatio, let s = c.deflateStats {
                let r = [s.incoming?.ratio, s.outgoing?.ratio].map { $0.map { String(format: "%.3f", $0) } ?? "–" }
                cell += "<small>[\(r[0])/\(r[1])]</small>"
            }
            let close = VerdictStyle.close(c)
            out += "<td class=\"v \(style.cls)\" title=\"\(h(c.verdictText))\">\(cell)</td>"
            out += "<td class=\"c \(close.cls)\" title=\"\(h(c.behaviorClose))\">\(h(close.label))</td>"
        }
        return out + "</tr>\n"
    }
}
