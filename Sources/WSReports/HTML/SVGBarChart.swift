import Foundation

/// A small horizontal bar chart as inline SVG: one row per label, one bar per series in each row.
/// Every label and tooltip is escaped.
struct SVGBarChart {
    enum Scale {
        case linear(max: Double)
        /// log10(1 + value), for durations spanning 1 ms to tens of seconds.
        case logarithmic(max: Double)
    }

    struct Series {
        var name: String
        var color: String
    }

    struct Bar {
        var value: Double
        var tooltip: String
        /// Written after the bar when the chart has one series (rows are too thin for more).
        var label: String? = nil
    }

    struct Row {
        var label: String
        /// One entry per series; nil where the series has no value.
        var bars: [Bar?]
        /// A link target for the row label (a case permalink).
        var href: String?
    }

    var title: String
    var series: [Series]
    var rows: [Row]
    var scale: Scale
    /// Tick values along the axis, with their labels.
    var ticks: [(Double, String)]

    private let labelWidth = 64.0
    private let plotWidth = 720.0
    private let barHeight = 7.0

    func render() -> String {
        let rowHeight = max(10, Double(series.count) * barHeight + 3)
        let top = 6.0
        let height = top + Double(rows.count) * rowHeight + 18
        let width = labelWidth + plotWidth + 70
        // The legend is HTML above the picture, so long run names wrap instead of overflowing (swatches
        // are SVG: the page's CSP forbids style attributes).
        var out = "<figure class=\"chart\"><figcaption>\(h(title))</figcaption><p class=\"legend2\">"
        out += series.map { "<span><svg width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"\($0.color)\"/></svg> \(h($0.name))</span>" }.joined()
        out += "</p>"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        out += "<title>\(h(title))</title>"
        // Ticks.
        for (value, label) in ticks {
            let tx = labelWidth + position(value)
            out += "<line x1=\"\(fmt(tx))\" y1=\"\(top - 2)\" x2=\"\(fmt(tx))\" y2=\"\(fmt(height - 16))\" class=\"tick\"/>"
            out += "<text x=\"\(fmt(tx))\" y=\"\(fmt(height - 4))\" class=\"tl\">\(h(label))</text>"
        }
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * rowHeight
            let label = "<text x=\"\(labelWidth - 4)\" y=\"\(fmt(y + rowHeight / 2 + 3))\" class=\"rl\">\(h(row.label))</text>"
            out += row.href.map { "<a href=\"\(h($0))\">\(label)</a>" } ?? label
            for (j, bar) in row.bars.enumerated() {
                guard let bar, j < series.count else { continue }
                let w = max(1, position(bar.value))
                let by = y + 1 + Double(j) * barHeight
                out += "<rect x=\"\(labelWidth)\" y=\"\(fmt(by))\" width=\"\(fmt(w))\" height=\"\(barHeight - 1)\" fill=\"\(series[j].color)\">"
                out += "<title>\(h(bar.tooltip))</title></rect>"
                if series.count == 1, let label = bar.label {
                    out += "<text x=\"\(fmt(labelWidth + w + 3))\" y=\"\(fmt(by + barHeight - 1))\" class=\"vl\">\(h(label))</text>"
                }
            }
        }
        out += "</svg></figure>"
        return out
    }

    /// Pixels from the axis origin.
    private func position(_ value: Double) -> Double {
        switch scale {
        case let .linear(max):
            return max > 0 ? min(1, value / max) * plotWidth : 0
        case let .logarithmic(max):
            let m = log10(1 + max)
            return m > 0 ? min(1, log10(1 + Swift.max(0, value)) / m) * plotWidth : 0
        }
    }

    private func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
