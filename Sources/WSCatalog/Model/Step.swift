import WSEngine

/// One thing the harness does during a case, in order. Steps are role-independent: the runner masks
/// frames when it is the client and not when it is the server, unless a frame overrides the mask.
/// Cases/README.md specifies the exact runtime semantics of every step.
public enum Step: Sendable, Hashable {
    /// Write one raw frame exactly as described. Never changes the harness's protocol state (a
    /// close-opcode frame sent this way is Autobahn's `sendFrame(opcode=8)`).
    case frame(FrameStep)
    /// Write only a frame header that announces `length` payload octets; `frameData` steps follow.
    case frameBegin(FrameBeginStep)
    /// Write the next chunk of the payload announced by `frameBegin`, as its own write.
    case frameData(Payload)
    /// Send one data message, split into frames like Autobahn's `sendMessage` (see `MessageStep`).
    case message(MessageStep)
    /// Send a Close frame and enter the CLOSING state (Autobahn's `sendClose`/`sendCloseFrame`).
    case close(CloseStep)
    /// Write raw octets, not framed.
    case raw(RawStep)
    /// Wait until the peer has provably processed everything sent so far (see `BarrierStep`).
    case barrier(BarrierStep)
    /// Wait until an event is recorded or a timeout passes, then go on.
    case await(AwaitStep)
    /// Do nothing for a fixed time. Prefer `barrier`/`await`: verdicts should follow events, not sleeps.
    case pause(Duration)
    /// Arm a guard timer (Autobahn's `killAfter` / `closeAfter`).
    case guardTimer(GuardStep)
    /// Send a message, wait for its echo, compare, repeat (9.7, 9.8, 12.x, 13.x).
    case roundTrips(RoundTripsStep)
    /// The case's own opening handshake (only as the first step; see `HandshakeStep`).
    case handshake(HandshakeStep)

    /// The YAML key that introduces this step.
    public var keyword: String {
        switch self {
        case .frame: "frame"
        case .frameBegin: "frame_begin"
        case .frameData: "frame_data"
        case .message: "message"
        case .close: "close"
        case .raw: "raw"
        case .barrier: "barrier"
        case .await: "await"
        case .pause: "wait"
        case .guardTimer: "guard"
        case .roundTrips: "round_trips"
        case .handshake: "handshake"
        }
    }
}

/// Who decides whether a frame is masked.
public enum MaskChoice: Sendable, Hashable, CustomStringConvertible {
    /// The role rule: masked with a fresh random key when the harness is the client, unmasked as server.
    case auto
    /// Never masked, whatever the role.
    case none
    /// Always masked with a fresh random key, whatever the role.
    case random
    /// Always masked with this key.
    case key(MaskingKey)

    public var description: String {
        switch self {
        case .auto: "auto"
        case .none: "none"
        case .random: "random"
        case let .key(k): k.description
        }
    }
}

/// A raw frame.
public struct FrameStep: Sendable, Hashable {
    public var opcode: Opcode
    public var fin: Bool
    /// Autobahn numbering: 4 = RSV1, 2 = RSV2, 1 = RSV3.
    public var rsv: ReservedBits
    public var payload: Payload
    /// Forces the length field's form (e.g. a non-minimal 64-bit length for 5 octets). Nil: minimal.
    public var lengthEncoding: LengthEncoding?
    /// Announces this length in the header instead of the payload's real size (a deliberate lie).
    public var declaredLength: UInt64?
    public var mask: MaskChoice
    /// Write the frame's octets (header included) in pieces of this many octets, each its own write.
    public var chop: Int?
    /// Write this frame as its own write: flush what is queued before, flush again after.
    public var sync: Bool

    public init(opcode: Opcode, fin: Bool = true, rsv: ReservedBits = [], payload: Payload = .empty,
                lengthEncoding: LengthEncoding? = nil, declaredLength: UInt64? = nil, mask: MaskChoice = .auto,
                chop: Int? = nil, sync: Bool = false) {
        self.opcode = opcode
        self.fin = fin
        self.rsv = rsv
        self.payload = payload
        self.lengthEncoding = lengthEncoding
        self.declaredLength = declaredLength
        self.mask = mask
        self.chop = chop
        self.sync = sync
    }

    /// The payload length written in the header.
    public var headerLength: UInt64 { declaredLength ?? UInt64(payload.count) }
}

/// The header of a frame whose payload is streamed by later `frameData` steps (6.4.3, 6.4.4).
public struct FrameBeginStep: Sendable, Hashable {
    public var opcode: Opcode
    public var fin: Bool
    public var rsv: ReservedBits
    /// Payload octets announced; the `frameData` steps that follow must add up to exactly this.
    public var length: UInt64
    public var mask: MaskChoice

    public init(opcode: Opcode, fin: Bool, rsv: ReservedBits = [], length: UInt64, mask: MaskChoice = .auto) {
        self.opcode = opcode
        self.fin = fin
        self.rsv = rsv
        self.length = length
        self.mask = mask
    }
}

/// A whole message.
public struct MessageStep: Sendable, Hashable {
    public var type: MessageType
    public var payload: Payload
    /// Split into frames of this many payload octets. Nil: the case's `autoFragmentSize`, else one frame.
    public var fragmentSize: Int?
    /// Every frame of the message is its own write.
    public var sync: Bool

    public init(type: MessageType, payload: Payload, fragmentSize: Int? = nil, sync: Bool = false) {
        self.type = type
        self.payload = payload
        self.fragmentSize = fragmentSize
        self.sync = sync
    }
}

/// A state-changing Close.
public struct CloseStep: Sendable, Hashable {
    public enum Body: Sendable, Hashable {
        /// A 2-octet code followed by an optional reason (any code 0...65535; any reason bytes).
        case code(CloseCode, reason: Payload)
        /// The exact close payload (e.g. empty, or the 1-octet "a" of 7.3.2).
        case raw(Payload)
    }

    public var body: Body

    public init(_ body: Body) { self.body = body }

    /// The Close frame's payload octets.
    public func payloadBytes() -> [UInt8] {
        switch body {
        case let .code(code, reason): [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)] + reason.bytes()
        case let .raw(p): p.bytes()
        }
    }

    /// The code carried, if any.
    public var code: CloseCode? {
        if case let .code(c, _) = body { return c }
        return nil
    }
}

/// Octets written as they are.
public struct RawStep: Sendable, Hashable {
    public var bytes: Payload
    public var chop: Int?
    public var sync: Bool

    public init(bytes: Payload, chop: Int? = nil, sync: Bool = false) {
        self.bytes = bytes
        self.chop = chop
        self.sync = sync
    }
}

/// How a barrier learns that the peer has processed everything sent before it.
public enum BarrierMode: String, Sendable, Hashable {
    /// `ping` between frames, `quiet` inside a streamed frame (where no ping can be inserted).
    case auto
    /// Send a ping with a harness payload and wait for its pong.
    case ping
    /// Wait the full timeout; end early only if the connection stops being open.
    case quiet
}

/// A synchronisation point. It passes when the peer proves it has processed everything sent so far
/// (the pong for the barrier's own ping) or when `timeout` ends with the connection still open; then
/// `tag`, if set, is recorded as the event `timeout(tag)`. If the connection stops being open first
/// (a Close was sent or received, or TCP ended), nothing is recorded and the remaining steps are skipped.
public struct BarrierStep: Sendable, Hashable {
    public var tag: String?
    public var timeout: Duration
    public var mode: BarrierMode

    public init(tag: String?, timeout: Duration, mode: BarrierMode = .auto) {
        self.tag = tag
        self.timeout = timeout
        self.mode = mode
    }

    /// The payload of the barrier ping; its pong is consumed by the runner and never recorded.
    public func pingPayload(index: Int) -> [UInt8] { Array("wsconform-barrier-\(tag ?? String(index))".utf8) }
}

/// Wait until `event` has been recorded (it is also kept in the event list) or `timeout` passes. The
/// remaining steps are skipped if the connection has stopped being open by then.
public struct AwaitStep: Sendable, Hashable {
    public var event: ExpectedEvent
    public var timeout: Duration

    public init(event: ExpectedEvent, timeout: Duration) {
        self.event = event
        self.timeout = timeout
    }
}

/// A guard timer, armed when the step runs and independent of later steps.
public struct GuardStep: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// If the connection still exists when it fires, fail it: Close 1001 "Going Away" (or, when
        /// the harness already sent a Close, drop TCP; with failByDrop, drop TCP at once).
        case killAfter = "kill_after"
        /// If the connection still exists when it fires, send a Close with an empty payload.
        case closeAfter = "close_after"
    }

    public var kind: Kind
    public var after: Duration

    public init(_ kind: Kind, after: Duration) {
        self.kind = kind
        self.after = after
    }
}

/// Repeated echo round trips.
public struct RoundTripsStep: Sendable, Hashable {
    /// What is sent each time.
    public enum Source: Sendable, Hashable {
        /// The same payload every time (9.7, 9.8).
        case payload(Payload)
        /// Consecutive windows of a dataset, wrapping at its end (12.x, 13.x).
        case dataset(DatasetWindow)
    }

    /// What an echo must match.
    public enum Comparison: String, Sendable, Hashable {
        /// Same message type and same length (9.7, 9.8: content is not compared, as in Autobahn).
        case typeAndLength = "type_length"
        /// Same type, same length and same SHA-1 of the payload (12.x, 13.x).
        case typeLengthSHA1 = "type_length_sha1"
    }

    public var count: Int
    public var type: MessageType
    public var source: Source
    public var compare: Comparison

    public init(count: Int, type: MessageType, source: Source, compare: Comparison) {
        self.count = count
        self.type = type
        self.source = source
        self.compare = compare
    }
}
