import WSCatalog
import WSEngine

/// Builds one `FuzzViolation` of a given kind: the violating frame, with random payloads and chop
/// sizes, sometimes in the middle of a fragmented message (whose first frames are then part of it).
struct FuzzViolationGenerator {
    let role: Role
    let maxPayload: Int

    private var generator: FuzzSequenceGenerator { FuzzSequenceGenerator(seed: 0, role: role) }

    func violation(_ r: inout FuzzRandom, kind: ViolationKind) -> FuzzViolation {
        var frames: [FrameStep] = []
        var summary: String
        // Kinds that are wrong whatever the message state may interrupt a fragmented message.
        let interruptible: Set<ViolationKind> = [.reservedBits, .reservedOpcode, .fragmentedControl, .longControl, .closeTooShort,
                                                 .invalidCloseCode, .invalidCloseReason, .wrongMask]
        var open = false
        if kind == .expectedContinuation || (interruptible.contains(kind) && r.chance(30)) {
            frames.append(frame(&r, .binary, fin: false, payload: r.bytes(r.int(0...30))))
            open = true
        }
        switch kind {
        case .reservedBits:
            let rsv = UInt8(r.int(1...7))
            let opcode: Opcode = r.pick(open ? [.continuation, .ping, .pong] : [.text, .binary, .ping, .pong])
            var f = frame(&r, opcode, payload: payload(&r, for: opcode))
            f.rsv = ReservedBits(rawValue: rsv)
            frames.append(f)
            summary = "RSV bits \(rsv) on a \(opcode) frame, no extension negotiated"
        case .reservedOpcode:
            let opcode = Opcode(rawValue: UInt8(r.pick([3, 4, 5, 6, 7, 11, 12, 13, 14, 15])))
            frames.append(frame(&r, opcode, fin: r.chance(80), payload: r.bytes(r.int(0...40))))
            summary = "a frame with the reserved opcode \(opcode.rawValue)"
        case .fragmentedControl:
            let opcode: Opcode = r.pick([.ping, .pong, .close])
            frames.append(frame(&r, opcode, fin: false, payload: payload(&r, for: opcode)))
            if r.chance(50) { frames.append(frame(&r, .continuation, payload: r.bytes(r.int(0...10)))) }
            summary = "a \(opcode) frame without FIN (control frames must not be fragmented)"
        case .longControl:
            let opcode: Opcode = r.pick([.ping, .pong, .close])
            let length = r.weighted([(70, r.int(126...140)), (30, r.int(141...500))])
            let body = opcode == .close ? [0x03, 0xE8] + FuzzPayloads.ascii(&r, length: length - 2) : r.bytes(length)
            frames.append(frame(&r, opcode, payload: body))
            summary = "a \(opcode) frame with a \(length)-octet payload (control frames carry at most 125)"
        case .unexpectedContinuation:
            frames.append(frame(&r, .continuation, fin: r.chance(70), payload: r.bytes(r.int(0...40))))
            summary = "a continuation frame with no message in progress"
        case .expectedContinuation:
            let opcode: Opcode = r.pick([.text, .binary])
            frames.append(frame(&r, opcode, fin: r.chance(70), payload: payload(&r, for: opcode)))
            summary = "a new \(opcode) frame while a fragmented message is in progress"
        case .invalidUTF8, .invalidUTF8Split:
            let (bad, what) = r.pick(FuzzPayloads.invalidUTF8.filter { kind == .invalidUTF8 || $0.bytes.count > 1 })
            let before = FuzzPayloads.text(&r, length: r.weighted([(50, r.int(0...10)), (50, r.int(11...300))]))
            let after = r.chance(70) ? FuzzPayloads.text(&r, length: r.int(0...40)) : []
            let text = before + bad + after
            // Frame boundaries: for the split kind one falls inside the bad octets.
            var cuts: [Int] = kind == .invalidUTF8Split ? [before.count + r.int(1...(bad.count - 1))] : []
            if r.chance(40) { cuts.append(r.int(0...text.count)) }
            var start = 0
            let bounds = cuts.sorted() + [text.count]
            for (i, end) in bounds.enumerated() {
                frames.append(frame(&r, i == 0 ? .text : .continuation, fin: i == bounds.count - 1, payload: Array(text[start..<end])))
                start = end
            }
            summary = "a text message with invalid UTF-8 (\(what)) at octet \(before.count)"
                + (kind == .invalidUTF8Split ? ", split across frames" : "")
        case .closeTooShort:
            frames.append(frame(&r, .close, payload: r.bytes(1)))
            summary = "a Close frame with a 1-octet payload"
        case .invalidCloseCode:
            let code = r.pick([r.int(0...999), 1004, 1005, 1006, 1015, r.int(1016...2999), r.int(5000...65535)])
            frames.append(frame(&r, .close, payload: [UInt8(code >> 8), UInt8(code & 0xFF)] + FuzzPayloads.ascii(&r, length: r.int(0...20))))
            summary = "a Close frame with the invalid code \(code)"
        case .invalidCloseReason:
            let (bad, what) = r.pick(FuzzPayloads.invalidUTF8)
            let reason = FuzzPayloads.ascii(&r, length: r.int(0...20)) + bad + FuzzPayloads.ascii(&r, length: r.int(0...10))
            frames.append(frame(&r, .close, payload: [0x03, 0xE8] + reason))
            summary = "a Close frame whose reason is not UTF-8 (\(what))"
        case .wrongMask:
            let opcode: Opcode = open ? .continuation : r.pick([.text, .binary, .ping])
            var f = frame(&r, opcode, payload: payload(&r, for: opcode))
            f.mask = role == .client ? .none : .key(r.maskingKey())
            frames.append(f)
            summary = role == .client ? "an unmasked \(opcode) frame from the client" : "a masked \(opcode) frame from the server"
        case .nonMinimalLength:
            let opcode: Opcode = r.pick([.text, .binary, .ping])
            var f = frame(&r, opcode, payload: payload(&r, for: opcode))
            let count = f.payload.count
            f.lengthEncoding = count > 125 || r.chance(50) ? .extended64 : .extended16
            frames.append(f)
            summary = "a \(opcode) frame whose \(count)-octet length is written in the \(f.lengthEncoding!) form"
        }
        let interrupts = open && kind != .expectedContinuation
        if interrupts { summary += ", inside a fragmented message" }
        return FuzzViolation(kind: kind, frames: frames, summary: summary, context: interrupts ? 1 : 0)
    }

    /// A frame with the correct mask for the role and a random chop size.
    func frame(_ r: inout FuzzRandom, _ opcode: Opcode, fin: Bool = true, payload: [UInt8]) -> FrameStep {
        FrameStep(opcode: opcode, fin: fin, payload: .hex(payload), mask: generator.correctMask(&r),
                  chop: generator.chop(&r, length: payload.count))
    }

    /// A valid payload for `opcode`: UTF-8 for text, at most 125 octets for control frames.
    func payload(_ r: inout FuzzRandom, for opcode: Opcode) -> [UInt8] {
        switch opcode {
        case .text: FuzzPayloads.text(&r, length: min(r.int(0...200), maxPayload))
        case .close: [0x03, 0xE8] + FuzzPayloads.ascii(&r, length: r.int(0...20))
        case .ping, .pong: r.bytes(r.int(0...125))
        default: r.bytes(min(r.int(0...200), maxPayload))
        }
    }
}
