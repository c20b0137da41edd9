import WSEngine
import Yams

extension NodeReader {
    static let payloadKeys = ["utf8", "hex", "repeat", "length", "random", "concat", "deflate_zeros", "keep_tail"]

    /// A payload: a plain string (its UTF-8), or one of `{utf8: s}`, `{hex: "ce ba"}`,
    /// `{repeat: <payload>, length: n}`, `{random: seed, length: n}`, `{concat: [<payload>...]}`,
    /// `{deflate_zeros: n, keep_tail: false}` (a DEFLATE stream inflating to n zero octets).
    func payload(_ node: Node, _ field: String) throws(CatalogError) -> Payload {
        if case .scalar = node { return .utf8(try string(node, field)) }
        let f = try fields(node, field, allowed: NodeReader.payloadKeys)
        let forms = ["utf8", "hex", "repeat", "random", "concat", "deflate_zeros"].filter { f[raw: $0] != nil }
        guard forms.count == 1 else {
            throw error(node, field, forms.isEmpty
                ? "a payload needs one of utf8, hex, repeat (+ length), random (+ length), concat, deflate_zeros"
                : "a payload has exactly one of utf8, hex, repeat, random, concat, deflate_zeros; found \(forms.joined(separator: " and "))")
        }
        let form = forms[0]
        if (form == "repeat" || form == "random") != f.has("length") {
            throw error(node, field, form == "repeat" || form == "random"
                ? "\(form) needs a length (octets)" : "length only goes with repeat or random")
        }
        if form != "deflate_zeros", let k = f["keep_tail"] {
            throw error(k, f.path("keep_tail"), "keep_tail only goes with deflate_zeros")
        }
        switch form {
        case "deflate_zeros":
            guard let length = try f.int("deflate_zeros", range: 0...(16 << 30)) else { return .empty }
            return .deflateZeros(length: length, keepTail: try f.bool("keep_tail") ?? false)
        case "utf8":
            guard let v = f[raw: "utf8"] else { return .empty }
            return reader(v).isNull(v) ? .utf8("") : .utf8(try string(v, f.path("utf8")))
        case "hex":
            let v = f[raw: "hex"]!
            let text = isNull(v) ? "" : try string(v, f.path("hex"))
            guard let bytes = parseHex(text) else {
                throw error(v, f.path("hex"), "\"\(text)\" is not hex: use pairs of 0-9a-f (spaces allowed between octets)")
            }
            return .hex(bytes)
        case "repeat":
            let seed = try payload(f[raw: "repeat"]!, f.path("repeat"))
            let length = try f.int("length")!
            if length > 0 && seed.count == 0 {
                throw error(f[raw: "repeat"], f.path("repeat"), "cannot repeat an empty payload to \(length) octets")
            }
            return .repeated(seed, length: length)
        case "random":
            let seed = try int(f[raw: "random"]!, f.path("random"))
            return .random(seed: UInt64(seed), length: try f.int("length")!)
        default:
            var parts: [Payload] = []
            for (i, item) in try sequence(f[raw: "concat"]!, f.path("concat")).enumerated() {
                parts.append(try payload(item, "\(f.path("concat"))[\(i)]"))
            }
            return .concat(parts)
        }
    }

    private func reader(_: Node) -> NodeReader { self }

    static let opcodeNames: [(String, UInt8)] = [
        ("continuation", 0), ("text", 1), ("binary", 2), ("close", 8), ("ping", 9), ("pong", 10),
    ]

    /// An opcode name or a number 0...15 (reserved numbers allowed: cases send them on purpose).
    func opcode(_ node: Node, _ field: String) throws(CatalogError) -> Opcode {
        guard case let .scalar(s) = node else { throw error(node, field, "expected an opcode, found \(kind(node))") }
        if let named = NodeReader.opcodeNames.first(where: { $0.0 == s.string }) { return Opcode(rawValue: named.1) }
        if let n = NodeReader.parseInt(s.string) {
            guard n <= 15 else { throw error(node, field, "opcode \(n) does not fit in 4 bits; valid: 0...15") }
            return Opcode(rawValue: UInt8(n))
        }
        let names = NodeReader.opcodeNames.map(\.0).joined(separator: ", ")
        throw error(node, field, "unknown opcode \"\(s.string)\"; valid: \(names), or a number 0...15")
    }

    func messageType(_ node: Node, _ field: String) throws(CatalogError) -> MessageType {
        let s = try string(node, field)
        guard let t = MessageType(rawValue: s) else { throw error(node, field, "unknown message type \"\(s)\"; valid: text, binary") }
        return t
    }

    /// `auto`, `none`, `random`, or an 8-hex-digit key.
    func mask(_ node: Node, _ field: String) throws(CatalogError) -> MaskChoice {
        let s = try string(node, field)
        switch s {
        case "auto": return .auto
        case "none": return .none
        case "random": return .random
        default:
            guard let b = parseHex(s), b.count == 4 else {
                throw error(node, field, "\"\(s)\" is not a mask; valid: auto, none, random, or 4 octets of hex such as 37fa213d")
            }
            return .key(MaskingKey(b))
        }
    }

    static let eventKeys = ["text", "binary", "pong", "timeout"]

    /// An event of an outcome list: `event(_:_:)`, or `{run: <event>, min: a, max: b}` (min 0 by
    /// default): a to b consecutive such events.
    func outcomeEvent(_ node: Node, _ field: String) throws(CatalogError) -> ExpectedEvent {
        guard case let .mapping(m) = node, m.contains(where: { $0.key.scalar?.string == "run" }) else { return try event(node, field) }
        let f = try fields(node, field, allowed: ["run", "min", "max"], required: ["run", "max"])
        let low = try f.int("min") ?? 0
        let high = try f.int("max", range: max(low, 1)...1_000_000)!
        return .run(try event(f[raw: "run"]!, f.path("run")), min: low, max: high)
    }

    /// `{text: <payload>}`, `{binary: <payload>}`, `{pong: <payload>}` or `{timeout: tag}`.
    func event(_ node: Node, _ field: String) throws(CatalogError) -> ExpectedEvent {
        let f = try fields(node, field, allowed: NodeReader.eventKeys)
        guard f.mapping.count == 1, case let .scalar(k) = f.mapping.first!.key else {
            throw error(node, field, "an event has exactly one key: text, binary, pong or timeout")
        }
        let v = f.mapping.first!.value
        let p = f.path(k.string)
        switch k.string {
        case "text": return .message(.text, isNull(v) ? .empty : try payload(v, p))
        case "binary": return .message(.binary, isNull(v) ? .empty : try payload(v, p))
        case "pong": return .pong(isNull(v) ? .empty : try payload(v, p))
        default: return .timeout(try string(v, p))
        }
    }
}
