import Foundation
import WSResultFormat

/// The runs table at the top of the report: where each run came from and its counts.
enum HTMLSummary {
    static func render(_ runs: [ReportRun]) -> String {
        let behaviors = Verdicts.behaviorOrder
        // "Not acceptable" counts cases by the acceptance rule (either verdict failing); the
        // behavior columns count the main verdict only, and "Close not OK" the closing verdict.
        var out = "<table class=\"runs\"><thead><tr><th>Run</th><th>Wall</th><th>Cases</th>"
            + "<th>Acceptable</th><th>Not acceptable</th>"
        let short = ["OK": "OK", "NON-STRICT": "Non-strict", "INFORMATIONAL": "Info", "UNIMPLEMENTED": "Unimpl.", "FAILED": "FAILED"]
        out += behaviors.map { "<th><small>behavior</small><br>\(VerdictStyle.chip($0, label: short[$0]))</th>" }.joined()
        out += "<th><small>closing</small><br>not OK</th><th>Verdicts</th><th>Notes</th></tr></thead><tbody>"
        for run in runs {
            var counts: [String: Int] = [:]
            for c in run.cases { counts[behaviors.contains(c.behavior) ? c.behavior : "FAILED", default: 0] += 1 }
            let failed = run.failures.count
            // HTTP/1.1 goes without saying; an HTTP/2 run says so beside its target.
            let target = (run.info?.target ?? "") + (run.info?.overHTTP2 == true ? " over HTTP/2" : "")
            out += "<tr><td class=\"run\"><b>\(h(run.label))</b> \(h(target))<br><small class=\"muted\">"
                + h([run.info?.started.map { "started " + $0 }, run.source].compactMap { $0 }.joined(separator: " · ")) + "</small></td>"
            out += "<td>\(run.info?.wallSeconds.map { String(format: "%.1f s", $0) } ?? "")</td>"
            out += "<td>\(run.cases.count)</td><td>\(run.cases.count - failed)</td>"
            out += "<td class=\"\(failed > 0 ? "bad" : "")\">\(failed)</td>"
            out += behaviors.map { "<td>\(counts[$0] ?? 0)</td>" }.joined()
            out += "<td>\(run.cases.filter { !Verdicts.isAcceptable(behaviorClose: $0.behaviorClose) }.count)</td>"
            out += "<td>\(HTMLCharts.verdictBar(run))</td><td class=\"notes\">\(notes(run))</td></tr>"
        }
        return out + "</tbody></table>"
    }

    static func notes(_ run: ReportRun) -> String {
        var notes: [String] = []
        switch run.origin {
        case .journal: notes.append("from the journal (results.jsonl): the run may not have finished")
        case .autobahnIndex: notes.append("from an index.json: verdicts only")
        case .results: break
        }
        if let stopped = run.info?.stopped { notes.append("stopped early: " + stopped) }
        if !run.skipped.isEmpty { notes.append("\(run.skipped.count) skipped for this agent") }
        if !run.notRun.isEmpty { notes.append("\(run.notRun.count) not run") }
        if let v = run.info?.tool?.version { notes.append("wsconform \(v)") }
        if let d = run.info?.catalog?.digest { notes.append("catalog \(d)") }
        return notes.map { "<small>\(h($0))</small>" }.joined(separator: "<br>")
    }
}
