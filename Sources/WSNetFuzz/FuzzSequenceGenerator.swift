import WSCatalog
import WSEngine

/// Turns (seed, index) into a `FuzzSequence`: a few valid items (text with valid UTF-8, binary,
/// fragmented at random sizes with pings between fragments, unsolicited pongs, short pauses, random
/// chop sizes), then, for most sequences, one violation of RFC 6455 (see `ViolationKind`).
/// Deterministic: the same seed, index and options give the same sequence on every run.
public struct FuzzSequenceGenerator: Sendable {
    public struct Options: Sendable, Hashable {
        /// Percentage of sequences that end in a violation.
        public var violationPercent: Int
        /// The violations to choose from.
        public var kinds: [ViolationKind]
        /// Largest message payload.
        public var maxPayload: Int
        /// Most valid items before the violation or the Close.
        public var maxItems: Int

        public init(violationPercent: Int = 60, kinds: [ViolationKind] = ViolationKind.byDefault, maxPayload: Int = 70_000,
                    maxItems: Int = 5) {
            self.violationPercent = violationPercent
            self.kinds = kinds
            self.maxPayload = maxPayload
            self.maxItems = maxItems
        }
    }

    public var seed: UInt64
    /// The harness's role: it decides which masking is correct.
    public var role: Role
    public var options: Options

    public init(seed: UInt64, role: Role, options: Options = Options()) {
        self.seed = seed
        self.role = role
        self.options = options
    }

    /// Sequence number `index` of this seed.
    public func sequence(_ index: Int) -> FuzzSequence {
        var r = FuzzRandom(seed: seed, index: index)
        var used = Set<[UInt8]>()
        var items: [FuzzItem] = []
        for _ in 0..<r.int(0...options.maxItems) {
            items.append(item(&r, used: &used))
        }
        let violation = !options.kinds.isEmpty && r.chance(options.violationPercent)
            ? FuzzViolationGenerator(role: role, maxPayload: options.maxPayload).violation(&r, kind: r.pick(options.kinds))
            : nil
        let close = r.chance(70) ? FuzzClose(code: .normalClosure, reason: [])
            : FuzzClose(code: CloseCode(UInt16(r.pick([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, r.int(3000...4999)]))),
                        reason: FuzzPayloads.ascii(&r, length: r.int(0...40)))
        return FuzzSequence(index: index, items: items, violation: violation, close: close)
    }

    private func item(_ r: inout FuzzRandom, used: inout Set<[UInt8]>) -> FuzzItem {
        switch r.weighted([(75, 0), (10, 1), (7, 2), (8, 3)]) {
        case 0: return .message(message(&r, used: &used))
        case 1: return .ping(ping(&r, used: &used))
        case 2: return .pong(control(&r))
        default: return .pause(milliseconds: r.int(1...15))
        }
    }

    /// The mask a correct frame from the harness carries: an explicit key as client (so the bytes
    /// are reproducible), none as server.
    func correctMask(_ r: inout FuzzRandom) -> MaskChoice {
        role == .client ? .key(r.maskingKey()) : .auto
    }

    /// A chop size for a frame with `length` payload octets, or nil (one write). At most about 64
    /// pieces per frame: every piece is a write and a pause, and a 64 KiB frame in 1-octet pieces
    /// would take longer than any deadline.
    func chop(_ r: inout FuzzRandom, length: Int) -> Int? {
        guard r.chance(25) else { return nil }
        let size = r.weighted([(40, 1), (30, r.int(2...7)), (30, r.int(8...200))])
        return max(size, (length + 14) / 64)
    }

    /// A ping or pong payload (at most 125 octets) and how it is written.
    func control(_ r: inout FuzzRandom) -> FuzzFrame {
        let payload = r.bytes(r.weighted([(20, 0), (60, r.int(1...16)), (20, r.int(17...125))]))
        return FuzzFrame(payload: payload, mask: correctMask(&r), chop: chop(&r, length: payload.count))
    }

    /// A ping whose payload is unique within its sequence, so that an `await` for its pong cannot
    /// be satisfied by an earlier one.
    func ping(_ r: inout FuzzRandom, used: inout Set<[UInt8]>) -> FuzzFrame {
        var frame = control(&r)
        while used.contains([0x09] + frame.payload) { frame.payload = r.bytes(r.int(1...125)) }
        used.insert([0x09] + frame.payload)
        return frame
    }

    /// A valid message, unique (type and payload) within its sequence for the same reason.
    func message(_ r: inout FuzzRandom, used: inout Set<[UInt8]>) -> FuzzMessage {
        let type: MessageType = r.chance(55) ? .text : .binary
        let length = FuzzPayloads.length(&r, max: options.maxPayload)
        var payload = type == .text ? FuzzPayloads.text(&r, length: length) : r.bytes(length)
        while used.contains([type.opcode.rawValue] + payload) {
            payload += type == .text ? FuzzPayloads.ascii(&r, length: 1) : r.bytes(1)
        }
        used.insert([type.opcode.rawValue] + payload)
        var fragments = split(&r, payload.count).map { FuzzMessage.Fragment(length: $0, mask: correctMask(&r), chop: chop(&r, length: $0)) }
        for i in fragments.indices.dropLast() where r.chance(15) {
            fragments[i].pingAfter = ping(&r, used: &used)
        }
        return FuzzMessage(type: type, payload: payload, fragments: fragments)
    }

    /// Frame sizes for `count` octets: one frame half the time, else 2–6 frames cut at random
    /// points (empty frames included; text may be cut inside a character, which is valid).
    func split(_ r: inout FuzzRandom, _ count: Int) -> [Int] {
        guard r.chance(50) else { return [count] }
        let cuts = (0..<r.int(1...5)).map { _ in r.int(0...count) }.sorted()
        var sizes: [Int] = []
        var previous = 0
        for cut in cuts + [count] {
            sizes.append(cut - previous)
            previous = cut
        }
        return sizes
    }
}
