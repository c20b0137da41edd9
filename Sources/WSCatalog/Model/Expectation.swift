import WSEngine
import WSResultFormat

/// One event the harness can record (Autobahn's `received` entries), used in expectations.
public enum ExpectedEvent: Sendable, Hashable, CustomStringConvertible {
    /// A complete text or binary message with exactly these payload octets.
    case message(MessageType, Payload)
    /// A pong with exactly this payload.
    case pong(Payload)
    /// A barrier with this tag passed while the connection was still open (Autobahn's
    /// `("timeout", tag)`).
    case timeout(String)
    /// `min` to `max` consecutive events equal to the inner one, only in outcome lists (`{run:
    /// {pong: flood}, max: 10000}`): a flood whose answers a peer may coalesce (RFC 6455 §5.5.3) or
    /// cut short by closing.
    indirect case run(ExpectedEvent, min: Int, max: Int)

    public var description: String {
        switch self {
        case let .message(type, payload): "\(type) message \(payload)"
        case let .pong(payload): "pong \(payload)"
        case let .timeout(tag): "timeout \(tag)"
        case let .run(event, min, max): "\(min)...\(max) × \(event)"
        }
    }
}

/// An acceptable outcome: if the recorded events equal `events` exactly, `behavior` is the verdict.
public struct ExpectedOutcome: Sendable, Hashable {
    public var behavior: Behavior
    public var events: [ExpectedEvent]

    public init(_ behavior: Behavior, _ events: [ExpectedEvent]) {
        self.behavior = behavior
        self.events = events
    }
}

/// How the closing handshake should go (Autobahn's `expectedClose`).
public struct CloseExpectation: Sendable, Hashable {
    /// True when the harness should send the first Close (Autobahn's `closedByMe`).
    public var closedByHarness: Bool
    /// Close codes accepted from the peer. A peer Close without a code, or no Close at all, always
    /// passes the code check (Autobahn's rule 4).
    public var codes: [CloseCode]
    /// Close frames must go both ways and (harness as client) the server must close TCP in time.
    public var requireClean: Bool
    /// Either side may close first (`closed_by: either`, for cases whose acceptable outcomes differ
    /// in who closes, such as a decompression bomb that is refused or echoed). `closedByHarness`
    /// then only drives auto-close.
    public var eitherEndpoint: Bool
    /// Codes that pass the close check but make `behavior` at best NON-STRICT (`non_strict_codes`:
    /// 1002 where 1007 is the precise answer to invalid UTF-8 in a close reason).
    public var nonStrictCodes: [CloseCode]
    /// The best `behavior` when the peer's Close carries no code (`without_code`): nil keeps
    /// Autobahn's rule that such a Close always passes; section 27 makes an empty Close NON-STRICT
    /// where the code should be echoed, FAILED where the connection should be failed with 1002.
    public var withoutCode: Behavior?

    public init(closedByHarness: Bool, codes: [CloseCode], requireClean: Bool, eitherEndpoint: Bool = false,
                nonStrictCodes: [CloseCode] = [], withoutCode: Behavior? = nil) {
        self.withoutCode = withoutCode
        self.closedByHarness = closedByHarness
        self.codes = codes
        self.requireClean = requireClean
        self.eitherEndpoint = eitherEndpoint
        self.nonStrictCodes = nonStrictCodes
    }

    /// `harness`, `peer` or `either`, as written in the case files and results.
    public var closedByText: String { eitherEndpoint ? "either" : (closedByHarness ? "harness" : "peer") }
}

/// Where `behavior` comes from.
public enum VerdictSource: Sendable, Hashable {
    /// Exact comparison of the recorded events with each outcome, in order; the first equal one wins.
    case events([ExpectedOutcome])
    /// Sections 9.1–9.6: the first message received must have this type and length (content is not
    /// compared, as in Autobahn). The harness sends Close 1000 as soon as any message arrives.
    case echo(type: MessageType, length: Int)
    /// Sections 9.7, 9.8, 12, 13: the case's `round_trips` step must complete every round trip.
    case roundTrips
}

/// Fixed verdicts set after the normal evaluation (7.1.6, 7.13.x): both fields become INFORMATIONAL.
public struct InformationalOverride: Sendable, Hashable {
    /// `result` text per matched outcome (7.1.6); an outcome not listed keeps the computed text.
    public var resultByOutcome: [Behavior: String]
    /// `result` text whatever happened (7.13.x); applied when `resultByOutcome` has no entry.
    public var result: String?

    public init(resultByOutcome: [Behavior: String] = [:], result: String? = nil) {
        self.resultByOutcome = resultByOutcome
        self.result = result
    }
}

/// Everything a case expects, in the terms of autobahn.md §3.
public struct Expectation: Sendable, Hashable {
    public var source: VerdictSource
    public var close: CloseExpectation
    /// If the wrong endpoint closed first, `behavior` is FAILED too (Autobahn's
    /// `closedByWrongEndpointIsFatal`: 6.3.x, 6.4.x and the invalid 6.5–6.23 cases).
    public var wrongEndpointIsFatal: Bool
    /// If `behaviorClose` is WRONG CODE, `behavior` is FAILED and takes the close text (section 7).
    public var wrongCodeFailsBehavior: Bool
    public var informational: InformationalOverride?
    /// A self-check of the harness's own transmitted data frames per opcode (10.1.1).
    public var harnessFrames: [UInt8: Int]?
    /// How the opening handshake may go (sections 20–22); nil: it must simply complete.
    public var handshake: HandshakeExpectation?
    /// Section 28: what the server must do on the HTTP/2 connection.
    public var h2: H2Expectation?

    public init(source: VerdictSource, close: CloseExpectation, wrongEndpointIsFatal: Bool = false,
                wrongCodeFailsBehavior: Bool = false, informational: InformationalOverride? = nil,
                harnessFrames: [UInt8: Int]? = nil, handshake: HandshakeExpectation? = nil) {
        self.source = source
        self.handshake = handshake
        self.close = close
        self.wrongEndpointIsFatal = wrongEndpointIsFatal
        self.wrongCodeFailsBehavior = wrongCodeFailsBehavior
        self.informational = informational
        self.harnessFrames = harnessFrames
    }

    /// The outcome lists (empty for echo and round-trip cases).
    public var outcomes: [ExpectedOutcome] {
        if case let .events(list) = source { return list }
        return []
    }
}

/// `[message text 5 octets, close 1000]`, or `no events`: how expected and received event lists
/// read in verdict reasons and `cases show`. More than two equal items in a row read once with a
/// count: a flood's 10 000 pongs are one item.
package func eventListText(_ events: [some CustomStringConvertible]) -> String {
    let items = events.map(\.description)
    if items.isEmpty { return "no events" }
    var parts: [String] = []
    var i = 0
    while i < items.count {
        var j = i + 1
        while j < items.count && items[j] == items[i] { j += 1 }
        parts.append(j - i > 2 ? "\(items[i]) × \(j - i)" : items[i..<j].joined(separator: ", "))
        i = j
    }
    return "[" + parts.joined(separator: ", ") + "]"
}
