import NIOCore
import Testing
@testable import WSEngine

@Suite struct UTF8ValidatorTests {
    typealias Support = UTF8TestSupport

    @Test(arguments: [
        // (hex, expected first-invalid offset or nil)
        ("", nil), ("41", nil), ("cebae1bdb9cf83cebcceb5", nil), ("f48fbfbf", nil), ("efbfbf", nil),
        ("f4908080", 1), ("eda080", 1), ("c0af", 0), ("c1bf", 0), ("f8", 0), ("fc", 0), ("fe", 0), ("ff", 0),
        ("f5808080", 0), ("e080", 1), ("e09fbf", 1), ("f08fbfbf", 1), ("80", 0), ("41bf", 1), ("ce", 1),
        ("e1bd", 2), ("f09f98", 3), ("ce41", 1), ("e1bd41", 2), ("f09f9841", 3), ("41c2", 2), ("cebacebace", 5),
    ] as [(String, Int?)])
    func knownOffsets(hex: String, expected: Int?) {
        let bytes = Support.bytes(hex: hex)
        #expect(UTF8Validator.firstInvalidOffset(bytes) == expected, "\(hex)")
        #expect(Support.referenceOffset(bytes) == expected, "reference disagrees on \(hex)")
    }

    @Test func truncatedSequenceIsAValidPrefixUntilFinish() {
        var v = UTF8Validator()
        #expect(v.validate([0xCE]) == nil)
        #expect(v.isInsideSequence)
        #expect(!v.hasFailed)
        #expect(v.finish() == 1)
        #expect(v.hasFailed)
        #expect(!v.isInsideSequence)
    }

    @Test func failureIsStickyAndBytesAreCounted() {
        var v = UTF8Validator()
        #expect(v.validate(Array("abc".utf8)) == nil)
        #expect(v.validate([0x61, 0xFF, 0x61]) == 4)
        #expect(v.validate(Array("valid".utf8)) == 4)
        #expect(v.finish() == 4)
        #expect(v.bytesSeen == 11)
        v.reset()
        #expect(v.bytesSeen == 0 && !v.hasFailed)
        #expect(v.validate([0x80]) == 0)
    }

    @Test func offsetsCountFromTheStartOfTheStream() {
        var v = UTF8Validator()
        #expect(v.validate(Array(repeating: UInt8(ascii: "x"), count: 100)) == nil)
        #expect(v.validate([0xE2, 0x82]) == nil)
        #expect(v.bytesSeen == 102)
        #expect(v.validate([0x41]) == 102)
    }

    @Test func byteBufferAndRawBufferEntryPoints() {
        var v = UTF8Validator()
        var buffer = ByteBuffer(bytes: [0x00, 0x00, 0xCE, 0xBA, 0xED])
        buffer.moveReaderIndex(forwardBy: 2)  // only the readable bytes count
        #expect(v.validate(buffer) == nil)
        #expect(v.bytesSeen == 3)
        let bad: [UInt8] = [0xA0, 0x80]
        #expect(bad.withUnsafeBytes { v.validate($0) } == 3)
    }

    @Test func emptyChunksChangeNothing() {
        var v = UTF8Validator()
        #expect(v.validate([0xF0]) == nil)
        #expect(v.validate([UInt8]()) == nil)
        #expect(v.validate(ByteBuffer()) == nil)
        #expect(v.isInsideSequence)
        #expect(v.validate([0x9F, 0x98, 0x80]) == nil)
        #expect(v.finish() == nil)
    }

    /// Every 1- and 2-byte string: validity agrees with the standard library, offsets with the
    /// reference, whether the bytes arrive together or one by one.
    @Test func allOneAndTwoByteStrings() {
        for a in 0...255 {
            let one = [UInt8(a)]
            #expect(UTF8Validator.firstInvalidOffset(one) == Support.referenceOffset(one))
            for b in 0...255 {
                let bytes = [UInt8(a), UInt8(b)]
                let offset = UTF8Validator.firstInvalidOffset(bytes)
                guard (offset == nil) == Support.stdlibAccepts(bytes), offset == Support.referenceOffset(bytes),
                      Support.offset(feeding: bytes, splitAt: [1]) == offset else {
                    Issue.record("mismatch on \(bytes)")
                    return
                }
            }
        }
    }

    /// 3- and 4-byte strings over all lead bytes and the boundary values of the following bytes.
    @Test func threeAndFourByteStringsAroundBoundaries() {
        let follow: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xF4, 0xFF]
        var checked = 0
        for lead in UInt8(0xC0)...0xFF {
            for b in follow {
                for c in follow {
                    for tail in [[], [0x80], [0xBF], [0x41]] as [[UInt8]] {
                        let bytes = [lead, b, c] + tail
                        let offset = UTF8Validator.firstInvalidOffset(bytes)
                        #expect((offset == nil) == Support.stdlibAccepts(bytes), "\(bytes)")
                        #expect(offset == Support.referenceOffset(bytes), "\(bytes)")
                        #expect(Support.offset(feeding: bytes, splitAt: [1, 2]) == offset, "\(bytes)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 64 * 16 * 16 * 4)
    }

    /// An invalid byte, a truncated lead and a valid multi-byte scalar at every position of a long ASCII
    /// run: the fast path and the 16-byte block replay must report the exact offset.
    @Test func exactOffsetsAtEveryPositionOfALongRun() {
        for position in 0..<200 {
            var bytes = Array(repeating: UInt8(ascii: "z"), count: 200)
            bytes[position] = 0xFF
            #expect(UTF8Validator.firstInvalidOffset(bytes) == position)

            var truncated = Array(repeating: UInt8(ascii: "z"), count: 200)
            truncated[position] = 0xE2  // E2 followed by 'z': fails at the 'z' (or at the end)
            #expect(UTF8Validator.firstInvalidOffset(truncated) == position + 1)

            var valid = Array(repeating: UInt8(ascii: "z"), count: 200)
            valid.insert(contentsOf: [0xF0, 0x9F, 0x98, 0x80], at: position)
            #expect(UTF8Validator.firstInvalidOffset(valid) == nil)
        }
    }

    /// Thousands of random and adversarial strings: validity agrees with `String(validating:as:)`, the
    /// offset with the reference parser, and random splits into chunks give the one-shot offset.
    @Test func randomStringsAgreeWithTheStandardLibrary() {
        var g = Support.Generator(seed: 0x5EED_6455)
        var invalid = 0
        for _ in 0..<20_000 {
            let bytes = Support.randomString(using: &g)
            let offset = UTF8Validator.firstInvalidOffset(bytes)
            if offset != nil { invalid += 1 }
            let reference = Support.referenceOffset(bytes)
            let cuts = Support.randomCuts(bytes.count, using: &g)
            guard (offset == nil) == Support.stdlibAccepts(bytes), offset == reference,
                  Support.offset(feeding: bytes, splitAt: cuts) == offset else {
                Issue.record("mismatch on \(bytes) cuts \(cuts): got \(String(describing: offset)), reference \(String(describing: reference))")
                return
            }
        }
        // Both outcomes must be well represented for the comparison to mean anything.
        #expect(invalid > 2_000 && invalid < 18_000)
    }

    @Test func randomValidTextSplitAnywhereStaysValid() {
        var g = Support.Generator(seed: 42)
        let scalars: [Unicode.Scalar] = ["a", "~", "\u{7F}", "é", "κ", "\u{7FF}", "\u{800}", "漢", "\u{D7FF}",
                                         "\u{E000}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "😀", "\u{10FFFF}"]
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...60, using: &g) { text.append(scalars.randomElement(using: &g)!) }
            let bytes = Array(String(text).utf8)
            var v = UTF8Validator()
            var start = 0
            for cut in Support.randomCuts(bytes.count, using: &g) + [bytes.count] {
                #expect(v.validate(bytes[start..<cut]) == nil)
                #expect(v.isInsideSequence == (cut < bytes.count && bytes[cut] & 0xC0 == 0x80))
                start = cut
            }
            #expect(v.finish() == nil)
        }
    }
}
