import WSCatalog
import WSEngine
import WSRandom

/// The network fuzzer's source of choices: SplitMix64 seeded from the run's seed and the sequence's
/// index, so sequence i of seed S is the same whatever ran before it (and with any --jobs).
/// Bounded values use plain modulo, not the stdlib's `random(in:using:)`, whose algorithm may change
/// between Swift versions: a seed must keep meaning the same sequences.
struct FuzzRandom {
    private var generator: DeterministicRandom

    init(seed: UInt64, index: Int) {
        // Mix the index in so neighbouring sequences do not share a stream shifted by a few outputs.
        var mixer = DeterministicRandom(seed: seed ^ (UInt64(truncatingIfNeeded: index) &* 0xD6E8_FEB8_6659_FD93))
        generator = DeterministicRandom(seed: mixer.next())
    }

    mutating func next() -> UInt64 { generator.next() }

    /// A value in `range` (inclusive).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % span)
    }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...(choices.count - 1))] }

    /// Picks by weight: `(weight, value)` pairs.
    mutating func weighted<T>(_ choices: [(Int, T)]) -> T {
        var roll = int(0...(choices.reduce(0) { $0 + $1.0 } - 1))
        for (weight, value) in choices {
            if roll < weight { return value }
            roll -= weight
        }
        return choices[choices.count - 1].1
    }

    mutating func bytes(_ count: Int) -> [UInt8] { generator.bytes(count) }

    mutating func maskingKey() -> MaskingKey {
        let b = bytes(4)
        return MaskingKey(b[0], b[1], b[2], b[3])
    }
}
