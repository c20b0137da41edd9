import WSCatalog
import WSEngine

/// One generated sequence: everything the harness sends on one connection, as structure (messages,
/// pings, a violation) rather than bytes, so that it can be shrunk item by item and rendered as a
/// case (`FuzzCaseBuilder`) whose expectations follow from the structure.
public struct FuzzSequence: Sendable, Hashable {
    /// Position in the run (sequence `index` of seed S is the same on every run).
    public var index: Int
    /// Valid traffic, in order.
    public var items: [FuzzItem]
    /// Sent after `items`; nil when the whole sequence is valid.
    public var violation: FuzzViolation?
    /// How a valid sequence ends: the harness's Close, with this code and reason.
    public var close: FuzzClose

    public init(index: Int, items: [FuzzItem], violation: FuzzViolation?, close: FuzzClose) {
        self.index = index
        self.items = items
        self.violation = violation
        self.close = close
    }

    public var isValid: Bool { violation == nil }
}

/// A piece of valid traffic.
public enum FuzzItem: Sendable, Hashable {
    case message(FuzzMessage)
    case ping(FuzzFrame)
    /// An unsolicited pong: a peer must accept and ignore it (RFC 6455 §5.5.3).
    case pong(FuzzFrame)
    /// A short pause between writes.
    case pause(milliseconds: Int)
}

/// A control frame's payload and how its octets are written.
public struct FuzzFrame: Sendable, Hashable {
    public var payload: [UInt8]
    public var mask: MaskChoice
    public var chop: Int?

    public init(payload: [UInt8], mask: MaskChoice, chop: Int? = nil) {
        self.payload = payload
        self.mask = mask
        self.chop = chop
    }
}

/// A valid data message split into frames, with pings between some of them.
public struct FuzzMessage: Sendable, Hashable {
    public var type: MessageType
    public var payload: [UInt8]
    /// One entry per frame: its payload octets (summing to `payload.count`) and how it is written.
    public var fragments: [Fragment]

    public struct Fragment: Sendable, Hashable {
        public var length: Int
        public var mask: MaskChoice
        public var chop: Int?
        /// A ping sent right after this fragment (never after the last one).
        public var pingAfter: FuzzFrame?

        public init(length: Int, mask: MaskChoice, chop: Int? = nil, pingAfter: FuzzFrame? = nil) {
            self.length = length
            self.mask = mask
            self.chop = chop
            self.pingAfter = pingAfter
        }
    }

    public init(type: MessageType, payload: [UInt8], fragments: [Fragment]) {
        self.type = type
        self.payload = payload
        self.fragments = fragments
    }
}

/// Invalid input: the frames that carry it (with any valid frames it needs as context, such as the
/// first fragment of the message it interrupts) and how a conforming peer fails the connection.
public struct FuzzViolation: Sendable, Hashable {
    public var kind: ViolationKind
    public var frames: [FrameStep]
    /// What is wrong, in words (becomes the case's title).
    public var summary: String
    /// Leading frames that only set the scene (the start of a message the violation interrupts)
    /// and can be left out while the rest stays invalid: what shrinking may drop.
    public var context: Int

    public init(kind: ViolationKind, frames: [FrameStep], summary: String, context: Int = 0) {
        self.kind = kind
        self.frames = frames
        self.summary = summary
        self.context = context
    }
}

/// The harness's closing Close of a valid sequence.
public struct FuzzClose: Sendable, Hashable {
    public var code: CloseCode
    public var reason: [UInt8]

    public init(code: CloseCode, reason: [UInt8]) {
        self.code = code
        self.reason = reason
    }
}
