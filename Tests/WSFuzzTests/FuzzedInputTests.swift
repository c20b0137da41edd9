import Testing
import WSFuzzSupport

@Suite("FuzzedInput and SplitPlan")
struct FuzzedInputTests {
    @Test("reads options from the front and yields zeros past the end")
    func readsInOrder() {
        var input = FuzzedInput([0x01, 0x02, 0x03, 0x04, 0x05])
        #expect(input.byte() == 1)
        #expect(input.bool() == false)
        #expect(input.integer(UInt16.self) == 0x0403)
        #expect(input.remainingBytes() == [5])
        #expect(input.byte() == 0)
        #expect(input.integer(UInt32.self) == 0)
        #expect(input.remainingCount == 0)
    }

    @Test("integer(in:) stays in range and uses one byte for small ranges")
    func ranges() {
        for byte in UInt8.min...UInt8.max {
            var input = FuzzedInput([byte, 0xAA])
            let value = input.integer(in: 3...9)
            #expect((3...9).contains(value))
            #expect(input.remainingCount == 1)
        }
        var wide = FuzzedInput([0xFF, 0xFF, 0x07])
        #expect((0...1000).contains(wide.integer(in: 0...1000)))
        #expect(wide.remainingCount == 1)
        var single = FuzzedInput([9])
        #expect(single.integer(in: 4...4) == 4)
        #expect(single.remainingCount == 1)
    }

    @Test("pick and shortBytes")
    func pickAndBytes() {
        var input = FuzzedInput([4, 3, 0xA, 0xB, 0xC, 0xD])
        #expect(input.pick(["a", "b", "c"]) == "b")
        #expect(input.shortBytes() == [0xA, 0xB, 0xC])
        #expect(input.bytes(upTo: 10) == [0xD])
    }

    @Test("split plans cover the stream in at most `pieces` chunks, deterministically", arguments: [1, 2, 7, 16])
    func splitPlan(pieces: Int) {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        let plan = SplitPlan(pieces: pieces, seed: 42)
        let chunks = plan.chunks(of: bytes)
        #expect(chunks.count == pieces, "a long stream gets every piece")
        #expect(chunks.allSatisfy { !$0.isEmpty })
        #expect(Array(chunks.joined()) == bytes)
        #expect(plan.chunkLengths(for: 1000) == SplitPlan(pieces: pieces, seed: 42).chunkLengths(for: 1000))
        if pieces > 1 {
            #expect(plan.chunkLengths(for: 1000) != SplitPlan(pieces: pieces, seed: 43).chunkLengths(for: 1000))
        }
        #expect(plan.chunks(of: []).isEmpty)
        // The ranges the frame targets feed are the same cuts, contiguous from 0.
        let ranges = Array(plan.cuts(of: 1000))
        #expect(ranges.map(\.count) == plan.chunkLengths(for: 1000))
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 1000)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(Array(plan.cuts(of: 0)).isEmpty)
    }

    @Test("a stream no longer than the piece count is cut byte by byte")
    func shortStreams() {
        for seed: UInt64 in 0..<50 {
            #expect(SplitPlan(pieces: 16, seed: seed).chunkLengths(for: 10) == [Int](repeating: 1, count: 10))
            #expect(SplitPlan(pieces: 1, seed: seed).chunkLengths(for: 10) == [10])
        }
        // Cuts land everywhere: over many seeds, every inner boundary of a 40-byte stream is cut.
        var boundaries = Set<Int>()
        for seed: UInt64 in 0..<200 {
            for range in SplitPlan(pieces: 4, seed: seed).cuts(of: 40) where range.upperBound < 40 { boundaries.insert(range.upperBound) }
        }
        #expect(boundaries == Set(1..<40))
    }
}
