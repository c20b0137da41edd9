import Foundation
import WSResultFormat

/// The HTML report: ONE self-contained file (inline CSS and script, no network). It leads with what
/// failed (per run a status line, then each failed case with what the peer did wrong and a link to
/// its detail), then the runs' counts, charts (collapsed), the section → case matrix with every run
/// side by side, filters (failed only, section, text search) and a detail block per case with a
/// permalink (`#case-6.4.1`), stored compressed and made into elements only when opened
/// (`HTMLCaseBundle`), so the page of a whole catalog opens fast. Without JavaScript the status
/// lines, the failed cases with what the peer did wrong, the runs and the matrix still read.
///
/// Every string from a result file is escaped; the page's Content-Security-Policy allows only its
/// own script and style (by hash) and no network, so markup a hostile peer managed to smuggle in
/// could not run or load anything either.
public enum HTMLReport {
    /// - Parameters:
    ///   - title: the page heading (default: the run labels).
    ///   - generated: the generation time shown in the header.
    public static func render(_ runs: [ReportRun], title: String? = nil, generated: Date = Date()) -> String {
        let heading = title ?? "wsconform report: " + runs.map(\.label).joined(separator: ", ")
        let ids = ReportRun.caseIDs(runs)
        let csp = "default-src 'none'; img-src data:; style-src \(SHA256.cspSource(HTMLAssets.css)); script-src \(SHA256.cspSource(HTMLAssets.js))"
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"\(h(csp))\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<meta name=\"generator\" content=\"wsconform\">"
        out += "<title>\(h(heading))</title><style>\(HTMLAssets.css)</style></head>\n<body>"
        out += "<h1>\(h(heading))</h1>"
        out += "<p class=\"muted\">Generated \(h(timestamp(generated))) by wsconform from \(runs.count) result set\(runs.count == 1 ? "" : "s").</p>"
        out += HTMLFailures.render(runs)
        out += "<h2>Runs</h2>" + HTMLSummary.render(runs)
        let charts = HTMLCharts.render(runs)
        if !charts.isEmpty { out += "<h2>Charts</h2>" + charts }
        out += "<h2>Results</h2>"
        out += filters(ids, runs: runs)
        out += "<p class=\"legend\"><span class=\"ok\">Pass</span><span class=\"nonstrict\">Non-Strict</span><span class=\"fail\">Fail</span>"
            + "<span class=\"info\">Info</span><span class=\"unimpl\">Unimplemented</span><span class=\"missing\">Missing</span>"
            + " <small class=\"muted\">Second column: the peer's close code (green OK, light green failed by client, olive wrong code,"
            + " blue informational), Unclean, or Fail.</small></p>"
        out += HTMLMatrix.render(runs)
        out += "<h2 id=\"cases\">Cases</h2><p class=\"muted\">A case's detail opens here from its link in the failed list, the matrix"
            + " or a chart<noscript> when JavaScript is on (the details are stored compressed)</noscript>.</p><div id=\"case-details\"></div>"
        out += HTMLCaseBundle.render(ids, runs: runs)
        out += "<script type=\"application/json\" id=\"wsconform-index\">" + index(ids, runs: runs).render(scriptSafe: true) + "</script>"
        out += "<script>\(HTMLAssets.js)</script></body></html>\n"
        return out
    }

    static func filters(_ ids: [CaseKey], runs: [ReportRun]) -> String {
        var sections: [String] = []
        for id in ids where !sections.contains(id.section) { sections.append(id.section) }
        var out = "<div class=\"filters\"><label><input type=\"checkbox\" id=\"f-failed\"> failed only</label>"
        out += "<select id=\"f-section\" aria-label=\"section\"><option value=\"\">all sections</option>"
        for s in sections {
            out += "<option value=\"\(h(s))\">\(h(s + (SectionTitles.title(s, in: runs).map { " " + $0 } ?? "")))</option>"
        }
        out += "</select><input type=\"search\" id=\"f-text\" placeholder=\"search id, title, result…\" size=\"32\">"
        out += "<button type=\"button\" id=\"toggle-close\">Toggle close column</button>"
        out += "<button type=\"button\" id=\"open-failed\">Open failed cases</button>"
        out += "<button type=\"button\" id=\"close-all\">Close all</button>"
        out += "<span id=\"f-count\" class=\"muted\"></span></div>"
        return out
    }

    /// The data the filters search: per case its section, whether some run failed it, and the
    /// lower-cased text to search (id, title, verdicts, result texts).
    static func index(_ ids: [CaseKey], runs: [ReportRun]) -> OrderedJSON {
        .object([
            ("total", .int(ids.count)),
            ("cases", .object(ids.map { id in
                let records = runs.compactMap { $0[id.text] }
                var words = [id.text, records.first?.title ?? ""]
                for c in records { words += [c.behavior, c.behaviorClose, c.finding ?? "", c.result ?? "", c.resultClose ?? ""] }
                return (id.text, .object([
                    ("s", .string(id.section)),
                    ("f", .int(records.contains { !$0.isAcceptable } ? 1 : 0)),
                    ("t", .string(words.joined(separator: " ").lowercased())),
                ]))
            })),
        ])
    }

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
