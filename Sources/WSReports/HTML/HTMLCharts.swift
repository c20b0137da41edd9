import Foundation
import WSResultFormat

/// The report's charts, where a picture says more than the matrix: the durations of the
/// performance cases (9.x) and the compression ratios of the permessage-deflate cases (12.x, 13.x).
enum HTMLCharts {
    static func render(_ runs: [ReportRun]) -> String {
        [durations(runs), compression(runs)].compactMap { $0 }.joined()
    }

    static func durations(_ runs: [ReportRun]) -> String? {
        let ids = ReportRun.caseIDs(runs).filter { $0.section == "9" }
        let values = runs.map { run in ids.map { run[$0.text]?.durationMs } }
        guard let maximum = values.flatMap({ $0 }).compactMap({ $0 }).max() else { return nil }
        let series = runs.enumerated().map { SVGBarChart.Series(name: $1.label, color: VerdictStyle.palette[$0 % VerdictStyle.palette.count]) }
        let rows = ids.enumerated().map { i, id in
            SVGBarChart.Row(label: id.text, bars: runs.indices.map { r in
                values[r][i].map { SVGBarChart.Bar(value: Double($0), tooltip: "\(id.text) [\(runs[r].label)]: \($0) ms", label: "\($0) ms") }
            }, href: "#case-" + id.text)
        }
        var ticks: [(Double, String)] = []
        var t = 1.0
        while t <= Double(max(maximum, 1)) * 1.0001 {
            ticks.append((t, t >= 1000 ? "\(Int(t / 1000)) s" : "\(Int(t)) ms"))
            t *= 10
        }
        let chart = SVGBarChart(title: "Durations of the Limits/Performance cases (9.x), logarithmic scale", series: series,
                                rows: rows, scale: .logarithmic(max: Double(maximum)), ticks: ticks)
        return "<details class=\"chartbox\"><summary>Durations (9.x)</summary>" + chart.render() + "</details>"
    }

    static func compression(_ runs: [ReportRun]) -> String? {
        let ids = ReportRun.caseIDs(runs).filter { id in runs.contains { $0[id.text]?.deflateStats != nil } }
        guard !ids.isEmpty else { return nil }
        var series: [SVGBarChart.Series] = []
        for (i, run) in runs.enumerated() {
            series.append(.init(name: "\(run.label) outgoing", color: VerdictStyle.palette[i % VerdictStyle.palette.count]))
            series.append(.init(name: "\(run.label) incoming", color: VerdictStyle.paletteLight[i % VerdictStyle.paletteLight.count]))
        }
        var maximum = 1.0
        let rows = ids.map { id in
            SVGBarChart.Row(label: id.text, bars: runs.flatMap { run -> [SVGBarChart.Bar?] in
                let s = run[id.text]?.deflateStats
                return [("outgoing", s?.outgoing), ("incoming", s?.incoming)].map { name, d in
                    guard let ratio = d?.ratio else { return nil }
                    maximum = max(maximum, ratio)
                    let tip = "\(id.text) [\(run.label)] \(name): ratio " + String(format: "%.4f", ratio)
                        + " (\(d?.webSocketOctets ?? 0) of \(d?.appOctets ?? 0) octets)"
                    return SVGBarChart.Bar(value: ratio, tooltip: tip)
                }
            }, href: "#case-" + id.text)
        }
        let ticks = stride(from: 0.0, through: maximum + 1e-9, by: maximum > 2 ? 0.5 : 0.25).map { ($0, String(format: "%.2f", $0)) }
        let chart = SVGBarChart(title: "Compression ratio (WebSocket octets / application octets; smaller is better)",
                                series: series, rows: rows, scale: .linear(max: maximum), ticks: ticks)
        return "<details class=\"chartbox\"><summary>Compression ratios (12.x, 13.x)</summary>" + chart.render() + "</details>"
    }

    /// One run's verdicts as a stacked bar, for the summary table: acceptable cases by behavior,
    /// then behavior FAILED, then the cases that failed only at closing (behavior acceptable,
    /// behaviorClose not), so the bar's red and orange add up to the cases not acceptable.
    static func verdictBar(_ run: ReportRun) -> String {
        let order = Verdicts.behaviorOrder + [closeOnly]
        var counts: [String: Int] = [:]
        for c in run.cases { counts[barCategory(c), default: 0] += 1 }
        let total = max(1, run.cases.count)
        var x = 0.0
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"12\" viewBox=\"0 0 160 12\" class=\"vbar\">"
        for b in order {
            guard let n = counts[b], n > 0 else { continue }
            let w = 160.0 * Double(n) / Double(total)
            let cls = b == closeOnly ? "closefail" : VerdictStyle.behavior(b).cls
            let name = b == closeOnly ? "failed only at closing" : "behavior " + b
            out += "<rect x=\"\(String(format: "%.2f", x))\" y=\"0\" width=\"\(String(format: "%.2f", w))\" height=\"12\" class=\"\(cls)\"><title>\(h(name)): \(n)</title></rect>"
            x += w
        }
        return out + "</svg>"
    }

    static let closeOnly = "CLOSE"

    /// The bar segment of a case: its behavior, FAILED for unknown words, `CLOSE` when only the
    /// closing handshake failed.
    static func barCategory(_ c: CaseRecord) -> String {
        guard Verdicts.isAcceptable(behavior: c.behavior) else { return "FAILED" }
        return c.isAcceptable ? c.behavior : closeOnly
    }
}
