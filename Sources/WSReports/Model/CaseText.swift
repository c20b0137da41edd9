import WSResultFormat

/// Plain-text descriptions of a case's expectation and observations, shared by the JUnit, GitHub and
/// diff writers (each escapes for its own format).
public enum CaseText {
    /// `text (5 octets) "Hello"`, `binary (3 octets) hex 00ff10`, `pong (0 octets)`, `timeout A`.
    public static func event(_ e: EventRecord) -> String {
        if e.type == "timeout" { return "timeout \(e.tag ?? "")" }
        var s = "\(e.type) (\(e.octets.map(String.init) ?? "?") octets)"
        let p = e.preview
        if let t = p.text, !t.isEmpty { s += " \"\(t)\"" } else if let h = p.hex, !h.isEmpty { s += " hex \(h)" }
        if p.truncated { s += "…" }
        return s
    }

    /// A list of events, or `no events`.
    public static func events(_ list: [EventRecord]) -> String {
        list.isEmpty ? "no events" : list.map(event).joined(separator: ", ")
    }

    /// One line per acceptable outcome (`OK: …`, `NON-STRICT: …`), or the echo / round-trip rule.
    public static func expected(_ c: CaseRecord) -> [String] {
        guard let outcomes = c.expected?.objectValue else { return [] }
        if let echo = outcomes["echo"] {
            return ["the echo of a \(echo["type"]?.stringValue ?? "") message of \(echo["octets"]?.intValue ?? 0) octets"]
        }
        if outcomes["roundTrips"] != nil {
            return ["every round trip echoed" + (c.roundTrips?.count.map { " (\($0))" } ?? "")]
        }
        return outcomeOrder(outcomes.keys).map { key in
            "\(key): " + events((outcomes[key]?.arrayValue ?? []).compactMap(EventRecord.init))
        }
    }

    /// Outcome names in verdict order (OK first), others after, by name.
    public static func outcomeOrder(_ keys: some Sequence<String>) -> [String] {
        let rank = { (name: String) in Verdicts.behaviorOrder.firstIndex(of: name) ?? Verdicts.behaviorOrder.count }
        return keys.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// What was observed: events, and round-trip progress with the first bad echo.
    public static func observed(_ c: CaseRecord) -> String {
        var s = events(c.observed ?? [])
        if let omitted = c.observedOmitted, omitted > 0 {
            s += " (and \(omitted) more events not shown: the peer sent more than a report lists)"
        }
        if let r = c.roundTrips, let count = r.count {
            s = "\(r.completed ?? 0) of \(count) round trips completed" + (c.observed?.isEmpty == false ? "; " + s : "")
            if let m = r.mismatch {
                s += "; first bad echo #\(m.index ?? 0): expected \(m.expectedType ?? "?") of \(m.expectedLength ?? 0), got \(m.gotType ?? "?") of \(m.gotLength ?? 0)"
            }
        }
        return s
    }

    /// A Close frame: `1000 "bye"`, `1002 hex 00ff`, `empty`.
    public static func closeFrame(_ r: CloseFrameRecord?) -> String {
        guard let r else { return "none" }
        var s = r.code.map(String.init) ?? "empty"
        let p = r.reason
        if let t = p.text, !t.isEmpty { s += " \"\(t)\"" } else if let h = p.hex, !h.isEmpty { s += " hex \(h)" }
        if p.truncated { s += "…" }
        return s
    }

    /// The closing behaviour in one line.
    public static func close(_ c: CaseRecord) -> String {
        guard let close = c.close else { return "" }
        var parts = ["peer Close: \(closeFrame(close.received))", "harness Close: \(closeFrame(close.sent))"]
        if let i = close.initiator { parts.append("closed first by \(i)") }
        if let clean = close.wasClean { parts.append(clean ? "clean" : "not clean") }
        if let f = close.harnessFailure { parts.append("harness failed the connection: \(f)") }
        if let t = close.tcp {
            parts.append("TCP closed first by \(t.closedFirstBy ?? "?") (\(t.kind ?? "?"))")
        }
        return parts.joined(separator: "; ")
    }

    /// What a failed case leads with everywhere: the judge's one-sentence finding (what the peer did
    /// wrong); for files without one (older versions, Autobahn's index.json) the result texts.
    public static func headline(_ c: CaseRecord) -> String {
        if let f = c.finding, !f.isEmpty { return f }
        let texts = [c.result, c.resultClose].compactMap { $0 }.filter { !$0.isEmpty }
        return texts.isEmpty ? c.verdictText : texts.joined(separator: " ")
    }

    /// `<finding> (FAILED / OK)` — what a failure annotation or JUnit message says first.
    public static func failureSummary(_ c: CaseRecord) -> String {
        let line = headline(c)
        return line == c.verdictText ? line : line + " (\(c.verdictText))"
    }

    /// Expected vs observed, close and the judge's reasons, one item per line.
    public static func failureDetail(_ c: CaseRecord) -> [String] {
        var lines: [String] = []
        let exp = expected(c)
        if !exp.isEmpty { lines.append("Expected: " + exp.joined(separator: " | ")) }
        if c.observed != nil || c.roundTrips != nil { lines.append("Observed: " + observed(c)) }
        if let codes = c.expectedClose?.codes {
            lines.append("Expected close: by \(c.expectedClose?.closedBy ?? "?")"
                + (codes.isEmpty ? "" : ", peer code in \(codes.map(String.init).joined(separator: ", "))"))
        }
        let close = close(c)
        if !close.isEmpty { lines.append("Close: " + close) }
        if let f = c.handshake?.failure { lines.append("Handshake: " + f) }
        let texts = [c.result, c.resultClose].compactMap { $0 }.filter { !$0.isEmpty }
        if c.finding != nil && !texts.isEmpty { lines.append("Result: " + texts.joined(separator: " ")) }
        for r in c.reasons ?? [] { lines.append("- " + r) }
        return lines
    }
}
