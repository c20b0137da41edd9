import WSResultFormat

/// Autobahn's per-case report `<agent>_case_<id>.json` (autobahn.md §6.3): its 39 keys, always all
/// present, mapped from a wsconform case object as faithfully as the data allows. docs/reports.md
/// lists the keys that are approximations.
public enum AutobahnCaseFile {
    /// The 39 keys, as Autobahn writes them (sorted when rendered).
    public static let keys: [String] = [
        "agent", "behavior", "behaviorClose", "case", "closedByMe", "createStats", "createWirelog", "description",
        "droppedByMe", "duration", "expectation", "expected", "expectedClose", "failedByMe", "httpRequest",
        "httpResponse", "id", "isServer", "localCloseCode", "localCloseReason", "received", "remoteCloseCode",
        "remoteCloseReason", "reportCompressionRatio", "reportTime", "result", "resultClose", "rxFrameStats",
        "rxOctetStats", "started", "trafficStats", "txFrameStats", "txOctetStats", "wasClean",
        "wasCloseHandshakeTimeout", "wasNotCleanReason", "wasOpenHandshakeTimeout", "wasServerConnectionDropTimeout",
        "wirelog",
    ]

    /// - Parameters:
    ///   - ordinal: used for `case` when the record has no catalog position (1-based).
    public static func node(_ c: CaseRecord, agent: String, harnessRole: String?, ordinal: Int) -> OrderedJSON {
        let close = c.close
        let failure = close?.harnessFailure
        let log = c.wireLog?.entries ?? []
        return .object([
            ("agent", .string(agent)),
            ("behavior", .string(c.behavior)),
            ("behaviorClose", .string(c.behaviorClose)),
            ("case", .int(c.position ?? ordinal)),
            ("closedByMe", .bool(close?.initiator == "harness")),
            ("createStats", .bool(true)),
            ("createWirelog", .bool(true)),
            ("description", .string(c.description ?? c.title ?? "")),
            ("droppedByMe", .bool(close?.tcp?.closedFirstBy == "harness")),
            ("duration", .int(c.durationMs ?? 0)),
            ("expectation", .string(c.expectation ?? "")),
            ("expected", expected(c.expected)),
            ("expectedClose", .object([
                ("closeCode", .array((c.expectedClose?.codes ?? []).map(OrderedJSON.int))),
                ("closedByMe", .bool((c.expectedClose?.closedBy ?? "harness") == "harness")),
                ("requireClean", .bool(c.expectedClose?.requireClean ?? true)),
            ])),
            ("failedByMe", .bool(failure != nil)),
            ("httpRequest", .string(c.handshake?.request ?? "")),
            ("httpResponse", .string(c.handshake?.response ?? "")),
            ("id", .string(c.id)),
            ("isServer", .bool(harnessRole == "server")),
            ("localCloseCode", .optional(close?.sent?.code)),
            ("localCloseReason", reason(close?.sent)),
            ("received", .array((c.observed ?? []).map(event))),
            ("remoteCloseCode", .optional(close?.received?.code)),
            ("remoteCloseReason", reason(close?.received)),
            ("reportCompressionRatio", .bool(c.showsCompressionRatio)),
            ("reportTime", .bool(c.showsTime)),
            ("result", .string(c.result ?? "")),
            ("resultClose", .string(c.resultClose ?? "")),
            ("rxFrameStats", counts(c.frames?.received)),
            ("rxOctetStats", octetStats(log, dir: "received")),
            ("started", .string(c.started ?? "")),
            ("trafficStats", trafficStats(c)),
            ("txFrameStats", counts(c.frames?.sent)),
            ("txOctetStats", octetStats(log, dir: "sent")),
            ("wasClean", .bool(close?.wasClean ?? false)),
            ("wasCloseHandshakeTimeout", .bool(failure?.contains("close-handshake timeout") ?? false)),
            ("wasNotCleanReason", notCleanReason(c)),
            ("wasOpenHandshakeTimeout", .bool(failure?.contains("opening handshake did not complete in time") ?? false)),
            ("wasServerConnectionDropTimeout", .bool(failure?.contains("did not close TCP after the closing handshake") ?? false)),
            ("wirelog", .array(log.compactMap(AutobahnWireLog.row))),
        ])
    }

    /// The file's text: keys sorted, 3-space indent, as Autobahn writes it.
    public static func render(_ c: CaseRecord, agent: String, harnessRole: String?, ordinal: Int) -> String {
        node(c, agent: agent, harnessRole: harnessRole, ordinal: ordinal).render(indent: 3, sortedKeys: true)
    }

    /// Outcome → events as Autobahn's arrays. Echo expectations (9.1–9.6) become the one message
    /// Autobahn expects; round-trip cases (9.7, 9.8, 12, 13) expect no events there.
    static func expected(_ e: OrderedJSON?) -> OrderedJSON {
        guard let outcomes = e?.objectValue else { return .object([]) }
        if let echo = outcomes["echo"] {
            let type = echo["type"]?.stringValue ?? "text"
            let octets = echo["octets"]?.intValue ?? 0
            return .object([("OK", .array([.array([.string("message"), .string("<\(octets) octets>"), .bool(type == "binary")])]))])
        }
        if outcomes["roundTrips"] != nil { return .object([]) }
        return .object(outcomes.keys.sorted().map { outcome in
            (outcome, .array((outcomes[outcome]?.arrayValue ?? []).compactMap(EventRecord.init).map(event)))
        })
    }

    /// `["message", payload, isBinary]`, `["pong", payload]`, `["timeout", tag]`.
    static func event(_ e: EventRecord) -> OrderedJSON {
        switch e.type {
        case "timeout": .array([.string("timeout"), .string(e.tag ?? "")])
        case "pong": .array([.string("pong"), .string(payloadText(e.preview))])
        default: .array([.string("message"), .string(payloadText(e.preview)), .bool(e.type == "binary")])
        }
    }

    /// Autobahn shows payloads as UTF-8 text or `0x<hex>`, with " ..." when cut after 64 octets.
    static func payloadText(_ p: PayloadPreview) -> String {
        (p.text ?? p.hex.map { "0x" + $0 } ?? "") + (p.truncated ? " ..." : "")
    }

    /// Close reasons: the text, or the hex of a reason that is not UTF-8 (as Autobahn stores 7.5.1's).
    static func reason(_ r: CloseFrameRecord?) -> OrderedJSON {
        guard let r, !r.reason.isEmpty else { return .null }
        return .string(r.text ?? r.hex ?? "")
    }

    static func counts(_ d: [String: Int]?) -> OrderedJSON {
        .object((d ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })
    }

    /// Histogram of TCP read or write sizes, from the wire log's octet rows (the rows the log left
    /// out of a long transfer are missing from it).
    static func octetStats(_ log: [WireLogEntryRecord], dir: String) -> OrderedJSON {
        var sizes: [Int: Int] = [:]
        for e in log where e.dir == dir && e.frame == nil { if let n = e.octets { sizes[n, default: 0] += 1 } }
        return .object(sizes.keys.sorted().map { (String($0), .int(sizes[$0]!)) })
    }

    /// For passed 12/13 cases: the octet counts wsconform records; the others are null.
    static func trafficStats(_ c: CaseRecord) -> OrderedJSON {
        guard c.showsCompressionRatio, c.isAcceptable, let s = c.deflateStats else { return .null }
        func side(_ name: String, _ d: DeflateStats.Direction?) -> [(String, OrderedJSON)] {
            [
                ("\(name)OctetsAppLevel", .optional(d?.appOctets)),
                ("\(name)OctetsWebSocketLevel", .optional(d?.webSocketOctets)),
                ("\(name)OctetsWireLevel", .null),
                ("\(name)WebSocketFrames", .null),
                ("\(name)WebSocketMessages", .null),
                ("\(name)WebSocketOverhead", .null),
                ("\(name)CompressionRatio", d?.ratio.map(OrderedJSON.double) ?? .null),
            ]
        }
        return .object(side("incoming", s.incoming) + side("outgoing", s.outgoing)
            + [("preopenIncomingOctetsWireLevel", .null), ("preopenOutgoingOctetsWireLevel", .null)])
    }

    static func notCleanReason(_ c: CaseRecord) -> OrderedJSON {
        guard let close = c.close, close.wasClean != true else { return .null }
        if let f = close.harnessFailure { return .string(f) }
        if close.tcp?.closedFirstBy == "peer" && close.received == nil {
            return .string("peer dropped the TCP connection without previous WebSocket closing handshake")
        }
        if c.handshake?.completed == false { return .string(c.handshake?.failure ?? "the opening handshake did not complete") }
        return .string("the closing handshake did not complete")
    }
}
