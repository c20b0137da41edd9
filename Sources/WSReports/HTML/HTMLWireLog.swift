import Foundation
import WSResultFormat

/// The wire log of one case run, one preformatted line per entry: number, time, direction, what,
/// and the octets (hex, or the payload text). Plain lines rather than a table: a whole catalog's
/// page then has a few tags per log instead of hundreds, and opens fast.
enum HTMLWireLog {
    /// At most this many lines for a failed case (the first 2/3 and the last 1/3): long transfers
    /// would otherwise make one page of a full run some 40 MB. results.json keeps the whole
    /// (bounded) log.
    static let maximumRows = 120
    /// `overHTTP2`: the WebSocket was an HTTP/2 stream, so its octets went as DATA on that stream,
    /// not as TCP writes and reads.
    static func render(_ log: WireLogRecord, maximumRows: Int = maximumRows, overHTTP2: Bool = false) -> String {
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
        let out = "<details class=\"wire\"><summary>Wire log (" + sizes(log, hidden: entries.count - shown.count) + ")</summary>"
        var lines: [String] = []
        var previous = 0
        for i in shown {
            let n = number(i)
            if n > previous + 1 { lines.append("      … \(n - previous - 1) entries omitted …") }
            lines.append(line(entries[i], number: n, overHTTP2: overHTTP2))
            previous = n
        }
        return out + "<pre class=\"wirelog\">" + h(lines.joined(separator: "\n")) + "</pre></details>"
    }

    /// An acceptable case's wire log, which is rarely read, by its size only: the page of a whole
    /// catalog stays small. results.json has the entries.
    static func counts(_ log: WireLogRecord) -> String {
        let entries = log.entries ?? []
        guard !entries.isEmpty else { return "" }
        return "<p class=\"brief\">Wire log (" + sizes(log, hidden: entries.count) + ")</p>"
    }

    /// `7 entries, 2 not recorded, 5 more in results.json`.
    static func sizes(_ log: WireLogRecord, hidden: Int) -> String {
        var out = "\(log.total ?? log.entries?.count ?? 0) entries"
        if let omitted = log.omitted, omitted > 0 { out += ", \(omitted) not recorded" }
        if hidden > 0 { out += ", \(hidden) \(hidden == (log.entries?.count ?? 0) ? "" : "more ")in results.json" }
        return out
    }

    /// `   12     3.210 TX frame TEXT fin=1 rsv=0 len=5   Hello` (not yet HTML-escaped): TX is
    /// what the harness sent, RX what it received from the peer.
    static func line(_ e: WireLogEntryRecord, number: Int, overHTTP2: Bool = false) -> String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            s.count >= width ? s : (left ? String(repeating: " ", count: width - s.count) + s : s + String(repeating: " ", count: width - s.count))
        }
        var out = pad(String(number), 5, left: true) + " " + pad(e.atMs.map { String(format: "%.3f", $0) } ?? "", 9, left: true) + " "
            + (e.dir == "sent" ? "TX" : e.dir == "received" ? "RX" : "  ") + " "
        if let f = e.frame {
            var what = "frame \(opcodeName(f.opcode)) fin=\(f.fin ?? true ? 1 : 0) rsv=\(f.rsv ?? 0) len=\(f.length ?? 0)"
            if let m = f.mask { what += " mask=\(m)" }
            let p = f.preview
            let shown = p.text.map { "\"\($0)\"" } ?? HTMLText.spacedHex(p.hex ?? "")
            out += pad(what, 44) + " " + shown + (p.truncated ? " …" : "")
        } else if let n = e.octets {
            let hex = e.hex ?? ""
            let cut = n > hex.count / 2 ? " …" : ""
            let carrier = overHTTP2 ? "stream" : "TCP"
            out += pad("\(carrier) \(e.dir == "sent" ? "write" : "read") \(n) octets", 44) + " " + HTMLText.spacedHex(hex) + cut
                + "  " + HTMLText.asciiOfHex(hex) + cut
        } else {
            out += e.note ?? ""
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
