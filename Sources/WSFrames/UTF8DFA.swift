/// The shift-based DFA behind `UTF8Validator` (after Per Vognsen's "shift-based DFAs").
///
/// Each state is a shift amount (a multiple of 6). `table[byte]` packs, for every state `s`, the next
/// state into bits `s..<s+6`, so one step is `state = table[byte] &>> state`: the masking shift ignores
/// the bits above the low 6, so garbage from other states never needs clearing inside the loop.
/// The states encode Unicode Table 3-7 (well-formed UTF-8 byte sequences), which is what makes the
/// failing byte the first one outside a maximal subpart.
enum UTF8DFA {
    /// Sticky error state. It is 0 so that every row maps it to itself.
    static let error: UInt8 = 0
    /// Between sequences.
    static let accept: UInt8 = 6
    /// Expects 1 more byte in 80...BF.
    static let tail1: UInt8 = 12
    /// Expects 2 more bytes in 80...BF (after E1...EC, EE, EF).
    static let tail2: UInt8 = 18
    /// After E0: expects A0...BF (no overlongs), then 1 more.
    static let afterE0: UInt8 = 24
    /// After ED: expects 80...9F (no surrogates), then 1 more.
    static let afterED: UInt8 = 30
    /// Expects 3 more bytes in 80...BF (after F1...F3).
    static let tail3: UInt8 = 36
    /// After F0: expects 90...BF (no overlongs), then 2 more.
    static let afterF0: UInt8 = 42
    /// After F4: expects 80...8F (nothing above U+10FFFF), then 2 more.
    static let afterF4: UInt8 = 48

    private static let states: [UInt8] = [error, accept, tail1, tail2, afterE0, afterED, tail3, afterF0, afterF4]

    static func next(_ state: UInt8, _ byte: UInt8) -> UInt8 {
        switch state {
        case accept:
            switch byte {
            case 0x00...0x7F: accept
            case 0xC2...0xDF: tail1
            case 0xE0: afterE0
            case 0xED: afterED
            case 0xE1...0xEF: tail2
            case 0xF0: afterF0
            case 0xF1...0xF3: tail3
            case 0xF4: afterF4
            default: error  // 80...C1 (continuation, overlong 2-byte leads) and F5...FF
            }
        case tail1: (0x80...0xBF).contains(byte) ? accept : error
        case tail2: (0x80...0xBF).contains(byte) ? tail1 : error
        case afterE0: (0xA0...0xBF).contains(byte) ? tail1 : error
        case afterED: (0x80...0x9F).contains(byte) ? tail1 : error
        case tail3: (0x80...0xBF).contains(byte) ? tail2 : error
        case afterF0: (0x90...0xBF).contains(byte) ? tail2 : error
        case afterF4: (0x80...0x8F).contains(byte) ? tail2 : error
        default: error
        }
    }

    static let table: [UInt64] = (0...255).map { byte in
        states.reduce(UInt64(0)) { row, state in
            row | UInt64(next(state, UInt8(byte))) << UInt64(state)
        }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Runs `count` bytes from `state`. Returns the new state and, on failure, the index of the first
    /// invalid byte (the returned state is then `error`).
    static func run(_ p: UnsafeRawPointer, count n: Int, state initial: UInt8) -> (UInt8, Int?) {
        table.withUnsafeBufferPointer { tableBuffer in
            let t = tableBuffer.baseAddress!
            var s = UInt64(initial)
            var i = 0
            while true {
                if UInt8(truncatingIfNeeded: s & 63) == accept {
                    i = skipASCII(p, from: i, count: n)
                }
                guard i + 16 <= n else { break }
                let blockStart = i, blockState = s
                // No error check inside the block: the error state is sticky, so one check at the
                // end suffices, and the rare failing block is replayed byte by byte.
                for k in 0..<16 {
                    s = t[Int(p.load(fromByteOffset: i &+ k, as: UInt8.self))] &>> s
                }
                i &+= 16
                if UInt8(truncatingIfNeeded: s & 63) == error {
                    return (error, firstError(p, from: blockStart, count: n, state: blockState, table: t))
                }
            }
            let tailStart = i, tailState = s
            while i < n {
                s = t[Int(p.load(fromByteOffset: i, as: UInt8.self))] &>> s
                i &+= 1
            }
            if UInt8(truncatingIfNeeded: s & 63) == error {
                return (error, firstError(p, from: tailStart, count: n, state: tailState, table: t))
            }
            return (UInt8(truncatingIfNeeded: s & 63), nil)
        }
    }

    /// Advances past ASCII bytes, 32 at a time, then up to the first non-ASCII byte of the last
    /// word group checked. Only called between sequences.
    @inline(__always)
    private static func skipASCII(_ p: UnsafeRawPointer, from start: Int, count n: Int) -> Int {
        var i = start
        while i + 32 <= n {
            let w0 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let w1 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            let w2 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            let w3 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            guard (w0 | w1 | w2 | w3) & highBits == 0 else {
                // Skip the ASCII bytes before the first non-ASCII one (little-endian: low byte first).
                var high = w0 & highBits
                if high != 0 { return i + high.trailingZeroBitCount / 8 }
                high = w1 & highBits
                if high != 0 { return i + 8 + high.trailingZeroBitCount / 8 }
                high = w2 & highBits
                if high != 0 { return i + 16 + high.trailingZeroBitCount / 8 }
                return i + 24 + (w3 & highBits).trailingZeroBitCount / 8
            }
            i += 32
        }
        while i + 8 <= n {
            let w = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let high = w & highBits
            if high != 0 { return i + high.trailingZeroBitCount / 8 }
            i += 8
        }
        return i
    }

    /// Replays bytes one at a time from a known state to find the byte that entered the error state.
    private static func firstError(_ p: UnsafeRawPointer, from start: Int, count n: Int, state: UInt64,
                                   table t: UnsafePointer<UInt64>) -> Int {
        var s = state
        for i in start..<n {
            s = t[Int(p.load(fromByteOffset: i, as: UInt8.self))] &>> s
            if UInt8(truncatingIfNeeded: s & 63) == error { return i }
        }
        preconditionFailure("UTF8DFA: replay did not reach the error state")
    }
}
