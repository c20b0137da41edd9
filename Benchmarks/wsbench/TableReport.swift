/// Renders a `Report` as a plain-text table for humans (also valid Markdown).
enum TableReport {
    static func render(_ report: Report) -> String {
        let s = report.settings
        var lines = [
            "wsbench \(report.date)  \(report.machine.cpuModel), \(report.machine.logicalCPUs) logical CPUs, "
                + "load average \(report.machine.loadAverage ?? "unknown")",
            "\(report.quick ? "QUICK run, " : "")median of \(s.repetitions) interleaved repetitions of "
                + "~\(fixed(s.targetSeconds, digits: 2)) s each, "
                + "after >= \(fixed(s.warmUpSeconds, digits: 2)) s warm-up",
            "",
        ]
        let header = ["benchmark", "ours", "reference", "reference value", "ratio", "target", "met", "CPU-time ratio"]
        var rows = [header]
        for c in report.comparisons {
            rows.append([
                c.title,
                c.unit.format(c.ours.rate),
                c.reference.name,
                c.unit.format(c.reference.rate),
                fixed(c.ratio, digits: 2) + "x",
                c.targetRatio.map { ">= " + trimmed($0) + "x" } ?? "-",
                c.met.map { $0 ? "yes" : "NO" } ?? "-",
                fixed(c.cpuRatio, digits: 2) + "x",
            ])
        }
        lines += table(rows)
        lines.append("")
        let judged = report.comparisons.filter { $0.met != nil }
        let missed = report.missedTargets.map(\.id)
        lines.append("targets met: \(judged.count - missed.count)/\(judged.count)"
                     + (missed.isEmpty ? "" : "; missed: " + missed.joined(separator: ", ")))
        lines.append("checksum \(report.checksum)")
        return lines.joined(separator: "\n")
    }

    /// A Markdown pipe table with padded columns (numbers right-aligned).
    private static func table(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        let rightAligned: Set<Int> = [1, 3, 4, 7]
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        // Markdown alignment: a colon at the right end of a column's rule right-aligns it.
        let rule = widths.indices.map { column in
            String(repeating: "-", count: widths[column] + 1) + (rightAligned.contains(column) ? ":" : "-")
        }
        return [line(rows[0]), "|" + rule.joined(separator: "|") + "|"] + rows.dropFirst().map(line)
    }

    /// 5 -> "5", 0.5 -> "0.5".
    private static func trimmed(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : fixed(value, digits: 1)
    }
}
