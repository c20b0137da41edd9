/// One case object of `wsconform.results/1` (a line of `results.jsonl`, an element of
/// `results.json`'s `cases`): the writer encodes it (`ResultsDocument.encoder`: members in the
/// order declared here), the reports decode it. Only `id`, `behavior` and `behaviorClose` are
/// required to read one, so that Autobahn's `index.json` and older files map onto the same model
/// with what they have. docs/results.schema.json describes the same object.
public struct CaseRecord: Sendable, Codable {
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
    public var expected: OrderedJSON?
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

/// An expected or observed event: a message, a pong, or a barrier that passed. Members absent
/// from the object are nil (a barrier has only `type` and `tag`).
public struct EventRecord: Sendable, Hashable, Codable {
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
    public init?(_ json: OrderedJSON) {
        guard let type = json["type"]?.stringValue else { return nil }
        self.init(type: type, octets: json["octets"]?.intValue, text: json["text"]?.stringValue,
                  hex: json["hex"]?.stringValue, truncated: json["truncated"]?.boolValue, tag: json["tag"]?.stringValue)
    }
}

/// How the closing handshake should go (the `expectedClose` object).
public struct ExpectedClose: Sendable, Codable {
    /// `harness` or `peer`.
    public var closedBy: String?
    public var codes: [Int]?
    public var requireClean: Bool?

    public init() {}
}

/// The `close` object.
public struct CloseInfo: Sendable, Codable {
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
public struct CloseFrameRecord: Sendable, Codable {
    public var code: Int?
    public var text: String?
    public var hex: String?
    public var truncated: Bool?
    public var atMs: Int?

    public init(code: Int? = nil) {
        self.code = code
    }

    public var reason: PayloadPreview { PayloadPreview(text: text, hex: hex, truncated: truncated ?? false) }
}

/// How TCP ended (`close.tcp`).
public struct TCPEndRecord: Sendable, Codable {
    /// `harness` or `peer`.
    public var closedFirstBy: String?
    /// `fin` or `reset`.
    public var kind: String?
    public var atMs: Int?

    public init() {}
}

/// The opening handshake (`handshake`).
public struct HandshakeInfo: Sendable, Codable {
    public var completed: Bool?
    public var request: String?
    public var response: String?
    public var deflate: String?
    public var failure: String?
    /// True when the WebSocket was an HTTP/2 stream (RFC 8441); absent over HTTP/1.1.
    public var http2: Bool?

    public init() {}
}

/// What a test-client `--client-cmd` command did for one case (`clientCommand`).
public struct ClientCommandInfo: Sendable, Codable {
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

    public init() {}
}

/// The verdict of a run alongside other cases that the run alone did not confirm (`concurrentRun`).
public struct ConcurrentRunInfo: Sendable, Codable {
    public var behavior: String?
    public var behaviorClose: String?
    public var acceptable: Bool?
    public var reasons: [String]?

    public init() {}
}

/// How the server process ended during the case (`serverProcess`, test-server --server-cmd).
public struct ServerProcessInfo: Sendable, Codable {
    public var command: String?
    public var exitStatus: Int?
    public var signal: Int?
    /// In words: "the server process exited (signal 6, SIGABRT)".
    public var ended: String?
    public var stderrTail: String?

    public init() {}
}

/// Frames sent and received per opcode (`frames`): opcode as a decimal string → count, written in
/// opcode order.
public struct FrameCounts: Sendable, Codable {
    public var sent: [String: Int]?
    public var received: [String: Int]?

    public init() {}
}

/// A round-trip step's progress (`roundTrips`).
public struct RoundTripsInfo: Sendable, Codable {
    public struct Mismatch: Sendable, Codable {
        public var index: Int?
        public var expectedType: String?
        public var expectedLength: Int?
        public var expectedSHA1: String?
        public var gotType: String?
        public var gotLength: Int?
        public var gotSHA1: String?

        public init() {}
    }

    public var count: Int?
    public var completed: Int?
    /// The first echo that did not match; absent when every echo so far matched.
    public var mismatch: Mismatch?

    public init() {}
}

/// permessage-deflate octet counts (`deflateStats`).
public struct DeflateStats: Sendable, Codable {
    public struct Direction: Sendable, Codable {
        public var appOctets: Int?
        public var webSocketOctets: Int?
        /// WebSocket octets / application octets (smaller is better compression); null when no
        /// application octets.
        public var ratio: Double?

        public init() {}
    }

    public var outgoing: Direction?
    public var incoming: Direction?

    public init() {}
}

/// The bounded wire log (`wireLog`).
public struct WireLogRecord: Sendable, Codable {
    public var total: Int?
    public var omitted: Int?
    /// The omitted entries were left out after this many entries.
    public var omittedAfter: Int?
    public var entries: [WireLogEntryRecord]?

    public init() {}
}

/// A wire-log row: octets, a frame, or a harness note.
public struct WireLogEntryRecord: Sendable, Codable {
    public struct Frame: Sendable, Codable {
        public var opcode: Int
        public var fin: Bool?
        public var rsv: Int?
        public var mask: String?
        public var length: Int?
        public var text: String?
        public var hex: String?
        public var truncated: Bool?

        public init(opcode: Int) {
            self.opcode = opcode
        }

        public var preview: PayloadPreview { PayloadPreview(text: text, hex: hex, truncated: truncated ?? false) }
    }

    public var atMs: Double?
    /// `sent` or `received`.
    public var dir: String?
    public var octets: Int?
    public var hex: String?
    public var frame: Frame?
    public var note: String?

    public init() {}
}

extension CaseRecord {
    /// The recorded `acceptable`, else the documented rule applied to the two verdicts.
    public var isAcceptable: Bool {
        acceptable ?? Verdicts.isAcceptable(behavior: behavior, behaviorClose: behaviorClose)
    }

    /// The close code the peer sent, if any (Autobahn's `remoteCloseCode`).
    public var remoteCloseCode: Int? { close?.received?.code }

    /// `behavior / behaviorClose`, e.g. `FAILED / OK`.
    public var verdictText: String { "\(behavior) / \(behaviorClose)" }

    /// The title, else the id.
    public var displayTitle: String { title ?? "" }
}
