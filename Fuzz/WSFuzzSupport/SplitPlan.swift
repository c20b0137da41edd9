/// Where to cut a byte stream into chunks, for feeding incremental parsers "like the network would"
/// (uWebSockets' `makeChunked`, libwebsockets' `lws_parse_fuzzer`). The cuts come from a seeded
/// generator, so they cost the fuzzer only a few option bytes and leave the data itself untouched.
public struct SplitPlan: Sendable, Hashable, CustomStringConvertible {
    /// Largest chunk; 1 feeds the stream byte by byte.
    public var maxChunk: Int
    public var seed: UInt64

    public init(maxChunk: Int, seed: UInt64) {
        precondition(maxChunk >= 1, "maxChunk must be at least 1")
        self.maxChunk = maxChunk
        self.seed = seed
    }

    /// Reads a plan from three option bytes: the chunk-size class, then a 16-bit seed.
    public init(from input: inout FuzzedInput) {
        let sizes = [1, 2, 3, 4, 7, 13, 64, 300]
        self.init(maxChunk: sizes[Int(input.byte() & 7)], seed: UInt64(input.integer(UInt16.self)))
    }

    /// The chunk lengths for `count` bytes: each in 1...maxChunk, summing to `count`.
    public func chunkLengths(for count: Int) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var lengths: [Int] = []
        var remaining = count
        while remaining > 0 {
            let n = min(remaining, Int(generator.next() % UInt64(maxChunk)) + 1)
            lengths.append(n)
            remaining -= n
        }
        return lengths
    }

    /// The chunks of `count` bytes as ranges, produced one at a time: the same cuts as
    /// `chunkLengths(for:)` without building an array (the frame targets feed every input this way).
    public func cuts(of count: Int) -> Cuts { Cuts(generator: SplitMix64(seed: seed), maxChunk: maxChunk, count: count) }

    /// Successive chunk ranges covering `0..<count`; see `cuts(of:)`.
    public struct Cuts: Sequence, IteratorProtocol, Sendable {
        var generator: SplitMix64
        let maxChunk: Int
        let count: Int
        var start = 0

        public mutating func next() -> Range<Int>? {
            guard start < count else { return nil }
            let n = Swift.min(count - start, Int(generator.next() % UInt64(maxChunk)) + 1)
            defer { start += n }
            return start..<(start + n)
        }
    }

    /// `bytes` cut into chunks.
    public func chunks(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var start = 0
        return chunkLengths(for: bytes.count).map { length in
            defer { start += length }
            return bytes[start..<(start + length)]
        }
    }

    public var description: String { "chunks of 1...\(maxChunk) (seed \(seed))" }
}

/// SplitMix64: tiny, fast and deterministic; good enough to spread cut points.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
