import NIOCore
import Testing
import WSEngine
import WSRandom

@Suite struct FrameWriterTests {
    static let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
    static let hello = ByteBuffer(string: "Hello")

    static func written(_ frame: Frame, _ violations: FrameViolations = .none) -> [UInt8] {
        FrameWriter.bytes(frame, violations: violations).bytes
    }

    // MARK: RFC 6455 §5.7

    @Test func rfcExamples() {
        #expect(Self.written(Frame(opcode: .text, payload: Self.hello)) == hexBytes("81 05 48 65 6c 6c 6f"))
        #expect(Self.written(Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello))
            == hexBytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"))
        #expect(Self.written(Frame(fin: false, opcode: .text, payload: ByteBuffer(string: "Hel")))
            == hexBytes("01 03 48 65 6c"))
        #expect(Self.written(Frame(opcode: .continuation, payload: ByteBuffer(string: "lo"))) == hexBytes("80 02 6c 6f"))
        #expect(Self.written(Frame(opcode: .ping, payload: Self.hello)) == hexBytes("89 05 48 65 6c 6c 6f"))
        #expect(Self.written(Frame(opcode: .pong, maskingKey: Self.key, payload: Self.hello))
            == hexBytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test func rfcExtendedLengths() {
        let small = [UInt8](repeating: 0xAB, count: 256)
        #expect(Self.written(Frame(opcode: .binary, bytes: small)) == hexBytes("82 7E 01 00") + small)
        let big = [UInt8](repeating: 0xCD, count: 65536)
        #expect(Self.written(Frame(opcode: .binary, bytes: big)) == hexBytes("82 7F 00 00 00 00 00 01 00 00") + big)
        #expect(Self.written(Frame(opcode: .binary, bytes: [UInt8](repeating: 1, count: 125))).prefix(2) == [0x82, 0x7D])
        #expect(Self.written(Frame(opcode: .binary, bytes: [UInt8](repeating: 1, count: 126))).prefix(4)
            == [0x82, 0x7E, 0x00, 0x7E])
        #expect(Self.written(Frame(opcode: .binary, bytes: [UInt8](repeating: 1, count: 65535))).prefix(4)
            == [0x82, 0x7E, 0xFF, 0xFF])
    }

    @Test func anyFinRsvAndOpcodeAsGiven() {
        let frame = Frame(fin: false, rsv: [.rsv1, .rsv2, .rsv3], opcode: Opcode(rawValue: 0xB))
        #expect(Self.written(frame) == [0x7B, 0x00])
        let rsv2 = Frame(fin: true, rsv: .rsv2, opcode: Opcode(rawValue: 0x5), bytes: [0xEE])
        #expect(Self.written(rsv2) == [0xA5, 0x01, 0xEE])
    }

    // MARK: Violations (hand-computed vectors)

    @Test func forcedLengthForms() {
        let frame = Frame(opcode: .text, payload: Self.hello)
        #expect(Self.written(frame, .init(lengthEncoding: .extended16)) == hexBytes("81 7E 00 05 48 65 6c 6c 6f"))
        #expect(Self.written(frame, .init(lengthEncoding: .extended64))
            == hexBytes("81 7F 00 00 00 00 00 00 00 05 48 65 6c 6c 6f"))
        let masked = Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello)
        #expect(Self.written(masked, .init(lengthEncoding: .extended16))
            == hexBytes("81 FE 00 05 37 fa 21 3d 7f 9f 4d 51 58"))
    }

    @Test func declaredLengths() {
        let frame = Frame(opcode: .text, payload: Self.hello)
        #expect(Self.written(frame, .init(declaredLength: 3)) == hexBytes("81 03 48 65 6c 6c 6f"))
        #expect(Self.written(frame, .init(declaredLength: 300)) == hexBytes("81 7E 01 2C 48 65 6c 6c 6f"))
        #expect(Self.written(frame, .init(lengthEncoding: .extended64, declaredLength: 7))
            == hexBytes("81 7F 00 00 00 00 00 00 00 07 48 65 6c 6c 6f"))
        let empty = Frame(opcode: .binary)
        #expect(Self.written(empty, .init(declaredLength: 1 << 63)) == hexBytes("82 7F 80 00 00 00 00 00 00 00"))
        #expect(Self.written(empty, .init(declaredLength: .max)) == hexBytes("82 7F FF FF FF FF FF FF FF FF"))
    }

    @Test func maskBitWithoutKey() {
        let masked = Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello)
        #expect(Self.written(masked, .init(maskBitWithoutKey: true)) == hexBytes("81 85 48 65 6c 6c 6f"))
        let unmasked = Frame(opcode: .text, payload: Self.hello)
        #expect(Self.written(unmasked, .init(maskBitWithoutKey: true)) == hexBytes("81 85 48 65 6c 6c 6f"))
    }

    @Test func maskKeyWithoutBit() throws {
        let masked = Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello)
        #expect(Self.written(masked, .init(maskKeyWithoutBit: true)) == hexBytes("81 05 37 fa 21 3d 7f 9f 4d 51 58"))
        // Without a key of its own the frame gets a random one; unmasking with it restores the payload.
        let out = Self.written(Frame(opcode: .text, payload: Self.hello), .init(maskKeyWithoutBit: true))
        try #require(out.count == 11)
        #expect(Array(out.prefix(2)) == [0x81, 0x05])
        var payload = ByteBuffer(bytes: out.suffix(5))
        payload.applyMask(MaskingKey(out[2...5]))
        #expect(payload == Self.hello)
    }

    @Test func combinedViolations() {
        let frame = Frame(opcode: .binary, maskingKey: MaskingKey(1, 2, 3, 4), bytes: [0x10, 0x20])
        let violations = FrameViolations(lengthEncoding: .extended16, declaredLength: 1, maskKeyWithoutBit: true)
        #expect(Self.written(frame, violations) == hexBytes("82 7E 00 01 01 02 03 04 11 22"))
    }

    // MARK: Streaming and immutability

    @Test func headerThenPayloadPiecesEqualsWholeFrame() {
        let payload = ByteBuffer(bytes: (0..<1000).map { UInt8(truncatingIfNeeded: $0) })
        let frame = Frame(opcode: .binary, maskingKey: Self.key, payload: payload)
        var streamed = ByteBuffer()
        let key = FrameWriter.writeHeader(frame.header, into: &streamed)
        #expect(key == Self.key)
        var rest = payload
        var offset = 0
        for size in [1, 2, 3, 7, 100, 887] {
            FrameWriter.writePayload(rest.readSlice(length: size)!, maskingKey: key, phase: offset % 4, into: &streamed)
            offset += size
        }
        #expect(streamed == FrameWriter.bytes(frame))
    }

    @Test(arguments: [
        FrameViolations.none, FrameViolations(lengthEncoding: .extended16), FrameViolations(lengthEncoding: .extended64),
        FrameViolations(declaredLength: 1 << 63), FrameViolations(maskBitWithoutKey: true),
        FrameViolations(lengthEncoding: .extended16, declaredLength: 1, maskKeyWithoutBit: true),
    ])
    func headerIntoRawMemoryIsTheSameAsIntoABuffer(violations: FrameViolations) {
        for (length, key) in [(0, nil), (5, Self.key), (125, Self.key), (126, nil), (65_535, Self.key), (65_536, nil)] as [(UInt64, MaskingKey?)] {
            // Skip what the writer refuses (a length its forced form cannot hold) and what it draws at
            // random (a key for maskKeyWithoutBit when the header has none).
            if violations.lengthEncoding == .extended16 && (violations.declaredLength ?? length) > 0xFFFF { continue }
            if violations.maskKeyWithoutBit && key == nil { continue }
            let header = FrameHeader(fin: length % 2 == 0, rsv: .rsv1, opcode: .binary, maskingKey: key, payloadLength: length)
            var buffer = ByteBuffer()
            let bufferKey = FrameWriter.writeHeader(header, violations: violations, into: &buffer)
            var raw = [UInt8](repeating: 0xEE, count: FrameWriter.maximumHeaderLength)
            let written = raw.withUnsafeMutableBytes { FrameWriter.writeHeader(header, violations: violations, to: $0) }
            #expect(Array(raw.prefix(written.count)) == buffer.bytes, "\(header), \(violations)")
            #expect(raw.dropFirst(written.count).allSatisfy { $0 == 0xEE }, "nothing written past the header")
            #expect(written.key == bufferKey)
        }
    }

    @Test func writingDoesNotMutateThePayload() {
        var payload = ByteBuffer(bytes: [9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        payload.moveReaderIndex(forwardBy: 2)
        let frame = Frame(opcode: .binary, maskingKey: Self.key, payload: payload)
        var out = ByteBuffer()
        FrameWriter.write(frame, into: &out)
        #expect(frame.payload.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(payload.bytes == [1, 2, 3, 4, 5, 6, 7, 8, 9])
        #expect(out.readableBytes == 2 + 4 + 9)
    }

    @Test func writesAppendToExistingBytes() {
        var out = ByteBuffer(bytes: [0xEE])
        FrameWriter.write(Frame(opcode: .ping), into: &out)
        FrameWriter.write(Frame(opcode: .pong, bytes: [1]), into: &out)
        #expect(out.bytes == [0xEE, 0x89, 0x00, 0x8A, 0x01, 0x01])
    }

    // MARK: FrameEncoder

    @Test func clientEncoderMasksWithAFreshKeyFromTheGenerator() throws {
        let encoder = FrameEncoder(role: .client)
        var rng = DeterministicRandom(seed: 7)
        var expectedKeys = DeterministicRandom(seed: 7)
        var out = ByteBuffer()
        encoder.encode(Frame(opcode: .text, payload: Self.hello), using: &rng, into: &out)
        encoder.encode(Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello), using: &rng, into: &out)
        let first = MaskingKey.random(using: &expectedKeys), second = MaskingKey.random(using: &expectedKeys)
        #expect(first != second)
        let outcome = FrameTestDriver.frames([out.bytes], .init(role: .server))
        #expect(outcome.error == nil)
        #expect(outcome.frames == [
            Frame(opcode: .text, maskingKey: first, payload: Self.hello),
            Frame(opcode: .text, maskingKey: second, payload: Self.hello),
        ])
    }

    @Test func clientEncoderWithSystemRandomnessProducesValidMaskedFrames() {
        var out = ByteBuffer()
        for _ in 0..<3 { FrameEncoder(role: .client).encode(Frame(opcode: .binary, bytes: [1, 2, 3]), into: &out) }
        let outcome = FrameTestDriver.frames([out.bytes], .init(role: .server))
        #expect(outcome.error == nil)
        #expect(outcome.frames.count == 3)
        #expect(outcome.frames.allSatisfy { $0.payload.bytes == [1, 2, 3] && $0.maskingKey != nil })
    }

    @Test func serverEncoderNeverMasks() {
        var out = ByteBuffer()
        FrameEncoder(role: .server).encode(Frame(opcode: .text, maskingKey: Self.key, payload: Self.hello), into: &out)
        #expect(out.bytes == hexBytes("81 05 48 65 6c 6c 6f"))
    }
}
