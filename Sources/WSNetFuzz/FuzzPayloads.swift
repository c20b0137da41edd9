/// Payload material for the network fuzzer: sizes biased towards the length-field boundaries,
/// valid UTF-8 with every encoding length and the edge scalars, and the classic invalid sequences.
enum FuzzPayloads {
    /// A payload length: mostly small, often at the 7-bit/16-bit/64-bit boundaries, rarely large.
    static func length(_ r: inout FuzzRandom, max: Int) -> Int {
        let n = r.weighted([
            (10, 0), (35, r.int(1...20)), (20, r.int(21...125)), (6, r.pick([125, 126, 127, 128])),
            (12, r.int(129...1000)), (8, r.int(1001...8000)), (5, r.pick([65535, 65536, 65537])), (4, r.int(8001...70000)),
        ])
        return min(n, max)
    }

    /// Scalars at the edges of the UTF-8 encoding lengths and of the surrogate gap, plus BOM and NUL.
    static let edgeScalars: [UInt32] = [0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF,
                                        0x10000, 0x10FFFF]

    /// Valid UTF-8 of about `length` octets (at most 3 more, to finish the last scalar).
    static func text(_ r: inout FuzzRandom, length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length + 3)
        while out.count < length {
            let scalar: UInt32 = r.weighted([
                (60, UInt32(r.int(0x20...0x7E))), (5, UInt32(r.int(0x00...0x7F))), (12, UInt32(r.int(0x80...0x7FF))),
                (10, UInt32(r.pick([r.int(0x800...0xD7FF), r.int(0xE000...0xFFFF)]))), (7, UInt32(r.int(0x10000...0x10FFFF))),
                (6, r.pick(edgeScalars)),
            ])
            out += encode(scalar)
        }
        return out
    }

    /// ASCII only (close reasons, where a reader wants to see the words).
    static func ascii(_ r: inout FuzzRandom, length: Int) -> [UInt8] {
        (0..<length).map { _ in UInt8(r.int(0x20...0x7E)) }
    }

    static func encode(_ scalar: UInt32) -> [UInt8] { Array(String(Unicode.Scalar(scalar)!).utf8) }

    /// Octet sequences that are not UTF-8, each with what is wrong.
    static let invalidUTF8: [(bytes: [UInt8], what: String)] = [
        ([0xC0, 0x80], "overlong 2-octet NUL"), ([0xE0, 0x80, 0x80], "overlong 3-octet"),
        ([0xF0, 0x80, 0x80, 0x80], "overlong 4-octet"), ([0xED, 0xA0, 0x80], "UTF-16 surrogate U+D800"),
        ([0xED, 0xBF, 0xBF], "UTF-16 surrogate U+DFFF"), ([0xF4, 0x90, 0x80, 0x80], "code point above U+10FFFF"),
        ([0xF5, 0x80, 0x80, 0x80], "octet F5"), ([0xFF], "octet FF"), ([0xFE], "octet FE"), ([0x80], "lone continuation octet"),
        ([0xBF], "lone continuation octet"), ([0xE2, 0x28, 0xA1], "bad continuation"), ([0xC3, 0x28], "bad continuation"),
        ([0xE2, 0x82], "truncated 3-octet sequence"), ([0xF0, 0x9F, 0x98], "truncated 4-octet sequence"),
    ]
}
