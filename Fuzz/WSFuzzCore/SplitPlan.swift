import WSRandom

/// Where to cut a byte stream into chunks, for feeding incremental parsers "like the network would"
/// (uWebSockets' `makeChunked`, libwebsockets' `lws_parse_fuzzer`). The cuts come from a seeded
/// generator, so they cost the fuzzer only a few option bytes and leave the data itself untouched.
///
/// A plan bounds the number of pieces, not their size. WHY: every chunk costs the targets a round
/// of checks, so chunks of a byte or two over a long stream made one input cost hundreds of rounds
/// (the frame targets ran at a third of their speed). A few cuts that the fuzzer moves by mutating
/// the seed reach the same boundaries, and a stream shorter than the piece count is still cut byte
/// by byte.
public struct SplitPlan: Sendable, Hashable, CustomStringConvertible {
    /// The piece counts an option byte selects (its low 3 bits).
    public static let pieceClasses = [1, 2, 3, 4, 6, 8, 12, 16]

    /// Most chunks a stream is cut into; 1 feeds it whole.
    public var pieces: Int
    public var seed: UInt64

    public init(pieces: Int, seed: UInt64) {
        precondition(pieces >= 1, "a plan has at least one piece")
        self.pieces = pieces
        self.seed = seed
    }

    /// Reads a plan from three option bytes: the piece-count class, then a 16-bit seed.
    public init(from input: inout FuzzedInput) {
        self.init(optionBytes: input.byte(), input.byte(), input.byte())
    }

    /// A plan from its three option bytes: the piece-count class (low 3 bits), then the seed,
    /// little-endian.
    public init(optionBytes pieceClass: UInt8, _ seedLow: UInt8, _ seedHigh: UInt8) {
        self.init(pieces: Self.pieceClasses[Int(pieceClass & 7)], seed: UInt64(seedLow) | UInt64(seedHigh) << 8)
    }

    /// The chunk lengths for `count` bytes: `min(pieces, count)` of them, each at least 1, summing to `count`.
    public func chunkLengths(for count: Int) -> [Int] { cuts(of: count).map(\.count) }

    /// The chunks of `count` bytes as ranges, produced one at a time without building an array.
    public func cuts(of count: Int) -> Cuts { Cuts(generator: DeterministicRandom(seed: seed), piecesLeft: pieces, count: count) }

    /// Successive chunk ranges covering `0..<count`; see `cuts(of:)`.
    public struct Cuts: Sequence, IteratorProtocol, Sendable {
        var generator: DeterministicRandom
        var piecesLeft: Int
        let count: Int
        var start = 0

        public mutating func next() -> Range<Int>? {
            guard start < count else { return nil }
            let remaining = count - start
            var n = remaining
            if piecesLeft > 1 {
                // Uniform in 1...2·remaining/piecesLeft (on average the rest shared evenly), leaving
                // at least a byte for each piece still to come.
                let span = Swift.max(1, 2 * remaining / piecesLeft)
                n = Swift.max(1, Swift.min(remaining - (piecesLeft - 1), 1 + Int(generator.next() % UInt64(span))))
            }
            piecesLeft -= 1
            defer { start += n }
            return start..<(start + n)
        }
    }

    /// `bytes` cut into chunks.
    public func chunks(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        cuts(of: bytes.count).map { bytes[$0] }
    }

    public var description: String { "at most \(pieces) pieces (seed \(seed))" }
}
