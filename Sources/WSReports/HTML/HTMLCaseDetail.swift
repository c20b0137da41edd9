import Foundation
import WSResultFormat

/// The detail block of one case: its texts once, then each run's verdict, expected vs observed
/// events, close, handshake, statistics and wire log. The block's id is the case permalink
/// (`#case-6.4.1`).
enum HTMLCaseDetail {
    static func render(_ key: CaseKey, runs: [ReportRun]) -> String {
        let records = runs.map { $0[key.text] }
        let first = records.compactMap { $0 }.first
        let failed = records.contains { $0.map { !$0.isAcceptable } ?? false }
        var out = "<details class=\"case\" id=\"case-\(h(key.text))\" data-case=\"\(h(key.text))\"\(failed ? " data-failed=\"1\"" : "")>"
        out += "<summary><a class=\"perma\" href=\"#case-\(h(key.text))\" title=\"permalink\">#</a> <b>\(h(key.text))</b> \(h(first?.displayTitle ?? ""))"
        for r in records {
            out += r.map { " " + VerdictStyle.chip($0.behavior) + VerdictStyle.chip($0.behaviorClose, close: true) }
                ?? " <span class=\"chip missing\">Missing</span>"
        }
        out += failed ? " <span class=\"flag\">not acceptable</span>" : ""
        out += records.contains { $0?.failedOnlyAlongside == true } ? " <span class=\"flag\">failed only when run alongside other cases</span>" : ""
        out += "</summary><div class=\"body\">"
        if let c = first {
            out += texts(c)
        }
        for (run, record) in zip(runs, records) {
            out += "<section class=\"run\"><h4>\(h(run.label))</h4>"
            out += record.map { runDetail($0, run: run) } ?? "<p class=\"muted\">No result in this run.</p>"
            out += "</section>"
        }
        return out + "</div></details>\n"
    }

    static func texts(_ c: CaseRecord) -> String {
        var out = "<dl class=\"kv\">"
        if let d = c.description, !d.isEmpty { out += "<dt>Description</dt><dd>\(h(d))</dd>" }
        if let e = c.expectation, !e.isEmpty { out += "<dt>Expectation</dt><dd>\(h(e))</dd>" }
        if let rfc = c.rfc, !rfc.isEmpty { out += "<dt>RFC</dt><dd>\(h(rfc.joined(separator: "; ")))</dd>" }
        for n in c.notes ?? [] { out += "<dt>Note</dt><dd>\(h(n))</dd>" }
        return out + "</dl>"
    }

    static func runDetail(_ c: CaseRecord, run: ReportRun) -> String {
        var out = "<p class=\"verdict\">" + VerdictStyle.chip(c.behavior) + " " + VerdictStyle.chip(c.behaviorClose, close: true)
        if let d = c.durationMs { out += " <span class=\"muted\">duration \(d) ms</span>" }
        if let w = c.wallTimeMs { out += " <span class=\"muted\">wall \(w) ms</span>" }
        if let s = c.started { out += " <span class=\"muted\">started \(h(s))</span>" }
        out += "</p>"
        if !c.isAcceptable { out += "<p class=\"finding\">\(h(CaseText.headline(c)))</p>" }
        if run.origin == .autobahnIndex {
            out += "<p class=\"muted\">From \(h(run.source)) (an index.json): only verdicts, the duration and the peer's close code"
                + " (\(c.remoteCloseCode.map(String.init) ?? "none")) are known.</p>"
            return out
        }
        out += "<dl class=\"kv\">"
        if let r = c.result { out += "<dt>Result</dt><dd>\(h(r))</dd>" }
        if let r = c.resultClose { out += "<dt>Closing</dt><dd>\(h(r))</dd>" }
        if let reasons = c.reasons, !reasons.isEmpty {
            out += "<dt>Reasons</dt><dd><ul>" + reasons.map { "<li>\(h($0))</li>" }.joined() + "</ul></dd>"
        }
        out += "</dl>"
        out += concurrentRun(c)
        if c.isAcceptable {
            // An acceptable case: what happened in two lines, not tables (most of a full run's
            // cases; results.json has everything). The page of a whole catalog stays quick to open.
            out += "<p class=\"brief\">Observed: \(h(CaseText.observed(c)))<br>Close: \(h(CaseText.close(c)))</p>"
            out += clientCommand(c)
        } else {
            out += serverProcess(c)
            out += events(c)
            out += close(c)
            out += handshake(c)
            out += clientCommand(c)
            out += statistics(c)
        }
        if let log = c.wireLog {
            out += c.isAcceptable ? HTMLWireLog.counts(log) : HTMLWireLog.render(log, overHTTP2: c.handshake?.http2 == true)
        }
        return out
    }

    static func events(_ c: CaseRecord) -> String {
        var out = "<div class=\"grid2\"><div><h5>Expected</h5>"
        if let outcomes = c.expected?.objectValue {
            if outcomes["echo"] != nil || outcomes["roundTrips"] != nil {
                out += "<p>" + h(CaseText.expected(c).joined(separator: "; ")) + "</p>"
            } else {
                out += "<dl class=\"kv\">"
                for key in CaseText.outcomeOrder(outcomes.keys) {
                    let list = (outcomes[key]?.arrayValue ?? []).compactMap(EventRecord.init)
                    out += "<dt>\(VerdictStyle.chip(key))</dt><dd>\(eventList(list))</dd>"
                }
                out += "</dl>"
            }
        }
        out += "</div><div><h5>Observed</h5>" + eventList(c.observed ?? [])
        if let r = c.roundTrips, r.count != nil {
            out += "<p>" + h(CaseText.observed(c)) + "</p>"
        }
        return out + "</div></div>"
    }

    static func eventList(_ list: [EventRecord]) -> String {
        guard !list.isEmpty else { return "<p class=\"muted\">no events</p>" }
        return "<ol class=\"events\">" + list.map { e in
            var s = "<li><span class=\"etype\">\(h(e.type))</span>"
            if e.type == "timeout" { return s + " \(h(e.tag ?? ""))</li>" }
            s += " <span class=\"muted\">\(e.octets.map(String.init) ?? "?") octets</span> "
            s += payload(e.preview)
            return s + "</li>"
        }.joined() + "</ol>"
    }

    /// Payload text in a code span, or hex (marked as such); `…` when cut.
    static func payload(_ p: PayloadPreview) -> String {
        var s = ""
        if let t = p.text, !t.isEmpty { s = "<code>\(h(t))</code>" } else if let x = p.hex, !x.isEmpty {
            s = "<span class=\"muted\">hex</span> <code>\(h(HTMLText.spacedHex(x)))</code>"
        }
        return s + (p.truncated ? " …" : "")
    }

    static func close(_ c: CaseRecord) -> String {
        guard let close = c.close else { return "" }
        func frame(_ r: CloseFrameRecord?) -> String {
            guard let r else { return "<span class=\"muted\">none</span>" }
            var s = r.code.map { "<b>\($0)</b>" } ?? "<span class=\"muted\">no code</span>"
            if !r.reason.isEmpty { s += " " + payload(r.reason) }
            if let at = r.atMs { s += " <span class=\"muted\">at \(at) ms</span>" }
            return s
        }
        var rows: [(String, String)] = []
        if let e = c.expectedClose {
            var s = "closed by \(h(e.closedBy ?? "?"))"
            if let codes = e.codes, !codes.isEmpty { s += ", peer code in " + codes.map(String.init).joined(separator: ", ") }
            if e.requireClean == true { s += ", clean" }
            rows.append(("Expected", s))
        }
        rows.append(("Peer sent", frame(close.received)))
        rows.append(("Harness sent", frame(close.sent)))
        if let i = close.initiator { rows.append(("First Close by", h(i))) }
        if let w = close.wasClean { rows.append(("Clean", w ? "yes" : "<b>no</b>")) }
        if let f = close.harnessFailure { rows.append(("Harness failed the connection", h(f))) }
        if let t = close.tcp {
            rows.append(("TCP", "closed first by \(h(t.closedFirstBy ?? "?")) (\(h(t.kind ?? "?")))" + (t.atMs.map { " at \($0) ms" } ?? "")))
        }
        return "<h5>Close</h5><table class=\"kv\">" + rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined() + "</table>"
    }

    static func handshake(_ c: CaseRecord) -> String {
        guard let hs = c.handshake else { return "" }
        var out = "<details><summary>Opening handshake" + (hs.completed == false ? " (did not complete)" : "") + "</summary>"
        if let f = hs.failure { out += "<p class=\"bad\">\(h(f))</p>" }
        if let d = hs.deflate { out += "<p>permessage-deflate: <code>\(h(d))</code></p>" }
        // CRLF line ends are the norm and shown as line breaks; a lone CR stays visible as \u{D}.
        func transcript(_ head: String?) -> String { h((head ?? "").replacingOccurrences(of: "\r\n", with: "\n")) }
        out += "<div class=\"grid2\"><div><h5>Request</h5><pre>\(transcript(hs.request))</pre></div>"
        out += "<div><h5>Response</h5><pre>\(transcript(hs.response))</pre></div></div></details>"
        return out
    }

    /// A verdict seen alongside other cases that the run alone did not confirm.
    static func concurrentRun(_ c: CaseRecord) -> String {
        guard let cr = c.concurrentRun else { return "" }
        let what = c.failedOnlyAlongside ? "Failed only when run alongside other cases" : "Another verdict when run alongside other cases"
        var out = "<div class=\"concurrent\"><h5>\(what)</h5><p>" + VerdictStyle.chip(cr.behavior ?? "?")
            + " " + VerdictStyle.chip(cr.behaviorClose ?? "?", close: true)
            + " alongside other cases; run alone, the verdict above. A finding about the peer under concurrent load, not the case's verdict.</p>"
        if let reasons = cr.reasons, !reasons.isEmpty { out += "<ul>" + reasons.map { "<li>\(h($0))</li>" }.joined() + "</ul>" }
        return out + "</div>"
    }

    /// test-server --server-cmd: how the server process ended during the case, its stderr tail.
    static func serverProcess(_ c: CaseRecord) -> String {
        guard let sp = c.serverProcess else { return "" }
        var out = "<h5>Server process</h5><p class=\"bad\">\(h(sp.ended ?? "the server process ended"))</p>"
        if let cmd = sp.command { out += "<pre>\(h(cmd))</pre>" }
        if let tail = sp.stderrTail, !tail.isEmpty { out += "<h5>Its stderr ended with</h5><pre>\(h(tail))</pre>" }
        return out
    }

    /// test-client --client-cmd: the command, how it ended, its output.
    static func clientCommand(_ c: CaseRecord) -> String {
        guard let cc = c.clientCommand else { return "" }
        let end = cc.killed == true ? "killed by wsconform"
            : cc.signal.map { "ended by signal \($0)" } ?? cc.exitStatus.map { "exit status \($0)" } ?? "not started"
        var out = "<details><summary>Client command (" + (cc.connected == true ? "connected" : "never connected") + ", \(h(end)))</summary>"
        out += "<pre>\(h(cc.command ?? ""))</pre>"
        for (name, text, omitted) in [("stdout", cc.stdout, cc.stdoutOmitted), ("stderr", cc.stderr, cc.stderrOmitted)] {
            guard let text, !text.isEmpty else { continue }
            let note = (omitted ?? 0) > 0 ? " <span class=\"muted\">(\(omitted ?? 0) octets omitted)</span>" : ""
            out += "<h5>\(name)\(note)</h5><pre>\(h(text))</pre>"
        }
        return out + "</details>"
    }

    static func statistics(_ c: CaseRecord) -> String {
        var out = ""
        if let f = c.frames {
            let sent = f.sent ?? [:], received = f.received ?? [:]
            let ops = Set(sent.keys).union(received.keys).sorted { (Int($0) ?? 99) < (Int($1) ?? 99) }
            if !ops.isEmpty {
                out += "<table class=\"stats\"><tr><th>frames</th>" + ops.map { "<th>\(h(HTMLWireLog.opcodeName(Int($0) ?? -1)))</th>" }.joined() + "</tr>"
                out += "<tr><th>sent</th>" + ops.map { "<td>\(sent[$0] ?? 0)</td>" }.joined() + "</tr>"
                out += "<tr><th>received</th>" + ops.map { "<td>\(received[$0] ?? 0)</td>" }.joined() + "</tr></table>"
            }
        }
        if let s = c.deflateStats {
            out += "<table class=\"stats\"><tr><th>deflate</th><th>app octets</th><th>WebSocket octets</th><th>ratio</th></tr>"
            for (name, d) in [("outgoing", s.outgoing), ("incoming", s.incoming)] {
                out += "<tr><th>\(name)</th><td>\(d?.appOctets ?? 0)</td><td>\(d?.webSocketOctets ?? 0)</td><td>"
                    + (d?.ratio.map { String(format: "%.4f", $0) } ?? "") + "</td></tr>"
            }
            out += "</table>"
        }
        if let r = c.roundTrips, let m = r.mismatch {
            out += "<p class=\"bad\">First bad echo #\(m.index ?? 0): expected \(h(m.expectedType ?? "?")) of \(m.expectedLength ?? 0)"
                + " (sha1 \(h(m.expectedSHA1 ?? "?"))), got \(h(m.gotType ?? "?")) of \(m.gotLength ?? 0) (sha1 \(h(m.gotSHA1 ?? "?")))</p>"
        }
        return out
    }
}
