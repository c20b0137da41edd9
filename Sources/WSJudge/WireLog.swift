import WSEngine

/// One wire-log row: octets or a frame, in a direction, at a time; or a harness note (timers).
public struct WireLogEntry: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case sent
        case received
    }

    public enum Kind: Sendable, Hashable {
        /// A TCP write or read: its size and its first octets.
        case octets(count: Int, head: [UInt8])
        /// A frame: header fields and the first payload octets (unmasked).
        case frame(opcode: UInt8, fin: Bool, rsv: UInt8, maskingKey: MaskingKey?, payloadLength: UInt64, head: [UInt8])
        /// Something the harness did or decided (guard armed/fired, barrier passed...).
        case note(String)
    }

    public var at: Duration?
    public var direction: Direction?
    public var kind: Kind

    public init(at: Duration?, direction: Direction?, kind: Kind) {
        self.at = at
        self.direction = direction
        self.kind = kind
    }
}

/// A wire log bounded in size: it keeps the first `headLimit` entries and the last `tailLimit`, and
/// counts what it left out, so a 16 MiB transfer cut into 64-octet chops cannot exhaust memory while
/// both the start and the end of a run stay visible. Each entry keeps at most `octetLimit` octets.
public struct WireLog: Sendable, Hashable {
    public let headLimit: Int
    public let tailLimit: Int
    public let octetLimit: Int
    public private(set) var head: [WireLogEntry] = []
    private var tail: [WireLogEntry] = []
    private var tailStart = 0
    /// Entries neither in the head nor in the tail.
    public private(set) var omitted = 0

    public init(headLimit: Int = 2000, tailLimit: Int = 500, octetLimit: Int = 64) {
        precondition(headLimit >= 0 && tailLimit >= 0 && octetLimit >= 0)
        self.headLimit = headLimit
        self.tailLimit = tailLimit
        self.octetLimit = octetLimit
    }

    public mutating func append(_ entry: WireLogEntry) {
        var e = entry
        switch e.kind {
        case let .octets(count, head) where head.count > octetLimit:
            e.kind = .octets(count: count, head: Array(head.prefix(octetLimit)))
        case let .frame(op, fin, rsv, key, len, head) where head.count > octetLimit:
            e.kind = .frame(opcode: op, fin: fin, rsv: rsv, maskingKey: key, payloadLength: len, head: Array(head.prefix(octetLimit)))
        default: break
        }
        if head.count < headLimit {
            head.append(e)
        } else if tailLimit == 0 {
            omitted += 1
        } else if tail.count < tailLimit {
            tail.append(e)
        } else {
            tail[tailStart] = e
            tailStart = (tailStart + 1) % tailLimit
            omitted += 1
        }
    }

    /// The kept entries in order; `omitted` entries were between `head` and the tail.
    public var entries: [WireLogEntry] { head + Array(tail[tailStart...]) + Array(tail[..<tailStart]) }

    /// Entries appended in total.
    public var totalCount: Int { head.count + tail.count + omitted }
}
