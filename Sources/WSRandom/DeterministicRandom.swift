/// SplitMix64 (Steele, Lea, Flood 2014): a tiny generator whose output is fully determined by its
/// seed, so `random(seed, length)` payloads and generated datasets are identical on every machine.
/// Not for masking keys or anything that must be unpredictable. The one seeded generator of the
/// project: payloads, datasets, the network fuzzer, fuzz split plans, benchmarks and tests.
public struct DeterministicRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `count` octets: each 64-bit output gives 8 octets, least significant first.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = next()
            for _ in 0..<min(8, count - out.count) {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return out
    }
}
