import Foundation
import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSResultFormat

/// One case result as the case object of the `wsconform.results/1` schema: a `CaseRecord` (the
/// model the reports read), encoded on one line. The same object is a line of `results.jsonl` and
/// an element of `results.json`'s `cases`. Here are the limits of what is kept (events, heads,
/// wire logs) and how the runner's values are spelled.
public enum CaseResultJSON {
    /// The JSON object of one result.
    /// - Parameters:
    ///   - r: the case's result.
    ///   - position: the case's 1-based position in the whole catalog (Autobahn's `case`).
    public static func node(_ r: CaseResult, position: Int?) -> OrderedJSON {
        node(record(r, position: position))
    }

    /// A case object as JSON.
    public static func node(_ record: CaseRecord) -> OrderedJSON {
        // Its members are strings, numbers, booleans and OrderedJSON: nothing the encoder refuses.
        do { return try ResultsDocument.encoder.encode(record) } catch {
            preconditionFailure("a CaseRecord holds only values JSON can encode: \(error)")
        }
    }

    /// The case object of one result.
    public static func record(_ r: CaseResult, position: Int?) -> CaseRecord {
        let o = r.observation
        let c = r.testCase
        var record = CaseRecord(id: c.id.description, behavior: r.verdict.behavior.rawValue,
                                behaviorClose: r.verdict.behaviorClose.rawValue)
        record.position = position
        record.title = c.title
        record.rfc = c.rfc
        record.description = c.description
        record.expectation = c.expectationText
        record.notes = c.notes
        record.reportTime = c.reportTime
        record.reportCompressionRatio = c.reportCompressionRatio
        record.acceptable = r.acceptable
        record.finding = r.verdict.finding
        record.result = r.verdict.result
        record.resultClose = r.verdict.resultClose
        record.reasons = r.verdict.reasons
        record.expected = expected(c.expect)
        record.expectedClose = ExpectedClose()
        record.expectedClose?.closedBy = c.expect.close.closedByText
        record.expectedClose?.codes = c.expect.close.codes.map { Int($0.rawValue) }
        record.expectedClose?.requireClean = c.expect.close.requireClean
        record.observed = observedShown(o.events.indices).map { event(o.events[$0], octets: o.payloadLength(of: $0)) }
        record.observedOmitted = observedOmitted(o)
        record.close = close(o, role: r.harnessRole)
        record.started = iso8601(r.startedAt)
        record.durationMs = o.durationMilliseconds
        record.wallTimeMs = milliseconds(r.wallTime)
        record.handshake = handshake(o.handshake)
        record.frames = FrameCounts()
        record.frames?.sent = counts(o.sentFrames)
        record.frames?.received = counts(o.receivedFrames)
        record.roundTrips = roundTrips(o.roundTrips, c.roundTrips)
        record.deflateStats = deflateStats(o.roundTrips?.traffic, negotiated: o.handshake.deflate != nil)
        record.wireLog = wireLog(o.wireLog, keep: r.acceptable ? passingWireLogEntries : nil)
        record.clientCommand = r.clientCommand.map(clientCommand)
        record.concurrentRun = r.concurrentRun.map(concurrentRun)
        record.serverProcess = r.serverProcess.map(serverProcess)
        return record
    }

    /// Present only when a run alongside other cases gave another verdict than the run alone.
    static func concurrentRun(_ c: ConcurrentRun) -> ConcurrentRunInfo {
        var info = ConcurrentRunInfo()
        (info.behavior, info.behaviorClose) = (c.behavior.rawValue, c.behaviorClose.rawValue)
        (info.acceptable, info.reasons) = (c.acceptable, c.reasons)
        return info
    }

    /// Present only when the server process (test-server --server-cmd) ended during the case.
    static func serverProcess(_ s: ServerProcessRecord) -> ServerProcessInfo {
        var info = ServerProcessInfo()
        (info.command, info.exitStatus, info.signal) = (s.command, s.exitStatus.map { Int($0) }, s.signal.map { Int($0) })
        (info.ended, info.stderrTail) = (s.description, s.stderrTail)
        return info
    }

    /// Present only when a client command ran the case (test-client --client-cmd).
    static func clientCommand(_ c: ClientCommandRecord) -> ClientCommandInfo {
        var info = ClientCommandInfo()
        (info.command, info.connected, info.killed) = (c.command, c.connected, c.killed)
        (info.exitStatus, info.signal) = (c.exitStatus.map { Int($0) }, c.signal.map { Int($0) })
        info.wallTimeMs = milliseconds(c.wallTime)
        (info.stdout, info.stdoutOmitted) = (c.stdout.text, c.stdout.omitted)
        (info.stderr, info.stderrOmitted) = (c.stderr.text, c.stderr.omitted)
        return info
    }

    static func handshake(_ h: HandshakeRecord) -> HandshakeInfo {
        var info = HandshakeInfo()
        (info.completed, info.request, info.response) = (h.completed, h.request.map(boundedHead), h.response.map(boundedHead))
        (info.deflate, info.failure) = (h.deflate?.responseHeader, h.failure)
        info.http2 = h.http2 ? true : nil
        return info
    }

    static func expected(_ e: Expectation) -> OrderedJSON {
        switch e.source {
        case let .events(outcomes):
            return .object(outcomes.map { ($0.behavior.rawValue, .array($0.events.map(expectedEvent))) })
        case let .echo(type, length):
            return .object([("echo", .object([("type", .string(type.rawValue)), ("octets", .int(length))]))])
        case .roundTrips:
            return .object([("roundTrips", .bool(true))])
        }
    }

    static func expectedEvent(_ e: ExpectedEvent) -> OrderedJSON {
        switch e {
        case let .message(type, payload):
            return .object([("type", .string(type.rawValue)), ("octets", .int(payload.count))]
                + preview(payload.count <= 4096 ? payload.bytes() : Array(payload.bytes().prefix(64)), total: payload.count))
        case let .pong(payload):
            return .object([("type", .string("pong")), ("octets", .int(payload.count))] + preview(payload.bytes(), total: payload.count))
        case let .timeout(tag):
            return .object([("type", .string("timeout")), ("tag", .string(tag))])
        case let .run(event, min, max):
            return .object([("type", .string("run")), ("min", .int(min)), ("max", .int(max)), ("event", expectedEvent(event))])
        }
    }

    /// Events written per case at most: the first ones and the last ones. A flood of thousands of
    /// messages says no more than its count, and must not make the results or the report huge.
    static let observedHead = 200
    static let observedTail = 50

    static func observedShown(_ indices: Range<Int>) -> [Int] {
        guard indices.count > observedHead + observedTail else { return Array(indices) }
        return Array(indices.prefix(observedHead)) + Array(indices.suffix(observedTail))
    }

    /// Events neither written nor kept (between the head and the tail, or past the harness's
    /// limits); nil when every event is in `observed`.
    static func observedOmitted(_ o: Observation) -> Int? {
        let omitted = max(0, o.events.count - observedHead - observedTail) + o.eventsNotKept
        return omitted > 0 ? omitted : nil
    }

    /// - Parameter octets: the payload's length as received, when the payload was cut down since.
    static func event(_ e: ReceivedEvent, octets: Int? = nil) -> EventRecord {
        switch e {
        case let .message(type, buffer):
            let total = octets ?? buffer.readableBytes
            return EventRecord(type: type.rawValue, octets: total, preview: Array(buffer.readableBytesView.prefix(64)), total: total)
        case let .pong(buffer):
            let total = octets ?? buffer.readableBytes
            return EventRecord(type: "pong", octets: total, preview: Array(buffer.readableBytesView.prefix(64)), total: total)
        case let .timeout(tag):
            return EventRecord(type: "timeout", tag: tag)
        }
    }

    /// Heads longer than this keep their first and last `headEnds` characters (section 27's
    /// oversized heads are 1-2 MiB, which results.json would otherwise hold whole).
    static let headLimit = 8192
    static let headEnds = 4096

    /// A raw handshake head as results.json keeps it: whole up to `headLimit` characters, else its
    /// start and end around a line that says how many characters were left out.
    static func boundedHead(_ head: String) -> String {
        guard head.count > headLimit else { return head }
        return String(head.prefix(headEnds)) + "\n[wsconform: \(head.count - 2 * headEnds) characters left out]\n"
            + String(head.suffix(headEnds))
    }

    /// At most 64 octets: as `text` when they are UTF-8, else as `hex`; `truncated` when cut.
    static func preview(_ bytes: [UInt8], total: Int) -> [(String, OrderedJSON)] {
        let p = PayloadPreview(bytes, total: total)
        return (p.text.map { [("text", .string($0))] } ?? [("hex", .string(p.hex ?? ""))]) + (p.truncated ? [("truncated", .bool(true))] : [])
    }

    static func close(_ o: Observation, role: Role) -> CloseInfo {
        func record(_ r: CloseRecord?) -> CloseFrameRecord? {
            guard let r else { return nil }
            var frame = CloseFrameRecord(code: r.code.map { Int($0.rawValue) })
            (frame.text, frame.hex, frame.truncated) = PayloadPreview(r.reason, total: r.reason.count).members
            frame.atMs = r.at.map(milliseconds)
            return frame
        }
        var info = CloseInfo(received: record(o.closeReceived))
        (info.sent, info.initiator) = (record(o.closeSent), o.closeInitiator?.rawValue)
        info.wasClean = o.opened && o.wasClean(harnessRole: role)
        info.harnessFailure = o.harnessFailure.map { "\($0.reason)" }
        info.tcp = o.tcpEnd.map { t in
            var tcp = TCPEndRecord()
            (tcp.closedFirstBy, tcp.kind, tcp.atMs) = (t.closedFirstBy.rawValue, t.kind.rawValue, t.at.map(milliseconds))
            return tcp
        }
        return info
    }

    static func counts(_ d: [UInt8: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: d.map { (String($0.key), $0.value) })
    }

    static func roundTrips(_ log: RoundTripLog?, _ step: RoundTripsStep?) -> RoundTripsInfo? {
        guard let step else { return nil }
        let log = log ?? RoundTripLog(completed: 0)
        var info = RoundTripsInfo()
        (info.count, info.completed) = (step.count, log.completed)
        info.mismatch = log.mismatch.map { m in
            var mismatch = RoundTripsInfo.Mismatch()
            mismatch.index = m.index
            (mismatch.expectedType, mismatch.expectedLength) = (m.expectedType.rawValue, m.expectedLength)
            mismatch.expectedSHA1 = m.expectedSHA1.map(hexString)
            (mismatch.gotType, mismatch.gotLength, mismatch.gotSHA1) = (m.gotType.rawValue, m.gotLength, m.gotSHA1.map(hexString))
            return mismatch
        }
        return info
    }

    static func deflateStats(_ t: TrafficStats?, negotiated: Bool) -> DeflateStats? {
        guard negotiated, let t else { return nil }
        func direction(app: Int, wire: Int) -> DeflateStats.Direction {
            var d = DeflateStats.Direction()
            (d.appOctets, d.webSocketOctets, d.ratio) = (app, wire, app > 0 ? Double(wire) / Double(app) : nil)
            return d
        }
        var stats = DeflateStats()
        stats.outgoing = direction(app: t.outgoingAppOctets, wire: t.outgoingWebSocketOctets)
        stats.incoming = direction(app: t.incomingAppOctets, wire: t.incomingWebSocketOctets)
        return stats
    }

    /// Wire-log entries written for an acceptable case: the first and last half of this many, with
    /// the count of the rest. A failed case keeps the runner's whole bounded log: it explains the
    /// failure. (Most of a full run's results.json was the logs of passing transfers.)
    public static let passingWireLogEntries = 32

    /// The log; with `keep`, only the first and last `keep / 2` of its entries.
    static func wireLog(_ log: WireLog, keep: Int? = nil) -> WireLogRecord {
        var entries = log.entries
        var omitted = log.omitted
        var omittedAfter = log.head.count
        if let keep, entries.count > keep {
            // The runner's gap (if any) lies between its head and tail; the cut spans it.
            let head = keep / 2
            omitted += entries.count - keep
            entries = Array(entries.prefix(head)) + Array(entries.suffix(keep - head))
            omittedAfter = head
        }
        var record = WireLogRecord()
        (record.total, record.omitted, record.omittedAfter) = (log.totalCount, omitted, omittedAfter)
        record.entries = entries.map(wireEntry)
        return record
    }

    static func wireEntry(_ e: WireLogEntry) -> WireLogEntryRecord {
        var entry = WireLogEntryRecord()
        (entry.atMs, entry.dir) = (e.at.map(fractionalMilliseconds), e.direction?.rawValue)
        switch e.kind {
        case let .octets(count, head):
            entry.octets = count
            entry.hex = hexString(head)
        case let .frame(opcode, fin, rsv, key, length, head):
            var frame = WireLogEntryRecord.Frame(opcode: Int(opcode))
            (frame.fin, frame.rsv, frame.mask, frame.length) = (fin, Int(rsv), key?.description, Int(clamping: length))
            (frame.text, frame.hex, frame.truncated) = PayloadPreview(head, total: Int(clamping: length)).members
            entry.frame = frame
        case let .note(text):
            entry.note = text
        }
        return entry
    }

    /// A duration in whole milliseconds (truncated), as results.json writes times.
    public static func milliseconds(_ d: Duration) -> Int {
        let (s, atto) = d.components
        return Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
    }

    /// Milliseconds with microsecond resolution.
    static func fractionalMilliseconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        let micros = s * 1_000_000 + atto / 1_000_000_000_000
        return Double(micros) / 1000
    }

    static func iso8601(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

extension PayloadPreview {
    /// At most the first 64 octets: as `text` when they are UTF-8, else as `hex`; `truncated` when
    /// there were more than shown.
    init(_ bytes: [UInt8], total: Int) {
        let shown = Array(bytes.prefix(64))
        if let text = String(validating: shown, as: UTF8.self) {
            self.init(text: text, truncated: total > shown.count)
        } else {
            self.init(hex: hexString(shown), truncated: total > shown.count)
        }
    }
}

extension PayloadPreview {
    /// The preview as the schema writes it: `text` or `hex`, and `truncated` only when true.
    var members: (text: String?, hex: String?, truncated: Bool?) { (text, hex, truncated ? true : nil) }
}

extension EventRecord {
    /// A message or pong with the preview of its payload.
    init(type: String, octets: Int, preview bytes: [UInt8], total: Int) {
        let p = PayloadPreview(bytes, total: total).members
        self.init(type: type, octets: octets, text: p.text, hex: p.hex, truncated: p.truncated)
    }
}
