import WSEngine
import Yams

extension NodeReader {
    static let stepKinds = ["frame", "frame_begin", "frame_data", "message", "close", "raw", "barrier", "await", "wait",
                            "guard", "round_trips", "handshake"]

    /// One step: a mapping with exactly one key naming the step kind.
    func step(_ node: Node, _ field: String) throws(CatalogError) -> Step {
        guard case let .mapping(m) = node, m.count == 1, case let .scalar(k) = m.first!.key else {
            throw error(node, field, "a step is a mapping with one key, one of: \(list(NodeReader.stepKinds))")
        }
        let kind = k.string
        let v = m.first!.value
        let p = "\(field).\(kind)"
        switch kind {
        case "frame": return .frame(try frameStep(v, p))
        case "frame_begin":
            let f = try fields(v, p, allowed: ["opcode", "fin", "rsv", "length", "mask"], required: ["opcode", "length"])
            return .frameBegin(FrameBeginStep(
                opcode: try opcode(f[raw: "opcode"]!, f.path("opcode")), fin: try f.bool("fin") ?? true,
                rsv: ReservedBits(rawValue: UInt8(try f.int("rsv", range: 0...7) ?? 0)), length: UInt64(try f.int("length")!),
                mask: try f["mask"].map { (n) throws(CatalogError) in try mask(n, f.path("mask")) } ?? .auto))
        case "frame_data":
            return .frameData(isNull(v) ? .empty : try payload(v, p))
        case "message":
            let f = try fields(v, p, allowed: ["type", "payload", "fragment_size", "sync"], required: ["type"])
            return .message(MessageStep(
                type: try messageType(f[raw: "type"]!, f.path("type")),
                payload: try f["payload"].map { (n) throws(CatalogError) in try payload(n, f.path("payload")) } ?? .empty,
                fragmentSize: try f.int("fragment_size", range: 1...Int.max), sync: try f.bool("sync") ?? false))
        case "close":
            let f = try fields(v, p, allowed: ["code", "reason", "payload"])
            if let raw = f["payload"] {
                if f.has("code") || f.has("reason") {
                    throw error(raw, f.path("payload"), "payload gives the exact close body; it cannot be combined with code or reason")
                }
                return .close(CloseStep(.raw(try payload(raw, f.path("payload")))))
            }
            if let code = try f.int("code", range: 0...65535) {
                let reason = try f["reason"].map { (n) throws(CatalogError) in try payload(n, f.path("reason")) } ?? .empty
                return .close(CloseStep(.code(CloseCode(UInt16(code)), reason: reason)))
            }
            if let r = f["reason"] { throw error(r, f.path("reason"), "a reason needs a code (or use payload for an exact close body)") }
            return .close(CloseStep(.raw(.empty)))
        case "raw":
            let f = try fields(v, p, allowed: ["bytes", "chop", "sync"], required: ["bytes"])
            return .raw(RawStep(bytes: try payload(f[raw: "bytes"]!, f.path("bytes")),
                                chop: try f.int("chop", range: 1...Int.max), sync: try f.bool("sync") ?? false))
        case "barrier":
            let f = try fields(v, p, allowed: ["tag", "timeout", "mode"], required: ["timeout"])
            var mode = BarrierMode.auto
            if let m = try f.string("mode") {
                guard let parsed = BarrierMode(rawValue: m) else {
                    throw error(f["mode"], f.path("mode"), "unknown barrier mode \"\(m)\"; valid: auto, ping, quiet")
                }
                mode = parsed
            }
            return .barrier(BarrierStep(tag: try f.string("tag"), timeout: try f.requiredDuration("timeout"), mode: mode))
        case "await":
            let f = try fields(v, p, allowed: ["event", "timeout"], required: ["event", "timeout"])
            return .await(AwaitStep(event: try event(f[raw: "event"]!, f.path("event")), timeout: try f.requiredDuration("timeout")))
        case "wait":
            return .pause(try duration(v, p))
        case "guard":
            let f = try fields(v, p, allowed: ["kill_after", "close_after"])
            guard f.mapping.count == 1, case let .scalar(gk) = f.mapping.first!.key, let g = GuardStep.Kind(rawValue: gk.string) else {
                throw error(v, p, "a guard has exactly one of kill_after or close_after")
            }
            return .guardTimer(GuardStep(g, after: try f.requiredDuration(gk.string)))
        case "round_trips":
            return .roundTrips(try roundTrips(v, p))
        case "handshake":
            return .handshake(try handshakeStep(v, p))
        default:
            var hint = ""
            if let near = closest(kind, in: NodeReader.stepKinds) { hint = " (did you mean \"\(near)\"?)" }
            throw error(m.first!.key, field, "unknown step \"\(kind)\"\(hint); valid steps: \(list(NodeReader.stepKinds))")
        }
    }

    static let frameKeys = ["opcode", "fin", "rsv", "payload", "length_encoding", "declared_length", "mask", "chop", "sync"]

    func frameStep(_ node: Node, _ field: String) throws(CatalogError) -> FrameStep {
        let f = try fields(node, field, allowed: NodeReader.frameKeys, required: ["opcode"])
        var step = FrameStep(opcode: try opcode(f[raw: "opcode"]!, f.path("opcode")))
        step.fin = try f.bool("fin") ?? true
        step.rsv = ReservedBits(rawValue: UInt8(try f.int("rsv", range: 0...7) ?? 0))
        if let p = f["payload"] { step.payload = try payload(p, f.path("payload")) }
        if let d = f["declared_length"] {
            // The whole 64-bit range: a length with the top bit set is a case of its own (23.1.4).
            let text = (d.scalar?.string ?? "").replacingOccurrences(of: "_", with: "")
            // Sizes with arithmetic (`{max_message_size}+1`) as everywhere else, within Int's range.
            let value = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text) ?? NodeReader.parseInt(text).map { UInt64($0) }
            guard let value else {
                throw error(d, f.path("declared_length"), "expected a length 0...2^64-1 (decimal or 0x hex), found \(kind(d))")
            }
            step.declaredLength = value
        }
        if let e = try f.string("length_encoding") {
            let map: [String: LengthEncoding] = ["short": .short, "extended16": .extended16, "extended64": .extended64]
            guard let enc = map[e] else {
                throw error(f["length_encoding"], f.path("length_encoding"), "unknown length encoding \"\(e)\"; valid: short, extended16, extended64")
            }
            let length = step.headerLength
            let fits = enc == .extended64 || (enc == .extended16 && length <= 0xFFFF) || (enc == .short && length <= 125)
            guard fits else {
                throw error(f["length_encoding"], f.path("length_encoding"), "\(e) cannot carry a length of \(length)")
            }
            step.lengthEncoding = enc
        }
        if let m = f["mask"] { step.mask = try mask(m, f.path("mask")) }
        step.chop = try f.int("chop", range: 1...Int.max)
        step.sync = try f.bool("sync") ?? false
        return step
    }

    func roundTrips(_ node: Node, _ field: String) throws(CatalogError) -> RoundTripsStep {
        let f = try fields(node, field, allowed: ["count", "type", "payload", "dataset", "size", "unit", "compare"],
                           required: ["count", "type", "compare"])
        let type = try messageType(f[raw: "type"]!, f.path("type"))
        let compareText = try f.requiredString("compare")
        guard let compare = RoundTripsStep.Comparison(rawValue: compareText) else {
            throw error(f["compare"], f.path("compare"), "unknown comparison \"\(compareText)\"; valid: type_length, type_length_sha1")
        }
        let source: RoundTripsStep.Source
        switch (f["payload"], f["dataset"]) {
        case let (p?, nil):
            if let extra = f["size"] ?? f["unit"] { throw error(extra, field, "size and unit go with dataset, not payload") }
            source = .payload(try payload(p, f.path("payload")))
        case let (nil, d?):
            let name = try string(d, f.path("dataset"))
            guard let ds = Dataset.named(name) else {
                throw error(d, f.path("dataset"), "unknown dataset \"\(name)\"; valid: \(list(Dataset.all.map(\.name)))")
            }
            guard let size = try f.int("size", range: 1...Int.max) else { throw error(node, field, "a dataset needs a size") }
            let unitText = try f.string("unit") ?? "octets"
            guard let unit = LengthUnit(rawValue: unitText) else {
                throw error(f["unit"], f.path("unit"), "unknown unit \"\(unitText)\"; valid: octets, characters")
            }
            if unit == .characters && !ds.isText {
                throw error(f["unit"], f.path("unit"), "\(name) is binary; characters only apply to UTF-8 text datasets")
            }
            source = .dataset(DatasetWindow(dataset: name, size: size, unit: unit))
        default:
            throw error(node, field, "round_trips needs exactly one of payload or dataset")
        }
        return RoundTripsStep(count: try f.int("count", range: 1...Int.max)!, type: type, source: source, compare: compare)
    }
}
