import NIOCore
import WSCatalog
import WSEngine

/// One end of the connection, seen from the harness.
public enum Endpoint: String, Sendable, Hashable {
    case harness
    case peer
}

/// An event the runner records in order (autobahn.md §3.1). Pings from the peer, the pongs for the
/// harness's barrier pings, and Close frames are never events; nor is anything that completes after
/// the harness failed the connection.
public enum ReceivedEvent: Sendable, Hashable, CustomStringConvertible {
    /// A complete, reassembled (and decompressed) text or binary message.
    case message(MessageType, ByteBuffer)
    case pong(ByteBuffer)
    /// A barrier with this tag passed while the connection was open.
    case timeout(String)

    public var description: String {
        switch self {
        case let .message(t, b): "\(t) message (\(b.readableBytes) octets)"
        case let .pong(b): "pong (\(b.readableBytes) octets)"
        case let .timeout(tag): "timeout \(tag)"
        }
    }
}

/// A Close frame as sent or received.
public struct CloseRecord: Sendable, Hashable {
    /// The status code, nil when the payload was empty (or, when received, shorter than 2 octets).
    public var code: CloseCode?
    /// Payload octets after the code (not required to be UTF-8).
    public var reason: [UInt8]
    /// When, from the start of the connection attempt.
    public var at: Duration?

    public init(code: CloseCode?, reason: [UInt8] = [], at: Duration? = nil) {
        self.code = code
        self.reason = reason
        self.at = at
    }
}

/// Why the harness failed the connection (RFC 6455 §7.1.7) or gave up on it.
public enum HarnessFailureReason: Sendable, Hashable, CustomStringConvertible {
    /// A `kill_after` guard fired while the connection still existed.
    case guardTimer
    /// The peer violated the protocol (the harness is a strict endpoint).
    case protocolViolation(ProtocolError)
    /// The harness sent a Close and none came back in time.
    case closeHandshakeTimeout
    /// Harness as client: the server did not close TCP in time after the closing handshake.
    case serverConnectionDropTimeout
    case openHandshakeTimeout
    case other(String)

    public var description: String {
        switch self {
        case .guardTimer: "the kill_after guard fired"
        case let .protocolViolation(e): "the peer violated the protocol: \(e)"
        case .closeHandshakeTimeout: "no Close came back within the close-handshake timeout"
        case .serverConnectionDropTimeout: "the server did not close TCP after the closing handshake"
        case .openHandshakeTimeout: "the opening handshake did not complete in time"
        case let .other(s): s
        }
    }
}

/// The harness failed the connection.
public struct HarnessFailure: Sendable, Hashable {
    public var reason: HarnessFailureReason
    public var at: Duration?

    public init(_ reason: HarnessFailureReason, at: Duration? = nil) {
        self.reason = reason
        self.at = at
    }
}

/// How the TCP connection ended.
public struct TCPEnd: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Orderly close (FIN).
        case fin
        /// Abortive close (RST), or the socket failed.
        case reset
    }

    /// Who closed (or aborted) first.
    public var closedFirstBy: Endpoint
    public var kind: Kind
    public var at: Duration?

    public init(closedFirstBy: Endpoint, kind: Kind, at: Duration? = nil) {
        self.closedFirstBy = closedFirstBy
        self.kind = kind
        self.at = at
    }
}

/// The opening handshake as it happened.
public struct HandshakeRecord: Sendable, Hashable {
    public var completed: Bool
    /// Raw request and response heads (CRLFs included), when they exist.
    public var request: String?
    public var response: String?
    /// The permessage-deflate parameters in force, nil when none was negotiated.
    public var deflate: DeflateParameters?
    /// Why it did not complete.
    public var failure: String?
    /// The peer's parsed response head (harness as client), whatever its status; nil when no
    /// complete head arrived. Handshake expectations (sections 20–22) are judged on it.
    public var responseHead: HTTPHead?
    /// With a crowd (section 27.8): how many of the connections held beside this one the server
    /// opened, and why the harness stopped opening more; a sentence for the verdict's reasons.
    public var crowd: String?
    /// The WebSocket was an HTTP/2 stream opened with extended CONNECT (RFC 8441), not a TCP
    /// connection upgraded with HTTP/1.1.
    public var http2 = false
    /// Over HTTP/2 (section 28): what the server did on the connection around the WebSocket.
    public var h2: H2Record?

    public init(completed: Bool, request: String? = nil, response: String? = nil, deflate: DeflateParameters? = nil,
                failure: String? = nil, responseHead: HTTPHead? = nil) {
        self.completed = completed
        self.request = request
        self.response = response
        self.deflate = deflate
        self.failure = failure
        self.responseHead = responseHead
    }
}

/// What the server did on the HTTP/2 connection of an RFC 8441 case, as the wire showed it.
public struct H2Record: Sendable, Hashable {
    /// Every SETTINGS_ENABLE_CONNECT_PROTOCOL value the server sent, in order.
    public var connectProtocolValues: [UInt32]
    /// The error code of the server's RST_STREAM on the case's stream, if any.
    public var streamReset: UInt32?
    /// The error code of the server's GOAWAY, if any.
    public var goAway: UInt32?
    /// How many sibling WebSockets were checked, and a sentence for each that failed its check.
    public var siblings: Int
    public var siblingFailures: [String]
    /// The server ended the HTTP/2 connection itself (TCP closed) before the case was over.
    public var connectionDropped = false
    /// WINDOW_UPDATE frames the server sent (stream 0 and the streams together).
    public var windowUpdates = 0
    /// The server refused the extended CONNECT with a non-2xx answer but left the stream open.
    public var refusalLeftStreamOpen = false
    /// Harness as server (section 28.9): the rules the client's extended CONNECT broke, if it got to us.
    public var clientRequestFindings: [ExtendedConnect.RequestFinding] = []

    public init(connectProtocolValues: [UInt32] = [], streamReset: UInt32? = nil, goAway: UInt32? = nil,
                siblings: Int = 0, siblingFailures: [String] = []) {
        self.connectProtocolValues = connectProtocolValues
        self.streamReset = streamReset
        self.goAway = goAway
        self.siblings = siblings
        self.siblingFailures = siblingFailures
    }
}

/// The first echo in a `round_trips` step that did not match what was sent.
public struct RoundTripMismatch: Sendable, Hashable {
    /// 0-based round trip number.
    public var index: Int
    public var expectedType: MessageType
    /// In the step's unit (characters for text datasets, as in Autobahn).
    public var expectedLength: Int
    public var expectedSHA1: [UInt8]?
    public var gotType: MessageType
    public var gotLength: Int
    public var gotSHA1: [UInt8]?

    public init(index: Int, expectedType: MessageType, expectedLength: Int, expectedSHA1: [UInt8]? = nil,
                gotType: MessageType, gotLength: Int, gotSHA1: [UInt8]? = nil) {
        self.index = index
        self.expectedType = expectedType
        self.expectedLength = expectedLength
        self.expectedSHA1 = expectedSHA1
        self.gotType = gotType
        self.gotLength = gotLength
        self.gotSHA1 = gotSHA1
    }
}

/// What happened in a `round_trips` step.
public struct RoundTripLog: Sendable, Hashable {
    /// Round trips whose echo matched.
    public var completed: Int
    public var mismatch: RoundTripMismatch?
    /// Octets at application level and on the wire, both directions (compression ratios, 12/13).
    public var traffic: TrafficStats?

    public init(completed: Int, mismatch: RoundTripMismatch? = nil, traffic: TrafficStats? = nil) {
        self.completed = completed
        self.mismatch = mismatch
        self.traffic = traffic
    }
}

/// Octet counts of one connection, for compression ratios.
public struct TrafficStats: Sendable, Hashable {
    public var outgoingAppOctets: Int
    public var outgoingWebSocketOctets: Int
    public var incomingAppOctets: Int
    public var incomingWebSocketOctets: Int

    public init(outgoingAppOctets: Int, outgoingWebSocketOctets: Int, incomingAppOctets: Int, incomingWebSocketOctets: Int) {
        self.outgoingAppOctets = outgoingAppOctets
        self.outgoingWebSocketOctets = outgoingWebSocketOctets
        self.incomingAppOctets = incomingAppOctets
        self.incomingWebSocketOctets = incomingWebSocketOctets
    }
}

/// Everything the runner records about one case run; the judge's only input besides the case.
/// Times are offsets from the start of the connection attempt (a monotonic clock the runner owns).
public struct Observation: Sendable, Hashable {
    public var handshake: HandshakeRecord
    /// Ordered events (§3.1). For `echo` cases the runner records the message too (the judge needs
    /// its type and length); report writers may leave it out for Autobahn parity.
    public var events: [ReceivedEvent]
    /// Events the peer sent beyond what the harness keeps (a flood): counted, not recorded.
    public var eventsNotKept = 0
    /// Lengths of the payloads that `releasePayloads` cut down, by index in `events`.
    public private(set) var releasedPayloadLengths: [Int: Int] = [:]

    /// Once the case is judged: keeps only the first `prefix` octets of each event's payload (all
    /// that the results show of it) and remembers the length, so that a finished case does not hold
    /// megabytes of echoes (9.1.6: 16 MiB) until the run ends.
    public mutating func releasePayloads(keeping prefix: Int = 64) {
        for (i, e) in events.enumerated() {
            switch e {
            case let .message(type, payload) where payload.readableBytes > prefix:
                releasedPayloadLengths[i] = payload.readableBytes
                events[i] = .message(type, ByteBuffer(buffer: payload.getSlice(at: payload.readerIndex, length: prefix)!))
            case let .pong(payload) where payload.readableBytes > prefix:
                releasedPayloadLengths[i] = payload.readableBytes
                events[i] = .pong(ByteBuffer(buffer: payload.getSlice(at: payload.readerIndex, length: prefix)!))
            default:
                continue
            }
        }
    }

    /// The payload length of event `index` as received (before any release).
    public func payloadLength(of index: Int) -> Int? {
        if let length = releasedPayloadLengths[index] { return length }
        switch events[index] {
        case let .message(_, payload), let .pong(payload): return payload.readableBytes
        case .timeout: return nil
        }
    }
    /// The state-changing Close the harness sent (at most one; raw close frames are not counted).
    public var closeSent: CloseRecord?
    /// The first Close the peer sent.
    public var closeReceived: CloseRecord?
    /// Who sent the first Close (Autobahn's `closedByMe` is `closeInitiator == .harness`).
    public var closeInitiator: Endpoint?
    public var harnessFailure: HarnessFailure?
    public var tcpEnd: TCPEnd?
    /// When the opening handshake completed and when TCP ended (Autobahn's `duration` is the span).
    public var openedAt: Duration?
    public var endedAt: Duration?
    /// Data and control frames the harness sent / received, per opcode (Autobahn's tx/rxFrameStats).
    public var sentFrames: [UInt8: Int]
    public var receivedFrames: [UInt8: Int]
    public var roundTrips: RoundTripLog?
    public var wireLog: WireLog

    public init(handshake: HandshakeRecord, events: [ReceivedEvent] = [], closeSent: CloseRecord? = nil,
                closeReceived: CloseRecord? = nil, closeInitiator: Endpoint? = nil, harnessFailure: HarnessFailure? = nil,
                tcpEnd: TCPEnd? = nil, openedAt: Duration? = nil, endedAt: Duration? = nil, sentFrames: [UInt8: Int] = [:],
                receivedFrames: [UInt8: Int] = [:], roundTrips: RoundTripLog? = nil, wireLog: WireLog = WireLog()) {
        self.handshake = handshake
        self.events = events
        self.closeSent = closeSent
        self.closeReceived = closeReceived
        self.closeInitiator = closeInitiator
        self.harnessFailure = harnessFailure
        self.tcpEnd = tcpEnd
        self.openedAt = openedAt
        self.endedAt = endedAt
        self.sentFrames = sentFrames
        self.receivedFrames = receivedFrames
        self.roundTrips = roundTrips
        self.wireLog = wireLog
    }

    /// The WebSocket reached OPEN.
    public var opened: Bool { handshake.completed }

    /// Autobahn's `closedByMe`: the harness sent the first Close (a guard's Close 1001 counts).
    public var closedByHarness: Bool { closeInitiator == .harness }

    /// Autobahn's `droppedByMe`: the harness closed or aborted TCP first.
    public var droppedByHarness: Bool { tcpEnd?.closedFirstBy == .harness }

    /// Autobahn's `failedByMe`.
    public var failedByHarness: Bool { harnessFailure != nil }

    /// The code of the peer's Close, nil if it sent none or an empty one (Autobahn's `remoteCloseCode`).
    public var remoteCloseCode: CloseCode? { closeReceived?.code }

    /// Autobahn's `wasClean`: Close frames went both ways and, when the harness is the client, the
    /// server closed TCP (the harness did not have to drop it).
    public func wasClean(harnessRole: Role) -> Bool {
        guard closeSent != nil, closeReceived != nil else { return false }
        return harnessRole == .server || !droppedByHarness
    }

    /// What carried the WebSocket, for sentences: its TCP connection, or over HTTP/2 its stream
    /// (whose END_STREAM and RST_STREAM stand for FIN and reset, RFC 8441 §5).
    public var carrier: String { handshake.http2 ? "HTTP/2 stream" : "TCP connection" }

    /// Why `wasClean` is false, in words; nil when it is true.
    public func notCleanReason(harnessRole: Role) -> String? {
        if wasClean(harnessRole: harnessRole) { return nil }
        if closeSent == nil && closeReceived == nil {
            return droppedByHarness ? "the harness dropped the \(carrier) without a closing handshake"
                : "the peer dropped the \(carrier) without a closing handshake"
        }
        if closeReceived == nil { return "the peer never sent a Close frame" }
        if closeSent == nil { return "the harness never sent a Close frame" }
        return "the harness had to drop the \(carrier) after the closing handshake"
    }

    /// Milliseconds from OPEN to the end of TCP, as Autobahn reports `duration`; nil if not opened.
    public var durationMilliseconds: Int? {
        guard let o = openedAt, let e = endedAt else { return nil }
        let (s, atto) = (e - o).components
        return Int(s) * 1000 + Int((atto + 500_000_000_000_000) / 1_000_000_000_000_000)
    }
}

extension HandshakeOutcome {
    /// From an observation: the response head if one arrived, else who ended TCP.
    public init(_ o: Observation) {
        if let head = o.handshake.responseHead {
            self.init(kind: .response, opened: o.opened, response: head)
        } else if o.opened {
            self.init(kind: .response, opened: true, response: nil)
        } else if o.tcpEnd?.closedFirstBy == .peer {
            self.init(kind: .closed, opened: false, response: nil)
        } else {
            self.init(kind: .timeout, opened: false, response: nil)
        }
    }
}
