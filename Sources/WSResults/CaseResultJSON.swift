import Foundation
import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSResultFormat

/// One case result as a JSON object of the `wsconform.results/1` schema (docs/results-schema.md).
/// The same object is a line of `results.jsonl` and an element of `results.json`'s `cases`.
public enum CaseResultJSON {
    /// The JSON object of one result.
    /// - Parameters:
    ///   - r: the case's result.
    ///   - position: the case's 1-based position in the whole catalog (Autobahn's `case`).
    public static func node(_ r: CaseResult, position: Int?) -> OrderedJSON {
        let o = r.observation
        let c = r.testCase
        return .object([
            ("id", .string(c.id.description)),
            ("position", .optional(position)),
            ("title", .string(c.title)),
            ("rfc", .array(c.rfc.map(OrderedJSON.string))),
            ("description", .string(c.description)),
            ("expectation", .string(c.expectationText)),
            ("notes", .array(c.notes.map(OrderedJSON.string))),
            ("reportTime", .bool(c.reportTime)),
            ("reportCompressionRatio", .bool(c.reportCompressionRatio)),
            ("behavior", .string(r.verdict.behavior.rawValue)),
            ("behaviorClose", .string(r.verdict.behaviorClose.rawValue)),
            ("acceptable", .bool(r.acceptable)),
            ("finding", .optional(r.verdict.finding)),
            ("result", .string(r.verdict.result)),
            ("resultClose", .string(r.verdict.resultClose)),
            ("reasons", .array(r.verdict.reasons.map(OrderedJSON.string))),
            ("expected", expected(c.expect)),
            ("expectedClose", .object([
                ("closedBy", .string(c.expect.close.closedByText)),
                ("codes", .array(c.expect.close.codes.map { .int(Int($0.rawValue)) })),
                ("requireClean", .bool(c.expect.close.requireClean)),
            ])),
            ("observed", .array(observedShown(o.events.indices).map { event(o.events[$0], octets: o.payloadLength(of: $0)) })),
            ("observedOmitted", .optional(observedOmitted(o))),
            ("close", close(o, role: r.harnessRole)),
            ("started", .string(iso8601(r.startedAt))),
            ("durationMs", .optional(o.durationMilliseconds)),
            ("wallTimeMs", .int(milliseconds(r.wallTime))),
            ("handshake", .object([
                ("completed", .bool(o.handshake.completed)),
                ("request", .optional(o.handshake.request.map(boundedHead))),
                ("response", .optional(o.handshake.response.map(boundedHead))),
                ("deflate", .optional(o.handshake.deflate?.responseHeader)),
                ("failure", .optional(o.handshake.failure)),
            ] + (o.handshake.http2 ? [("http2", .bool(true))] : []))),
            ("frames", .object([("sent", counts(o.sentFrames)), ("received", counts(o.receivedFrames))])),
            ("roundTrips", roundTrips(o.roundTrips, c.roundTrips)),
            ("deflateStats", deflateStats(o.roundTrips?.traffic, negotiated: o.handshake.deflate != nil)),
            ("wireLog", wireLog(o.wireLog, keep: r.acceptable ? passingWireLogEntries : nil)),
        ] + (r.clientCommand.map { [("clientCommand", clientCommand($0))] } ?? [])
          + (r.concurrentRun.map { [("concurrentRun", concurrentRun($0))] } ?? [])
          + (r.serverProcess.map { [("serverProcess", serverProcess($0))] } ?? []))
    }

    /// Present only when a run alongside other cases gave another verdict than the run alone.
    static func concurrentRun(_ c: ConcurrentRun) -> OrderedJSON {
        .object([
            ("behavior", .string(c.behavior.rawValue)),
            ("behaviorClose", .string(c.behaviorClose.rawValue)),
            ("acceptable", .bool(c.acceptable)),
            ("reasons", .array(c.reasons.map(OrderedJSON.string))),
        ])
    }

    /// Present only when the server process (test-server --server-cmd) ended during the case.
    static func serverProcess(_ s: ServerProcessRecord) -> OrderedJSON {
        .object([
            ("command", .string(s.command)),
            ("exitStatus", s.exitStatus.map { .int(Int($0)) } ?? .null),
            ("signal", s.signal.map { .int(Int($0)) } ?? .null),
            ("ended", .string(s.description)),
            ("stderrTail", .string(s.stderrTail)),
        ])
    }

    /// Present only when a client command ran the case (test-client --client-cmd).
    static func clientCommand(_ c: ClientCommandRecord) -> OrderedJSON {
        .object([
            ("command", .string(c.command)),
            ("connected", .bool(c.connected)),
            ("exitStatus", c.exitStatus.map { .int(Int($0)) } ?? .null),
            ("signal", c.signal.map { .int(Int($0)) } ?? .null),
            ("killed", .bool(c.killed)),
            ("wallTimeMs", .int(milliseconds(c.wallTime))),
            ("stdout", .string(c.stdout.text)),
            ("stdoutOmitted", .int(c.stdout.omitted)),
            ("stderr", .string(c.stderr.text)),
            ("stderrOmitted", .int(c.stderr.omitted)),
        ])
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
    static func event(_ e: ReceivedEvent, octets: Int? = nil) -> OrderedJSON {
        switch e {
        case let .message(type, buffer):
            let total = octets ?? buffer.readableBytes
            return .object([("type", .string(type.rawValue)), ("octets", .int(total))]
                + preview(Array(buffer.readableBytesView.prefix(64)), total: total))
        case let .pong(buffer):
            let total = octets ?? buffer.readableBytes
            return .object([("type", .string("pong")), ("octets", .int(total))]
                + preview(Array(buffer.readableBytesView.prefix(64)), total: total))
        case let .timeout(tag):
            return .object([("type", .string("timeout")), ("tag", .string(tag))])
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
        let shown = Array(bytes.prefix(64))
        var out: [(String, OrderedJSON)]
        if let text = String(validating: shown, as: UTF8.self) {
            out = [("text", .string(text))]
        } else {
            out = [("hex", .string(hexString(shown)))]
        }
        if total > shown.count { out.append(("truncated", .bool(true))) }
        return out
    }

    static func close(_ o: Observation, role: Role) -> OrderedJSON {
        func record(_ r: CloseRecord?) -> OrderedJSON {
            guard let r else { return .null }
            return .object([("code", .optional(r.code.map { Int($0.rawValue) }))] + preview(r.reason, total: r.reason.count)
                + [("atMs", .optional(r.at.map(milliseconds)))])
        }
        return .object([
            ("sent", record(o.closeSent)),
            ("received", record(o.closeReceived)),
            ("initiator", .optional(o.closeInitiator?.rawValue)),
            ("wasClean", .bool(o.opened && o.wasClean(harnessRole: role))),
            ("harnessFailure", .optional(o.harnessFailure.map { "\($0.reason)" })),
            ("tcp", o.tcpEnd.map { t in
                .object([("closedFirstBy", .string(t.closedFirstBy.rawValue)), ("kind", .string(t.kind.rawValue)),
                         ("atMs", .optional(t.at.map(milliseconds)))])
            } ?? .null),
        ])
    }

    static func counts(_ d: [UInt8: Int]) -> OrderedJSON {
        .object(d.keys.sorted().map { (String($0), .int(d[$0]!)) })
    }

    static func roundTrips(_ log: RoundTripLog?, _ step: RoundTripsStep?) -> OrderedJSON {
        guard let step else { return .null }
        let log = log ?? RoundTripLog(completed: 0)
        var fields: [(String, OrderedJSON)] = [("count", .int(step.count)), ("completed", .int(log.completed))]
        if let m = log.mismatch {
            fields.append(("mismatch", .object([
                ("index", .int(m.index)),
                ("expectedType", .string(m.expectedType.rawValue)), ("expectedLength", .int(m.expectedLength)),
                ("expectedSHA1", .optional(m.expectedSHA1.map(hexString))),
                ("gotType", .string(m.gotType.rawValue)), ("gotLength", .int(m.gotLength)),
                ("gotSHA1", .optional(m.gotSHA1.map(hexString))),
            ])))
        }
        return .object(fields)
    }

    static func deflateStats(_ t: TrafficStats?, negotiated: Bool) -> OrderedJSON {
        guard negotiated, let t else { return .null }
        func ratio(_ wire: Int, _ app: Int) -> OrderedJSON { app > 0 ? .double(Double(wire) / Double(app)) : .null }
        return .object([
            ("outgoing", .object([("appOctets", .int(t.outgoingAppOctets)), ("webSocketOctets", .int(t.outgoingWebSocketOctets)),
                                  ("ratio", ratio(t.outgoingWebSocketOctets, t.outgoingAppOctets))])),
            ("incoming", .object([("appOctets", .int(t.incomingAppOctets)), ("webSocketOctets", .int(t.incomingWebSocketOctets)),
                                  ("ratio", ratio(t.incomingWebSocketOctets, t.incomingAppOctets))])),
        ])
    }

    /// Wire-log entries written for an acceptable case: the first and last half of this many, with
    /// the count of the rest. A failed case keeps the runner's whole bounded log: it explains the
    /// failure. (Most of a full run's results.json was the logs of passing transfers.)
    public static let passingWireLogEntries = 32

    /// The log; with `keep`, only the first and last `keep / 2` of its entries.
    static func wireLog(_ log: WireLog, keep: Int? = nil) -> OrderedJSON {
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
        return .object([
            ("total", .int(log.totalCount)),
            ("omitted", .int(omitted)),
            ("omittedAfter", .int(omittedAfter)),
            ("entries", .array(entries.map(wireEntry))),
        ])
    }

    static func wireEntry(_ e: WireLogEntry) -> OrderedJSON {
        var fields: [(String, OrderedJSON)] = [("atMs", e.at.map { .double(fractionalMilliseconds($0)) } ?? .null)]
        if let d = e.direction { fields.append(("dir", .string(d.rawValue))) }
        switch e.kind {
        case let .octets(count, head):
            fields += [("octets", .int(count)), ("hex", .string(hexString(head)))]
        case let .frame(opcode, fin, rsv, key, length, head):
            fields.append(("frame", .object([
                ("opcode", .int(Int(opcode))), ("fin", .bool(fin)), ("rsv", .int(Int(rsv))),
                ("mask", .optional(key?.description)), ("length", .int(Int(clamping: length))),
            ] + preview(head, total: Int(clamping: length)))))
        case let .note(text):
            fields.append(("note", .string(text)))
        }
        return .object(fields)
    }

    static func milliseconds(_ d: Duration) -> Int {
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
