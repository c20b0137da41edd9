import Foundation

/// The wire log of one case run as a table: time, direction, what, hex and text of the octets.
enum HTMLWireLog {
    /// At most this many rows for a failed case (the first 2/3 and the last 1/3): long transfers
    /// would otherwise make one page of a full run some 40 MB. results.json keeps the whole
    /// (bounded) log.
    static let maximumRows = 120
    /// At most this many rows for an acceptable case: the page of a whole catalog must open fast,
    /// and a passing case's log is rarely read.
    static let passingRows = 12

    /// - Parameter asText: one preformatted line per entry instead of a table row (the logs of
    ///   acceptable cases: a few tags per case instead of hundreds keep a whole catalog's page fast).
    static func render(_ log: WireLogRecord, maximumRows: Int = maximumRows, asText: Bool = false) -> String {
        let entries = log.entries ?? []
        guard !entries.isEmpty else { return "" }
        let omitted = log.omitted ?? 0
        // Each kept entry's 1-based number in the whole log: the runner left `omitted` out after
        // `omittedAfter` entries.
        let after = omitted > 0 ? (log.omittedAfter ?? entries.count) : entries.count
        func number(_ i: Int) -> Int { i < after ? i + 1 : i + 1 + omitted }
        var shown = Array(entries.indices)
        if shown.count > maximumRows {
            let head = maximumRows * 2 / 3
            shown = Array(shown.prefix(head)) + Array(shown.suffix(maximumRows - head))
        }
        let total = log.total ?? entries.count
        let hidden = entries.count - shown.count
        var out = "<details class=\"wire\"><summary>Wire log (\(total) entries"
        if omitted > 0 { out += ", \(omitted) not recorded" }
        if hidden > 0 { out += ", \(hidden) more in results.json" }
        out += ")</summary>"
        if asText {
            var lines: [String] = []
            var previous = 0
            for i in shown {
                let n = number(i)
                if n > previous + 1 { lines.append("… \(n - previous - 1) entries omitted …") }
                lines.append(line(entries[i], number: n))
                previous = n
            }
            return out + "<pre class=\"wiretext\">" + h(lines.joined(separator: "\n")) + "</pre></details>"
        }
        out += "<table class=\"wirelog\"><thead><tr><th>#</th><th>ms</th><th></th><th>what</th><th>hex</th><th>text</th></tr></thead><tbody>"
        var previous = 0
        for i in shown {
            let n = number(i)
            if n > previous + 1 {
                out += "<tr class=\"gap\"><td colspan=\"6\">… \(n - previous - 1) entries omitted …</td></tr>"
            }
            out += row(entries[i], number: n)
            previous = n
        }
        return out + "</tbody></table></details>"
    }

    /// `12  3.210  TX  frame TEXT fin=1 rsv=0 len=5  48 65 6c 6c 6f  Hello` (unescaped).
    static func line(_ e: WireLogEntryRecord, number: Int) -> String {
        var parts = [String(number), e.atMs.map { String(format: "%.3f", $0) } ?? "",
                     e.dir == "sent" ? "TX" : e.dir == "received" ? "RX" : "  "]
        if let f = e.frame {
            var what = "frame \(opcodeName(f.opcode)) fin=\(f.fin ?? true ? 1 : 0) rsv=\(f.rsv ?? 0) len=\(f.length ?? 0)"
            if let m = f.mask { what += " mask=\(m)" }
            let p = f.preview
            parts += [what, HTMLText.spacedHex(p.hex ?? "") + (p.text ?? "") + (p.truncated ? " …" : "")]
        } else if let n = e.octets {
            let hex = e.hex ?? ""
            parts += ["\(e.dir == "sent" ? "TCP write" : "TCP read") \(n) octets", HTMLText.spacedHex(hex) + (n > hex.count / 2 ? " …" : "")]
        } else {
            parts.append(e.note ?? "")
        }
        return parts.filter { !$0.isEmpty }.joined(separator: "  ")
    }

    static func row(_ e: WireLogEntryRecord, number: Int) -> String {
        let at = e.atMs.map { String(format: "%.3f", $0) } ?? ""
        let dir = e.dir == "sent" ? "<span class=\"tx\" title=\"sent by the harness\">TX</span>"
            : e.dir == "received" ? "<span class=\"rx\" title=\"received from the peer\">RX</span>" : ""
        var out = "<tr><td class=\"n\">\(number)</td><td class=\"n\">\(at)</td><td>\(dir)</td>"
        if let f = e.frame {
            var what = "frame \(opcodeName(f.opcode)) fin=\(f.fin ?? true ? 1 : 0) rsv=\(f.rsv ?? 0) len=\(f.length ?? 0)"
            if let m = f.mask { what += " mask=\(m)" }
            let p = f.preview
            out += "<td>\(h(what))</td><td class=\"hex\">\(h(HTMLText.spacedHex(p.hex ?? "")))\(p.truncated && p.hex != nil ? " …" : "")</td>"
            out += "<td class=\"txt\">\(h(p.text ?? ""))\(p.truncated && p.text != nil ? " …" : "")</td></tr>"
        } else if let n = e.octets {
            let hex = e.hex ?? ""
            let cut = n > hex.count / 2 ? " …" : ""
            out += "<td>\(e.dir == "sent" ? "TCP write" : "TCP read") \(n) octets</td>"
            out += "<td class=\"hex\">\(h(HTMLText.spacedHex(hex)))\(cut)</td><td class=\"txt\">\(h(HTMLText.asciiOfHex(hex)))\(cut)</td></tr>"
        } else {
            out += "<td colspan=\"3\" class=\"note\">\(h(e.note ?? ""))</td></tr>"
        }
        return out
    }

    static func opcodeName(_ op: Int) -> String {
        switch op {
        case 0: "CONTINUATION"
        case 1: "TEXT"
        case 2: "BINARY"
        case 8: "CLOSE"
        case 9: "PING"
        case 10: "PONG"
        default: "OPCODE \(op)"
        }
    }
}
