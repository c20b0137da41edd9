/// A raw DEFLATE stream (RFC 1951) that inflates to `count` zero octets, built directly at the best
/// ratio DEFLATE allows (about 1032:1) in time and memory proportional to its own size, so a 4 GiB
/// decompression bomb costs the harness 4 MiB and no compressor (zlib at level 6 needs ~15 s of CPU
/// for 1 GiB of zeros). Deterministic: the same octets on every machine and zlib version.
///
/// One dynamic-Huffman block whose literal/length code has three symbols (length 258 → `0`,
/// literal 0 → `10`, end of block → `11`) and whose distance code has one (distance 1 → `0`): a
/// literal 0, then every 258 further zeros cost the two bits `00`, the rest are literals. The block
/// is followed by the empty stored block of a sync flush (RFC 7692 §7.2.1), whose `00 00 ff ff`
/// is left off unless `keepTail`: without it the octets are a whole permessage-deflate message;
/// with it they can be followed by more (a fragment that is not the last one).
enum DeflateZeros {
    static func stream(count: Int, keepTail: Bool) -> [UInt8] {
        var w = BitWriter()
        w.reserve(count / 1032 + 64)
        // Block header: BFINAL 0, BTYPE 10 (dynamic Huffman).
        w.bits(0, 1)
        w.bits(2, 2)
        w.bits(286 - 257, 5) // HLIT: codes 0...285
        w.bits(0, 5) // HDIST: one distance code
        w.bits(18 - 4, 4) // HCLEN: code-length codes up to symbol 1 in the permuted order
        // Code-length code lengths in the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1:
        // symbol 18 (a run of zeros) gets 1 bit, symbols 1 and 2 get 2 bits each.
        for length in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] { w.bits(UInt32(length), 3) }
        // Canonical codes of that code: 18 → 0, 1 → 10, 2 → 11 (written first bit first).
        func zeros(_ n: Int) { w.code(0b0, 1); w.bits(UInt32(n - 11), 7) } // symbol 18: 11...138 zeros
        w.code(0b11, 2) // literal 0: length 2
        zeros(138); zeros(117) // literals 1...255: unused
        w.code(0b11, 2) // 256 (end of block): length 2
        zeros(28) // lengths 257...284: unused
        w.code(0b10, 2) // 285 (length 258): length 1
        w.code(0b10, 2) // distance code 0 (distance 1): length 1
        if count > 0 {
            w.code(0b10, 2) // literal 0
            let rest = count - 1
            w.zeroBits(2 * (rest / 258)) // length 258 (`0`), distance 1 (`0`)
            for _ in 0..<(rest % 258) { w.code(0b10, 2) }
        }
        w.code(0b11, 2) // end of block
        // Sync flush: an empty stored block (BFINAL 0, BTYPE 00), padded to the octet, LEN, NLEN.
        w.bits(0, 3)
        w.align()
        if keepTail { w.octets([0x00, 0x00, 0xFF, 0xFF]) }
        return w.out
    }

    /// Bits packed least significant first, as DEFLATE stores everything but Huffman codes.
    private struct BitWriter {
        var out: [UInt8] = []
        private var used = 0 // bits of the last octet already used (0: start a new octet)

        mutating func reserve(_ n: Int) { out.reserveCapacity(n) }

        mutating func bits(_ value: UInt32, _ count: Int) {
            for i in 0..<count { bit(UInt8((value >> UInt32(i)) & 1)) }
        }

        /// A Huffman code, most significant bit first.
        mutating func code(_ value: UInt32, _ count: Int) {
            for i in stride(from: count - 1, through: 0, by: -1) { bit(UInt8((value >> UInt32(i)) & 1)) }
        }

        mutating func zeroBits(_ n: Int) {
            var n = n
            while n > 0 && used != 0 { bit(0); n -= 1 }
            out.append(contentsOf: repeatElement(0, count: n / 8))
            for _ in 0..<(n % 8) { bit(0) }
        }

        mutating func align() { used = 0 }

        mutating func octets(_ bytes: [UInt8]) {
            align()
            out += bytes
        }

        private mutating func bit(_ b: UInt8) {
            if used == 0 { out.append(0) }
            out[out.count - 1] |= b << UInt8(used)
            used = (used + 1) % 8
        }
    }
}
