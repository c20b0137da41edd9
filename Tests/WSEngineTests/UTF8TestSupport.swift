import WSEngine
import WSRandom

/// Helpers for the UTF-8 validator tests: an independent reference for failure offsets, a seeded
/// generator and hex decoding.
enum UTF8TestSupport {
    /// The maximal-subpart failure offset computed with the standard library's UTF-8 parser: at an error
    /// of `length` bytes starting with a possible lead byte (C2...F4) the failing byte is the one after
    /// the subpart; otherwise the first byte itself can never start a sequence.
    static func referenceOffset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(sequence):
                position += sequence.count
            case let .error(length):
                let isLead = (0xC2...0xF4).contains(bytes[position])
                return position + (isLead ? length : 0)
            case .emptyInput:
                return nil
            }
        }
    }

    static func stdlibAccepts(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count % 2 == 0, "odd hex length")
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    /// Validates `bytes` fed as the given chunks; returns the first offset reported, or `finish()`'s.
    static func offset(feeding bytes: [UInt8], splitAt cuts: [Int]) -> Int? {
        var validator = UTF8Validator()
        var start = 0
        for cut in cuts + [bytes.count] {
            if let offset = validator.validate(bytes[start..<cut]) { return offset }
            start = cut
        }
        return validator.finish()
    }

    /// Seeded, so random strings replay identically.
    typealias Generator = DeterministicRandom

    /// Pieces that random strings are built from: valid scalars of every length (boundaries included)
    /// and the classic mistakes (overlongs, surrogates, > U+10FFFF, truncations, stray bytes).
    static let pieces: [[UInt8]] = [
        [0x41], [0x00], [0x7F], [0x20, 0x61, 0x62],
        [0xC2, 0x80], [0xDF, 0xBF], [0xCE, 0xBA],
        [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE2, 0x82, 0xAC],
        [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0x9F, 0x98, 0x80], [0xF3, 0xBF, 0xBF, 0xBF],
        [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
        [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF],
        [0x80], [0xBF], [0xC2], [0xE1], [0xE1, 0x80], [0xF1], [0xF1, 0x80], [0xF1, 0x80, 0x80], [0xF4],
    ]

    /// A random byte string: mostly pieces, sometimes raw random bytes, sometimes an ASCII run long
    /// enough to go through the 32-byte fast path and several 16-byte DFA blocks.
    static func randomString<G: RandomNumberGenerator>(using g: inout G) -> [UInt8] {
        var out: [UInt8] = []
        let parts = Int.random(in: 0...12, using: &g)
        for _ in 0..<parts {
            switch Int.random(in: 0..<10, using: &g) {
            case 0: out.append(UInt8.random(in: 0...255, using: &g))
            case 1: out += Array(repeating: UInt8(ascii: "a"), count: Int.random(in: 1...80, using: &g))
            case 2: out += Array(repeating: [0xCE, 0xBA], count: Int.random(in: 1...20, using: &g)).flatMap { $0 }
            default: out += pieces.randomElement(using: &g)!
            }
        }
        return out
    }

    static func randomCuts<G: RandomNumberGenerator>(_ count: Int, using g: inout G) -> [Int] {
        guard count > 0 else { return [] }
        return (0..<Int.random(in: 0...6, using: &g)).map { _ in Int.random(in: 0...count, using: &g) }.sorted()
    }
}
