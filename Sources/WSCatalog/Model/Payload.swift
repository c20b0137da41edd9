import WSRandom

/// How a case describes payload bytes. Kept symbolic (not expanded) so that a 16 MiB payload costs
/// nothing until the runner asks for it, and so `cases show` can print what the author wrote.
public indirect enum Payload: Sendable, Hashable, CustomStringConvertible {
    /// The UTF-8 encoding of a string.
    case utf8(String)
    /// Literal octets (written as hex in YAML).
    case hex([UInt8])
    /// `seed` repeated and cut to exactly `length` octets (Autobahn's `payload_len`). An empty seed
    /// with a non-zero length is rejected by the loader.
    case repeated(Payload, length: Int)
    /// `length` octets from `DeterministicRandom(seed:)`: the same bytes on every run and machine.
    case random(seed: UInt64, length: Int)
    /// The parts one after another.
    case concat([Payload])
    /// A raw DEFLATE stream that inflates to `length` zero octets (`DeflateZeros`): a decompression
    /// bomb of about length / 1032 octets, for frames sent with RSV1. Without `keepTail` it is a
    /// whole message (the sync flush's `00 00 ff ff` left off, RFC 7692 §7.2.1); with it, a
    /// fragment that more compressed data may follow.
    case deflateZeros(length: Int, keepTail: Bool)

    public static let empty = Payload.hex([])

    /// Number of octets, computed without materialising the bytes.
    public var count: Int {
        switch self {
        case let .utf8(s): s.utf8.count
        case let .hex(b): b.count
        case let .repeated(_, length): length
        case let .random(_, length): length
        case let .concat(parts): parts.reduce(0) { $0 + $1.count }
        case .deflateZeros: bytes().count
        }
    }

    /// The octets this payload stands for.
    public func bytes() -> [UInt8] {
        switch self {
        case let .utf8(s): return Array(s.utf8)
        case let .hex(b): return b
        case let .repeated(seed, length):
            let unit = seed.bytes()
            guard length > 0, !unit.isEmpty else { return [] }
            // Doubling keeps a 16 MiB payload to ~24 bulk copies instead of millions of small appends.
            var out: [UInt8] = []
            out.reserveCapacity(length)
            out.append(contentsOf: unit.prefix(length))
            while out.count < length {
                let chunk = Array(out[0..<min(out.count, length - out.count)])
                out.append(contentsOf: chunk)
            }
            return out
        case let .random(seed, length):
            var rng = DeterministicRandom(seed: seed)
            return rng.bytes(length)
        case let .concat(parts):
            return parts.flatMap { $0.bytes() }
        case let .deflateZeros(length, keepTail):
            return DeflateZeros.stream(count: length, keepTail: keepTail)
        }
    }

    /// A short human form: `utf8 "Hello"`, `hex cebae1…`, `repeat "*" × 65536`.
    public var description: String {
        switch self {
        case let .utf8(s):
            let shown = s.count > 60 ? String(s.prefix(57)) + "..." : s
            return "utf8 \"\(shown)\""
        case let .hex(b):
            let shown = b.prefix(32).map { hexByte($0) }.joined()
            return b.count > 32 ? "hex \(shown)... (\(b.count) octets)" : "hex \(shown)"
        case let .repeated(seed, length): return "repeat(\(seed)) to \(length) octets"
        case let .random(seed, length): return "random(seed \(seed)) \(length) octets"
        case let .concat(parts): return "concat[" + parts.map(\.description).joined(separator: ", ") + "]"
        case let .deflateZeros(length, keepTail):
            return "deflate(\(length) zero octets)" + (keepTail ? " with its sync tail" : "")
        }
    }
}

package func hexByte(_ b: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
}

/// Lower-case hex of all octets.
package func hexString<C: Sequence>(_ bytes: C) -> String where C.Element == UInt8 {
    bytes.map(hexByte).joined()
}

/// Parses hex digits, ignoring spaces, `:` and `_` between octets. Nil on odd length or a bad digit.
func parseHex(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    var high: UInt8?
    for ch in text.unicodeScalars {
        if ch == " " || ch == ":" || ch == "_" || ch == "\n" || ch == "\t" { continue }
        guard let v = hexValue(ch) else { return nil }
        if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
    }
    return high == nil ? out : nil
}

private func hexValue(_ c: Unicode.Scalar) -> UInt8? {
    switch c {
    case "0"..."9": UInt8(c.value - 48)
    case "a"..."f": UInt8(c.value - 87)
    case "A"..."F": UInt8(c.value - 55)
    default: nil
    }
}
