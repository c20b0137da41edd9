import WSResultFormat

/// One case object of `wsconform.results/1` (a line of `results.jsonl`, an element of
/// `results.json`'s `cases`). Only `id`, `behavior` and `behaviorClose` are required, so that
/// Autobahn's `index.json` and older files map onto the same model with what they have.
public struct CaseRecord: Sendable, Decodable {
    public var id: String
    /// 1-based position in the whole catalog (Autobahn's `case`).
    public var position: Int?
    public var title: String?
    public var rfc: [String]?
    public var description: String?
    public var expectation: String?
    public var notes: [String]?
    /// Reports show the duration (9.x, 12.x, 13.x).
    public var reportTime: Bool?
    /// Reports show compression ratios (12.x, 13.x).
    public var reportCompressionRatio: Bool?
    /// `OK`, `NON-STRICT`, `FAILED`, `INFORMATIONAL`, `UNIMPLEMENTED`.
    public var behavior: String
    /// `OK`, `WRONG CODE`, `UNCLEAN`, `FAILED BY CLIENT`, `FAILED`, `INFORMATIONAL`.
    public var behaviorClose: String
    public var acceptable: Bool?
    /// What the peer did wrong, in one sentence (the judge's finding; absent in older files).
    public var finding: String?
    public var result: String?
    public var resultClose: String?
    public var reasons: [String]?
    /// Outcome name → expected events; or `{"echo": …}`; or `{"roundTrips": true}`.
    public var expected: JSONValue?
    public var expectedClose: ExpectedClose?
    public var observed: [EventRecord]?
    /// Events not in `observed` (a flood: only the first and last are written).
    public var observedOmitted: Int?
    public var close: CloseInfo?
    public var started: String?
    public var durationMs: Int?
    public var wallTimeMs: Int?
    public var handshake: HandshakeInfo?
    public var frames: FrameCounts?
    public var roundTrips: RoundTripsInfo?
    public var deflateStats: DeflateStats?
    public var wireLog: WireLogRecord?
    /// test-client `--client-cmd`: what the client command did for this case.
    public var clientCommand: ClientCommandInfo?
    /// A run alongside other cases gave another verdict than the run alone (which gives the verdict).
    public var concurrentRun: ConcurrentRunInfo?
    /// test-server `--server-cmd`: the server process ended during this case.
    public var serverProcess: ServerProcessInfo?

    /// The peer failed this case only when it ran alongside other cases: alone it is acceptable.
    public var failedOnlyAlongside: Bool { isAcceptable && concurrentRun?.acceptable == false }

    /// A record with verdicts only; set the other fields as known.
    public init(id: String, behavior: String, behaviorClose: String) {
        self.id = id
        self.behavior = behavior
        self.behaviorClose = behaviorClose
    }
}

/// Up to 64 payload octets: `text` when UTF-8, else `hex`; `truncated` when cut.
public struct PayloadPreview: Sendable, Hashable {
    public var text: String?
    public var hex: String?
    public var truncated: Bool

    public init(text: String? = nil, hex: String? = nil, truncated: Bool = false) {
        self.text = text
        self.hex = hex
        self.truncated = truncated
    }

    /// True when there is nothing to show.
    public var isEmpty: Bool { (text ?? "").isEmpty && (hex ?? "").isEmpty }
}

/// An expected or observed event: a message, a pong, or a barrier that passed.
public struct EventRecord: Sendable, Hashable, Decodable {
    /// `text`, `binary`, `pong` or `timeout`.
    public var type: String
    public var octets: Int?
    public var text: String?
    public var hex: String?
    public var truncated: Bool?
    public var tag: String?

    public init(type: String, octets: Int? = nil, text: String? = nil, hex: String? = nil, truncated: Bool? = nil,
                tag: String? = nil) {
        self.type = type
        self.octets = octets
        self.text = text
        self.hex = hex
        self.truncated = truncated
        self.tag = tag
    }

    public var preview: PayloadPreview { PayloadPreview(text: text, hex: hex, truncated: truncated ?? false) }

    /// An `expected` list element (same shape as observed events).
    init?(_ json: JSONValue) {
        guard let type = json["type"]?.stringValue else { return nil }
        self.init(type: type, octets: json["octets"]?.intValue, text: json["text"]?.stringValue,
                  hex: json["hex"]?.stringValue, truncated: json["truncated"]?.boolValue, tag: json["tag"]?.stringValue)
    }
}

/// How the closing handshake should go (the `expectedClose` object).
public struct ExpectedClose: Sendable, Decodable {
    /// `harness` or `peer`.
    public var closedBy: String?
    public var codes: [Int]?
    public var requireClean: Bool?
}

/// The `close` object.
public struct CloseInfo: Sendable, Decodable {
    public var sent: CloseFrameRecord?
    public var received: CloseFrameRecord?
    /// `harness` or `peer`.
    public var initiator: String?
    public var wasClean: Bool?
    public var harnessFailure: String?
    public var tcp: TCPEndRecord?

    public init(received: CloseFrameRecord? = nil) {
        self.received = received
    }
}

/// A Close frame: its code, reason preview, and when (`close.sent`, `close.received`).
public struct CloseFrameRecord: Sendable, Decodable {
    public var code: Int?
    public var text: String?
    public var hex: String?
    public var truncated: Bool?
    public var atMs: Int?

    public init(code: Int?) {
        self.code = code
    }

    public var reason: PayloadPreview { PayloadPreview(text: text, hex: hex, truncated: truncated ?? false) }
}

/// How TCP ended (`close.tcp`).
public struct TCPEndRecord: Sendable, Decodable {
    /// `harness` or `peer`.
    public var closedFirstBy: String?
    /// `fin` or `reset`.
    public var kind: String?
    public var atMs: Int?
}

/// The opening handshake (`handshake`).
public struct HandshakeInfo: Sendable, Decodable {
    public var completed: Bool?
    public var request: String?
    public var response: String?
    public var deflate: String?
    public var failure: String?
}

/// What a test-client `--client-cmd` command did for one case (`clientCommand`).
public struct ClientCommandInfo: Sendable, Decodable {
    public var command: String?
    public var connected: Bool?
    public var exitStatus: Int?
    public var signal: Int?
    public var killed: Bool?
    public var wallTimeMs: Int?
    public var stdout: String?
    public var stdoutOmitted: Int?
    public var stderr: String?
    public var stderrOmitted: Int?
}

/// The verdict of a run alongside other cases that the run alone did not confirm (`concurrentRun`).
public struct ConcurrentRunInfo: Sendable, Decodable {
    public var behavior: String?
    public var behaviorClose: String?
    public var acceptable: Bool?
    public var reasons: [String]?
}

/// How the server process ended during the case (`serverProcess`, test-server --server-cmd).
public struct ServerProcessInfo: Sendable, Decodable {
    public var command: String?
    public var exitStatus: Int?
    public var signal: Int?
    /// In words: "the server process exited (signal 6, SIGABRT)".
    public var ended: String?
    public var stderrTail: String?
}

/// Frames per opcode (decimal string) → count.
/// Frames sent and received per opcode (`frames`).
public struct FrameCounts: Sendable, Decodable {
    public var sent: [String: Int]?
    public var received: [String: Int]?
}

/// A round-trip step's progress (`roundTrips`).
public struct RoundTripsInfo: Sendable, Decodable {
    public struct Mismatch: Sendable, Decodable {
        public var index: Int?
        public var expectedType: String?
        public var expectedLength: Int?
        public var expectedSHA1: String?
        public var gotType: String?
        public var gotLength: Int?
        public var gotSHA1: String?
    }

    public var count: Int?
    public var completed: Int?
    public var mismatch: Mismatch?
}

/// permessage-deflate octet counts (`deflateStats`).
public struct DeflateStats: Sendable, Decodable {
    public struct Direction: Sendable, Decodable {
        public var appOctets: Int?
        public var webSocketOctets: Int?
        /// WebSocket octets / application octets (smaller is better compression).
        public var ratio: Double?
    }

    public var outgoing: Direction?
    public var incoming: Direction?
}

/// The bounded wire log (`wireLog`).
public struct WireLogRecord: Sendable, Decodable {
    public var total: Int?
    public var omitted: Int?
    /// The omitted entries were left out after this many entries.
    public var omittedAfter: Int?
    public var entries: [WireLogEntryRecord]?
}

/// A wire-log row: octets, a frame, or a harness note.
public struct WireLogEntryRecord: Sendable, Decodable {
    public struct Frame: Sendable, Decodable {
        public var opcode: Int
        public var fin: Bool?
        public var rsv: Int?
        public var mask: String?
        public var length: Int?
        public var text: String?
        public var hex: String?
        public var truncated: Bool?

        public var preview: PayloadPreview { PayloadPreview(text: text, hex: hex, truncated: truncated ?? false) }
    }

    public var atMs: Double?
    /// `sent` or `received`.
    public var dir: String?
    public var octets: Int?
    public var hex: String?
    public var frame: Frame?
    public var note: String?
}

extension CaseRecord {
    /// The id, for ordering.
    public var key: CaseKey { CaseKey(id) }

    /// The recorded `acceptable`, else the documented rule applied to the two verdicts.
    public var isAcceptable: Bool {
        acceptable ?? Verdicts.isAcceptable(behavior: behavior, behaviorClose: behaviorClose)
    }

    /// The close code the peer sent, if any (Autobahn's `remoteCloseCode`).
    public var remoteCloseCode: Int? { close?.received?.code }

    /// `behavior / behaviorClose`, e.g. `FAILED / OK`.
    public var verdictText: String { "\(behavior) / \(behaviorClose)" }

    /// Show the duration: the recorded flag, else Autobahn's sections 9, 12 and 13.
    public var showsTime: Bool { reportTime ?? ["9", "12", "13"].contains(key.section) }

    /// Show compression ratios: the recorded flag, else Autobahn's sections 12 and 13.
    public var showsCompressionRatio: Bool { reportCompressionRatio ?? ["12", "13"].contains(key.section) }

    /// The title, else the id.
    public var displayTitle: String { title ?? "" }
}
