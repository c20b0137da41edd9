import NIOCore
import Testing
import WSEngine
import WSRandom

/// Seeded random frame sequences written with `FrameWriter` and parsed back with both parser APIs,
/// the stream split in every possible way (small streams) or at random boundaries (big ones).
@Suite struct FrameRoundTripTests {
    /// A valid frame sequence: data messages of 1–4 fragments with control frames interleaved.
    /// Frames are masked with random keys when the parser plays the server; with `mixMasks`, only
    /// some of them (for a parser that does not enforce the mask direction).
    static func randomFrames(_ rng: inout DeterministicRandom, parserRole: Role, deflate: Bool, mixMasks: Bool = false,
                             messages: Int, sizes: (inout DeterministicRandom) -> Int) -> [Frame] {
        func key(_ rng: inout DeterministicRandom) -> MaskingKey? {
            let masked = mixMasks ? Bool.random(using: &rng) : parserRole == .server
            return masked ? MaskingKey.random(using: &rng) : nil
        }
        func control(_ rng: inout DeterministicRandom) -> Frame {
            let opcode = [Opcode.ping, .pong, .close].randomElement(using: &rng)!
            return Frame(opcode: opcode, maskingKey: key(&rng), bytes: rng.bytes(Int.random(in: 0...125, using: &rng)))
        }
        var frames: [Frame] = []
        for _ in 0..<messages {
            if Int.random(in: 0..<4, using: &rng) == 0 {
                frames.append(control(&rng))
                continue
            }
            let fragments = Int.random(in: 1...4, using: &rng)
            for index in 0..<fragments {
                let first = index == 0
                let opcode: Opcode = first ? (Bool.random(using: &rng) ? .text : .binary) : .continuation
                let rsv: ReservedBits = deflate && first && Bool.random(using: &rng) ? .rsv1 : []
                frames.append(Frame(fin: index == fragments - 1, rsv: rsv, opcode: opcode, maskingKey: key(&rng),
                                    bytes: rng.bytes(sizes(&rng))))
                if index < fragments - 1, Int.random(in: 0..<3, using: &rng) == 0 {
                    frames.append(control(&rng))
                }
            }
        }
        return frames
    }

    static func configuration(_ role: Role, deflate: Bool, mixMasks: Bool = false) -> FrameParser.Configuration {
        FrameParser.Configuration(role: role, allowedReservedBits: deflate ? .rsv1 : [], enforceMaskDirection: !mixMasks)
    }

    static func stream(_ frames: [Frame]) -> [UInt8] {
        var buffer = ByteBuffer()
        for frame in frames { FrameWriter.write(frame, into: &buffer) }
        return buffer.bytes
    }

    /// Both APIs on `chunks` must give exactly `frames`, with a well-formed event sequence.
    static func check(_ chunks: [[UInt8]], _ configuration: FrameParser.Configuration, _ frames: [Frame],
                      _ label: @autoclosure () -> String) {
        let whole = FrameTestDriver.frames(chunks, configuration)
        #expect(whole == FrameParseOutcome(frames: frames), "nextFrame: \(label())")
        let events = FrameTestDriver.events(chunks, configuration)
        #expect(events.outcome == FrameParseOutcome(frames: frames), "nextEvent: \(label())")
        #expect(events.grammarOK, "event grammar: \(label())")
    }

    @Test func smallStreamsSplitAtEveryBoundary() {
        var rng = DeterministicRandom(seed: 0x5EED)
        var totalFrames = 0
        for round in 0..<150 {
            let role: Role = round % 2 == 0 ? .server : .client
            let deflate = round % 3 == 0
            let mixMasks = round % 4 == 0
            // Mostly tiny payloads keep the quadratic every-cut loop quick; some cross 125 (16-bit form).
            let frames = Self.randomFrames(&rng, parserRole: role, deflate: deflate, mixMasks: mixMasks,
                                           messages: 2) { rng in
                Int.random(in: 0..<5, using: &rng) == 0 ? Int.random(in: 100...140, using: &rng)
                    : Int.random(in: 0...20, using: &rng)
            }
            totalFrames += frames.count
            let bytes = Self.stream(frames)
            let configuration = Self.configuration(role, deflate: deflate, mixMasks: mixMasks)
            for cut in 0...bytes.count {
                Self.check([Array(bytes[..<cut]), Array(bytes[cut...])], configuration, frames, "round \(round) cut \(cut)")
            }
            Self.check(bytes.map { [$0] }, configuration, frames, "round \(round) byte by byte")
        }
        #expect(totalFrames >= 600)
    }

    @Test func bigStreamsSplitAtRandomBoundaries() {
        var rng = DeterministicRandom(seed: 0xB16)
        for round in 0..<16 {
            let role: Role = round % 2 == 0 ? .server : .client
            let deflate = round % 3 == 0
            let mixMasks = round % 4 == 0
            let frames = Self.randomFrames(&rng, parserRole: role, deflate: deflate, mixMasks: mixMasks,
                                           messages: 6) { rng in
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: Int.random(in: 65536...70000, using: &rng)      // 64-bit length
                case 1...3: Int.random(in: 126...20000, using: &rng)    // 16-bit length
                default: Int.random(in: 0...125, using: &rng)
                }
            }
            let bytes = Self.stream(frames)
            let configuration = Self.configuration(role, deflate: deflate, mixMasks: mixMasks)
            Self.check([bytes], configuration, frames, "round \(round) whole")
            for attempt in 0..<4 {
                var chunks: [[UInt8]] = []
                var offset = 0
                let maxChunk = [16, 100, 1500, 20000][attempt]
                while offset < bytes.count {
                    let size = min(Int.random(in: 1...maxChunk, using: &rng), bytes.count - offset)
                    chunks.append(Array(bytes[offset..<(offset + size)]))
                    offset += size
                }
                Self.check(chunks, configuration, frames, "round \(round) chunks up to \(maxChunk)")
            }
        }
    }

    @Test func forcedLengthFormsRoundTripWhenMinimalLengthIsNotRequired() throws {
        var rng = DeterministicRandom(seed: 11)
        let configuration = FrameParser.Configuration(role: .server, requireMinimalLength: false)
        for encoding in [LengthEncoding.short, .extended16, .extended64] {
            for length in [0, 1, 5, 125] {
                let frame = Frame(opcode: .binary, maskingKey: .random(using: &rng), bytes: rng.bytes(length))
                var bytes = ByteBuffer()
                FrameWriter.write(frame, violations: .init(lengthEncoding: encoding), into: &bytes)
                var parser = FrameParser(configuration: configuration)
                parser.append(bytes)
                let header = try #require(try parser.nextEvent())
                #expect(header == .header(FrameHeader(opcode: .binary, maskingKey: frame.maskingKey,
                                                      payloadLength: UInt64(length), lengthEncoding: encoding)))
                #expect(FrameTestDriver.frames([bytes.bytes], configuration) == FrameParseOutcome(frames: [frame]))
            }
        }
    }
}
