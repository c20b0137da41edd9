import NIOCore
import Testing
import WSEngine
import WSRandom

/// RFC 6455 §5.7 examples, the event API, limits, and failure behaviour. Every violation is in
/// `FrameViolationTests`.
@Suite struct FrameParserTests {
    static let client = FrameParser.Configuration(role: .client)
    static let server = FrameParser.Configuration(role: .server)
    static let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// Parses `bytes` whole, byte by byte, and with the event API; all three must agree.
    static func parseAllWays(_ bytes: [UInt8], _ configuration: FrameParser.Configuration) -> FrameParseOutcome {
        let whole = FrameTestDriver.frames([bytes], configuration)
        let split = FrameTestDriver.frames(bytes.map { [$0] }, configuration)
        let events = FrameTestDriver.events(bytes.map { [$0] }, configuration)
        #expect(split == whole)
        #expect(events.outcome == whole)
        #expect(events.grammarOK)
        return whole
    }

    // MARK: RFC 6455 §5.7

    @Test func rfcUnmaskedText() {
        let outcome = Self.parseAllWays(hexBytes("81 05 48 65 6c 6c 6f"), Self.client)
        #expect(outcome.error == nil)
        #expect(outcome.frames == [Frame(opcode: .text, payload: ByteBuffer(string: "Hello"))])
    }

    @Test func rfcMaskedText() {
        let outcome = Self.parseAllWays(hexBytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), Self.server)
        #expect(outcome.error == nil)
        #expect(outcome.frames == [Frame(opcode: .text, maskingKey: Self.key, payload: ByteBuffer(string: "Hello"))])
    }

    @Test func rfcFragmentedUnmaskedText() {
        let outcome = Self.parseAllWays(hexBytes("01 03 48 65 6c 80 02 6c 6f"), Self.client)
        #expect(outcome.error == nil)
        #expect(outcome.frames == [
            Frame(fin: false, opcode: .text, payload: ByteBuffer(string: "Hel")),
            Frame(fin: true, opcode: .continuation, payload: ByteBuffer(string: "lo")),
        ])
    }

    @Test func rfcUnmaskedPingAndMaskedPong() {
        let ping = Self.parseAllWays(hexBytes("89 05 48 65 6c 6c 6f"), Self.client)
        #expect(ping.frames == [Frame(opcode: .ping, payload: ByteBuffer(string: "Hello"))])
        let pong = Self.parseAllWays(hexBytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), Self.server)
        #expect(pong.frames == [Frame(opcode: .pong, maskingKey: Self.key, payload: ByteBuffer(string: "Hello"))])
    }

    @Test func rfc256ByteBinaryWith16BitLength() {
        let payload = (0..<256).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let outcome = Self.parseAllWays(hexBytes("82 7E 01 00") + payload, Self.client)
        #expect(outcome.error == nil)
        #expect(outcome.frames == [Frame(opcode: .binary, bytes: payload)])
    }

    @Test func rfc64KiBBinaryWith64BitLength() {
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 3) }
        let bytes = hexBytes("82 7F 00 00 00 00 00 01 00 00") + payload
        let whole = FrameTestDriver.frames([bytes], Self.client)
        #expect(whole.error == nil)
        #expect(whole.frames == [Frame(opcode: .binary, bytes: payload)])
        let chunked = FrameTestDriver.events(stride(from: 0, to: bytes.count, by: 1000).map {
            Array(bytes[$0..<min($0 + 1000, bytes.count)])
        }, Self.client)
        #expect(chunked.outcome == whole)
        #expect(chunked.chunkCount > 60) // payload really delivered piece by piece
    }

    // MARK: Event API

    @Test func eventsDeliverPartialPayloadUnmaskedAtTheRightPhase() throws {
        let bytes = hexBytes("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        var parser = FrameParser(configuration: Self.server)
        parser.append(ByteBuffer(bytes: bytes[0..<7]))
        #expect(try parser.nextEvent() == .header(FrameHeader(opcode: .text, maskingKey: Self.key, payloadLength: 5)))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(string: "H"), frameComplete: false))
        #expect(try parser.nextEvent() == nil)
        parser.append(ByteBuffer(bytes: bytes[7..<9]))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(string: "el"), frameComplete: false))
        parser.append(ByteBuffer(bytes: bytes[9...]))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(string: "lo"), frameComplete: true))
        #expect(try parser.nextEvent() == nil)
        #expect(parser.streamOffset == 11 && parser.bufferedBytes == 0)
    }

    @Test func eventsEndAnEmptyFrameWithOneEmptyCompleteChunk() throws {
        var parser = FrameParser(configuration: Self.client)
        parser.append(hexBytes("89 00 8a 00"))
        #expect(try parser.nextEvent() == .header(FrameHeader(opcode: .ping, payloadLength: 0)))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(), frameComplete: true))
        #expect(try parser.nextEvent() == .header(FrameHeader(opcode: .pong, payloadLength: 0)))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(), frameComplete: true))
        #expect(try parser.nextEvent() == nil)
    }

    @Test func eventsReportTheLengthEncodingAsOnTheWire() throws {
        var parser = FrameParser(configuration: FrameParser.Configuration(role: .client, requireMinimalLength: false))
        parser.append(hexBytes("82 7E 00 02 AA BB"))
        let expected = FrameHeader(opcode: .binary, payloadLength: 2, lengthEncoding: .extended16)
        #expect(try parser.nextEvent() == .header(expected))
    }

    // MARK: Limits without allocation

    @Test func hugeAnnouncedFrameFailsAtTheHeader() throws {
        var parser = FrameParser(configuration: Self.client)
        parser.append(hexBytes("82 7F 40 00 00 00 00 00 00 00"))
        let error = try #require(throws: ProtocolError.self) { try parser.nextFrame() }
        #expect(error == ProtocolError(.frameTooLarge(length: 1 << 62, limit: 64 << 20), offset: 2))
        #expect(error.closeCode == .messageTooBig)
        #expect(parser.bufferedBytes == 0)
    }

    @Test func hugeFrameWithinAHugeLimitStreamsWithoutBufferingTheWhole() throws {
        let configuration = FrameParser.Configuration(role: .client, maxFrameSize: .max, maxMessageSize: .max)
        var parser = FrameParser(configuration: configuration)
        parser.append(hexBytes("82 7F 40 00 00 00 00 00 00 00"))
        #expect(try parser.nextEvent() == .header(FrameHeader(opcode: .binary, payloadLength: 1 << 62)))
        #expect(try parser.nextEvent() == nil)
        parser.append([UInt8](repeating: 9, count: 100))
        #expect(try parser.nextEvent() == .payload(ByteBuffer(repeating: 9, count: 100), frameComplete: false))
        #expect(parser.bufferedBytes == 0)
    }

    @Test func wholeFrameAPICapsTheLimitAtWhatABufferHolds() throws {
        let configuration = FrameParser.Configuration(role: .client, maxFrameSize: .max, maxMessageSize: .max)
        var parser = FrameParser(configuration: configuration)
        parser.append(hexBytes("82 7F 40 00 00 00 00 00 00 00"))
        let error = try #require(throws: ProtocolError.self) { try parser.nextFrame() }
        #expect(error.violation == .frameTooLarge(length: 1 << 62, limit: FrameParser.maximumWholeFrameSize))
    }

    // MARK: Failure and bookkeeping

    @Test func failureIsSticky() throws {
        var parser = FrameParser(configuration: Self.client)
        parser.append(hexBytes("81 05 48 65 6c 6c 6f 83 00 81 00"))
        #expect(try parser.nextFrame() == Frame(opcode: .text, payload: ByteBuffer(string: "Hello")))
        let expected = ProtocolError(.reservedOpcode(Opcode(rawValue: 3)), offset: 7)
        #expect(throws: expected) { try parser.nextFrame() }
        #expect(parser.failure == expected)
        parser.append(hexBytes("81 00"))
        #expect(parser.bufferedBytes == 0)
        #expect(throws: expected) { try parser.nextFrame() }
        #expect(throws: expected) { try parser.nextFrame() }
    }

    @Test func offsetsAndBufferCountsFollowTheStream() throws {
        var parser = FrameParser(configuration: Self.client)
        parser.append(hexBytes("81 05 48 65"))
        #expect(try parser.nextFrame() == nil)
        #expect(parser.streamOffset == 0 && parser.bufferedBytes == 4)
        parser.append(hexBytes("6c 6c 6f 01 01"))
        #expect(try parser.nextFrame() != nil)
        #expect(parser.streamOffset == 7 && parser.bufferedBytes == 2)
        #expect(try parser.nextFrame() == nil)
        #expect(parser.isInsideFragmentedMessage == false)
        parser.append(hexBytes("41"))
        #expect(try parser.nextFrame() == Frame(fin: false, opcode: .text, bytes: [0x41]))
        #expect(parser.isInsideFragmentedMessage)
        #expect(parser.streamOffset == 10 && parser.bufferedBytes == 0)
    }

    @Test func appendOverloadsAgree() throws {
        let bytes = hexBytes("81 85 37 fa 21 3d 7f 9f 4d 51 58")
        var a = FrameParser(configuration: Self.server)
        var b = FrameParser(configuration: Self.server)
        var c = FrameParser(configuration: Self.server)
        a.append(ByteBuffer(bytes: bytes))
        bytes.withUnsafeBytes { b.append($0) }
        c.append(bytes[...])
        let frame = try a.nextFrame()
        #expect(frame != nil)
        #expect(try b.nextFrame() == frame)
        #expect(try c.nextFrame() == frame)
    }

    @Test func longStreamIsConsumedAcrossManyChunks() throws {
        // 20,000 masked frames arriving in chunks that end mid-frame exercise buffer compaction.
        let frame = FrameWriter.bytes(Frame(opcode: .binary, maskingKey: Self.key, bytes: [UInt8](repeating: 0x5A, count: 100)))
        var stream = ByteBuffer()
        for _ in 0..<20_000 { stream.writeImmutableBuffer(frame) }
        var parser = FrameParser(configuration: Self.server)
        var count = 0
        while let chunk = stream.readSlice(length: min(4999, stream.readableBytes)), chunk.readableBytes > 0 {
            parser.append(chunk)
            while let parsed = try parser.nextFrame() {
                #expect(parsed.payload.readableBytes == 100)
                count += 1
            }
            #expect(parser.bufferedBytes < frame.readableBytes)
        }
        #expect(count == 20_000)
        #expect(parser.streamOffset == 20_000 * frame.readableBytes)
    }
}

/// Masked payloads are unmasked in place in the parser's buffer, several frames ahead, and handed
/// out as slices of it; these pin down that the sharing never shows.
@Suite struct FrameParserSharedPayloadTests {
    static func masked(_ opcode: Opcode, fin: Bool = true, _ payload: [UInt8], key: MaskingKey) -> [UInt8] {
        FrameWriter.bytes(Frame(fin: fin, opcode: opcode, maskingKey: key, bytes: payload)).bytes
    }

    @Test func framesAroundAndAboveTheSharedBufferSizeComeOutIntact() {
        var rng = DeterministicRandom(seed: 21)
        let payloads = [40_000, 40_000, 100_000, 3, 0, 70_000].map { rng.bytes($0) }
        let frames = payloads.map { Frame(opcode: .binary, maskingKey: .random(using: &rng), bytes: $0) }
        var stream: [UInt8] = []
        for frame in frames { stream += FrameWriter.bytes(frame).bytes }
        let outcome = FrameTestDriver.frames([stream], .init(role: .server))
        #expect(outcome == FrameParseOutcome(frames: frames))
    }

    @Test func writingIntoOnePayloadLeavesTheOthersAlone() throws {
        let key = MaskingKey(1, 2, 3, 4)
        var parser = FrameParser(configuration: .init(role: .server))
        parser.append(Self.masked(.binary, [1, 2, 3], key: key) + Self.masked(.binary, [4, 5, 6], key: key))
        var first = try #require(try parser.nextFrame())
        first.payload.writeBytes([9, 9, 9, 9])
        first.payload.setBytes([0, 0, 0], at: first.payload.readerIndex)
        let second = try #require(try parser.nextFrame())
        #expect(second.payload.bytes == [4, 5, 6])
        #expect(first.payload.bytes == [0, 0, 0, 9, 9, 9, 9])
    }

    @Test func raisingTheFrameLimitBetweenFramesTakesEffect() throws {
        let key = MaskingKey(7, 7, 7, 7)
        var parser = FrameParser(configuration: .init(role: .server, maxFrameSize: 5))
        parser.append(Self.masked(.binary, [1, 2, 3, 4, 5], key: key) + Self.masked(.binary, Array(1...10), key: key))
        #expect(try parser.nextFrame()?.payload.bytes == [1, 2, 3, 4, 5])
        parser.configuration.maxFrameSize = 100
        #expect(try parser.nextFrame()?.payload.bytes == Array(1...10))
    }

    @Test func loweringTheFrameLimitBetweenFramesTakesEffect() throws {
        let key = MaskingKey(7, 7, 7, 7)
        var parser = FrameParser(configuration: .init(role: .server))
        parser.append(Self.masked(.binary, [1, 2, 3, 4, 5], key: key) + Self.masked(.binary, Array(1...10), key: key))
        #expect(try parser.nextFrame()?.payload.bytes == [1, 2, 3, 4, 5])
        parser.configuration.maxFrameSize = 5
        #expect(throws: ProtocolError(.frameTooLarge(length: 10, limit: 5), offset: 12)) { try parser.nextFrame() }
    }

    @Test func maskedAndUnmaskedFramesInterleavedWithoutMaskEnforcement() {
        let key = MaskingKey(0xA, 0xB, 0xC, 0xD)
        let stream = Self.masked(.text, fin: false, [1, 2], key: key) + [0x89, 0x01, 0x33]
            + Self.masked(.continuation, [3], key: key) + [0x82, 0x02, 0x44, 0x55] + Self.masked(.pong, [], key: key)
        let expected = [
            Frame(fin: false, opcode: .text, maskingKey: key, bytes: [1, 2]),
            Frame(opcode: .ping, bytes: [0x33]),
            Frame(opcode: .continuation, maskingKey: key, bytes: [3]),
            Frame(opcode: .binary, bytes: [0x44, 0x55]),
            Frame(opcode: .pong, maskingKey: key),
        ]
        let configuration = FrameParser.Configuration(role: .server, enforceMaskDirection: false)
        #expect(FrameTestDriver.frames([stream], configuration) == FrameParseOutcome(frames: expected))
        #expect(FrameTestDriver.events([stream], configuration).outcome == FrameParseOutcome(frames: expected))
    }

    /// Small buffers are copied, large ones adopted (shared with the caller): either way the
    /// caller's bytes stay masked.
    @Test(arguments: [5, 5000])
    func theCallersBufferKeepsItsMaskedBytes(firstPayload: Int) throws {
        let key = MaskingKey(0x11, 0x22, 0x33, 0x44)
        let first = (0..<firstPayload).map { UInt8(truncatingIfNeeded: $0) }
        let wire = ByteBuffer(bytes: Self.masked(.binary, first, key: key) + Self.masked(.text, Array("hi".utf8), key: key))
        let before = wire.bytes
        for events in [false, true] {
            var parser = FrameParser(configuration: .init(role: .server))
            parser.append(wire)
            if events {
                var chunks: [[UInt8]] = []
                while let event = try parser.nextEvent() {
                    if case let .payload(chunk, _) = event { chunks.append(chunk.bytes) }
                }
                #expect(chunks == [first, Array("hi".utf8)])
            } else {
                #expect(try parser.nextFrame()?.payload.bytes == first)
                #expect(try parser.nextFrame()?.payload.bytes == Array("hi".utf8))
            }
            #expect(wire.bytes == before, "the appended buffer was unmasked under the caller")
        }
    }

    @Test func chunksHeldAcrossAppendsStayIntact() throws {
        // A frame split inside its payload, then the rest with two more frames: the held chunks of
        // the first must not change when the parser unmasks what arrives later.
        var rng = DeterministicRandom(seed: 5)
        let payloads = [rng.bytes(300), rng.bytes(7), rng.bytes(64)]
        let stream = payloads.flatMap { Self.masked(.binary, $0, key: .random(using: &rng)) }
        for cut in [1, 2, 6, 7, 100, 306, 307, 320, stream.count - 1] {
            var parser = FrameParser(configuration: .init(role: .server))
            var held: [ByteBuffer] = []
            for part in [stream[..<cut], stream[cut...]] {
                parser.append(ByteBuffer(bytes: part))
                while let event = try parser.nextEvent() {
                    if case let .payload(chunk, _) = event { held.append(chunk) }
                }
            }
            var joined: [UInt8] = []
            for chunk in held { joined += chunk.bytes }
            #expect(joined == payloads.flatMap { $0 }, "cut at \(cut)")
        }
    }

    @Test func resetStartsANewStreamAndHeldPayloadsSurvive() throws {
        let key = MaskingKey(9, 8, 7, 6)
        var parser = FrameParser(configuration: .init(role: .server))
        parser.append(Self.masked(.binary, [1, 2, 3], key: key) + Self.masked(.text, fin: false, Array("ab".utf8), key: key))
        let held = try #require(try parser.nextFrame())
        #expect(parser.isInsideFragmentedMessage == false)
        _ = try parser.nextFrame()
        #expect(parser.isInsideFragmentedMessage)
        // A failure, then a reset: the next stream starts clean, with the new configuration.
        parser.append([0x83, 0x80, 0, 0, 0, 0]) // reserved opcode
        #expect(throws: ProtocolError.self) { try parser.nextFrame() }
        #expect(parser.bufferedBytes == 0)
        parser.reset(configuration: .init(role: .client))
        #expect(parser.failure == nil && parser.streamOffset == 0 && parser.bufferedBytes == 0 && !parser.isInsideFragmentedMessage)
        parser.append([0x81, 0x02, 0x68, 0x69]) // unmasked text: fine for a client, not for a server
        #expect(try parser.nextFrame()?.payload.bytes == Array("hi".utf8))
        #expect(held.payload.bytes == [1, 2, 3], "a payload handed out before the reset")
        // A parser driven by one API may use the other after a reset.
        parser.reset(configuration: .init(role: .client))
        parser.append([0x82, 0x01, 0x07])
        #expect(try parser.nextEvent() == .header(FrameHeader(opcode: .binary, payloadLength: 1)))
    }

    /// `reset` sets every piece of state: from any point of a stream, a reset parser reads a new
    /// stream exactly as a fresh one does (masked frames unmasked once, no leftover payload or
    /// message state, either API).
    @Test func resetFromAnyStateMatchesAFreshParser() throws {
        let key = MaskingKey(0x11, 0x22, 0x33, 0x44)
        let first = Self.masked(.text, fin: false, Array("abcdef".utf8), key: key)
            + Self.masked(.continuation, [1, 2, 3, 4, 5], key: key) + Self.masked(.binary, Array(repeating: 9, count: 40), key: key)
        let second = Self.masked(.binary, [7, 6, 5], key: key) + Self.masked(.continuation, [1], key: key)
        func events(_ parser: inout FrameParser, _ bytes: [UInt8]) -> [String] {
            parser.append(bytes)
            var out: [String] = []
            do { while let event = try parser.nextEvent() { out.append("\(event)") } } catch { out.append("\(error)") }
            return out
        }
        func frames(_ parser: inout FrameParser, _ bytes: [UInt8]) -> [String] {
            parser.append(bytes)
            var out: [String] = []
            do { while let frame = try parser.nextFrame() { out.append("\(frame.header) \(frame.payload.bytes)") } } catch { out.append("\(error)") }
            return out
        }
        let configuration = FrameParser.Configuration(role: .server)
        for (eventsBefore, eventsAfter) in [(false, false), (false, true), (true, false), (true, true)] {
            // Stop the first stream after each of its bytes: mid-header, mid-payload, with frames
            // unmasked ahead, inside the fragmented message, after a failure (the last cut).
            for cut in 1...(first.count + 1) {
                var parser = FrameParser(configuration: configuration)
                let prefix = cut <= first.count ? Array(first[..<cut]) : first + [0x83, 0x80, 0, 0, 0, 0]
                _ = eventsBefore ? events(&parser, prefix) : frames(&parser, prefix)
                parser.reset(configuration: configuration)
                var fresh = FrameParser(configuration: configuration)
                let expected = eventsAfter ? events(&fresh, second) : frames(&fresh, second)
                #expect((eventsAfter ? events(&parser, second) : frames(&parser, second)) == expected,
                        "cut \(cut), events before: \(eventsBefore), after: \(eventsAfter)")
                #expect(parser.streamOffset == fresh.streamOffset && parser.isInsideFragmentedMessage == fresh.isInsideFragmentedMessage)
            }
        }
    }
}
