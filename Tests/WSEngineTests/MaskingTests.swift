import NIOCore
import Testing
import WSEngine
import WSRandom

@Suite struct MaskingTests {
    static let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// The obvious byte loop the word-wise implementation must agree with.
    static func naive(_ bytes: [UInt8], key: MaskingKey, phase: Int) -> [UInt8] {
        let keyBytes = key.bytes
        return bytes.indices.map { bytes[$0] ^ keyBytes[(phase + $0) % 4] }
    }

    @Test func subscriptCyclesThroughTheKeyBytes() {
        let key = MaskingKey(0x01, 0x82, 0x43, 0xC4)
        #expect((0..<9).map { key[$0] } == [0x01, 0x82, 0x43, 0xC4, 0x01, 0x82, 0x43, 0xC4, 0x01])
    }

    @Test func rfcExample() {
        // RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
        var buffer = ByteBuffer(string: "Hello")
        buffer.applyMask(Self.key)
        #expect(buffer.bytes == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
        buffer.applyMask(Self.key)
        #expect(String(buffer: buffer) == "Hello")
    }

    @Test func inPlaceMatchesByteLoopForAllPhasesAndSmallLengths() {
        var rng = DeterministicRandom(seed: 1)
        for phase in 0..<8 {
            for length in 0...200 {
                let input = rng.bytes(length)
                var output = input
                output.withUnsafeMutableBytes { Masking.apply(Self.key, to: $0, phase: phase) }
                #expect(output == Self.naive(input, key: Self.key, phase: phase), "phase \(phase) length \(length)")
            }
        }
    }

    @Test func copyMatchesByteLoopForAllPhasesAndSmallLengths() {
        var rng = DeterministicRandom(seed: 2)
        for phase in 0..<4 {
            for length in 0...200 {
                let input = rng.bytes(length)
                // One spare byte each side catches writes outside the destination range.
                var output = [UInt8](repeating: 0xAA, count: length + 2)
                input.withUnsafeBytes { source in
                    output.withUnsafeMutableBytes { destination in
                        let inner = UnsafeMutableRawBufferPointer(rebasing: destination[1..<(length + 1)])
                        Masking.copy(from: source, to: inner, key: Self.key, phase: phase)
                    }
                }
                #expect(output.first == 0xAA && output.last == 0xAA)
                #expect(Array(output[1..<(length + 1)]) == Self.naive(input, key: Self.key, phase: phase))
            }
        }
    }

    @Test func largeRandomSizesAtUnalignedAddresses() {
        var rng = DeterministicRandom(seed: 3)
        for _ in 0..<20 {
            let length = Int.random(in: 201...300_000, using: &rng)
            let skew = Int.random(in: 0..<8, using: &rng)
            let phase = Int.random(in: 0..<4, using: &rng)
            let key = MaskingKey.random(using: &rng)
            let input = rng.bytes(length)
            var storage = [UInt8](repeating: 0, count: skew) + input
            storage.withUnsafeMutableBytes {
                Masking.apply(key, to: UnsafeMutableRawBufferPointer(rebasing: $0[skew...]), phase: phase)
            }
            #expect(Array(storage[skew...]) == Self.naive(input, key: key, phase: phase))
        }
    }

    @Test func involution() {
        var rng = DeterministicRandom(seed: 4)
        let input = rng.bytes(1000)
        for phase in 0..<4 {
            var buffer = ByteBuffer(bytes: input)
            buffer.applyMask(Self.key, phase: phase)
            #expect(buffer.bytes != input)
            buffer.applyMask(Self.key, phase: phase)
            #expect(buffer.bytes == input)
        }
    }

    @Test func chunkedMaskingWithRunningPhaseEqualsWholeMasking() {
        var rng = DeterministicRandom(seed: 5)
        let input = rng.bytes(5000)
        let expected = Self.naive(input, key: Self.key, phase: 0)
        for _ in 0..<50 {
            var output: [UInt8] = []
            var offset = 0
            while offset < input.count {
                let size = min(Int.random(in: 1...97, using: &rng), input.count - offset)
                var chunk = ByteBuffer(bytes: input[offset..<(offset + size)])
                chunk.applyMask(Self.key, phase: offset % 4)
                output += chunk.bytes
                offset += size
            }
            #expect(output == expected)
        }
    }

    @Test func byteBufferMasksOnlyReadableBytes() {
        var buffer = ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        buffer.moveReaderIndex(forwardBy: 3)
        buffer.applyMask(Self.key, phase: 1)
        #expect(buffer.bytes == Self.naive([4, 5, 6, 7, 8, 9, 10], key: Self.key, phase: 1))
        buffer.moveReaderIndex(to: 0)
        #expect(Array(buffer.bytes.prefix(3)) == [1, 2, 3])
    }
}
