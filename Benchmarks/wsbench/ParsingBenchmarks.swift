import NIOCore
import WSRandom

/// Items 1 and 2: decoding masked client frames, ours (`FrameParser.nextFrame()`) against SwiftNIO's
/// `WebSocketFrameDecoder` + `unmaskedData` on the very same bytes.
enum ParsingBenchmarks {
    /// Many small frames: 1000 frames of 125 bytes per append, so per-frame overhead dominates.
    static func smallFrames(_ measurer: inout Measurer) throws -> Comparison {
        let frameCount = 1000, payloadSize = 125
        var generator = DeterministicRandom(seed: 1)
        let payload = generator.bytes(payloadSize)
        let stream = WireFrames.maskedStream(count: frameCount, payload: payload, generator: &generator)
        try verify(stream, expected: Array(repeating: payload, count: frameCount), maxFrameSize: payloadSize)

        let ours = EngineDecoder(maxFrameSize: UInt64(payloadSize))
        let nio = NIODecoder(maxFrameSize: 1 << 14)
        let samples = try measurer.measure([
            Contender(name: "FrameParser", unitsPerIteration: Double(frameCount)) { try ours.decode(stream) },
            Contender(name: "NIO WebSocketFrameDecoder", unitsPerIteration: Double(frameCount)) {
                try nio.decode(stream)
            },
        ])
        return Comparison(id: "parse.125B", title: "parse+unmask 125 B frames, 1000/append",
                          unit: .framesPerSecond, ours: samples[0], reference: samples[1], targetRatio: 5)
    }

    /// One large frame per append: throughput of header handling plus unmasking.
    static func largeFrame(size: Int, label: String, _ measurer: inout Measurer) throws -> Comparison {
        var generator = DeterministicRandom(seed: UInt64(size))
        let payload = generator.bytes(size)
        let stream = WireFrames.maskedStream(count: 1, payload: payload, generator: &generator)
        try verify(stream, expected: [payload], maxFrameSize: size)

        let ours = EngineDecoder(maxFrameSize: UInt64(size))
        let nio = NIODecoder(maxFrameSize: size)
        let samples = try measurer.measure([
            Contender(name: "FrameParser", unitsPerIteration: Double(size)) { try ours.decode(stream) },
            Contender(name: "NIO WebSocketFrameDecoder", unitsPerIteration: Double(size)) { try nio.decode(stream) },
        ])
        return Comparison(id: "parse." + label.filter { $0 != " " }, title: "parse+unmask one \(label) frame",
                          unit: .gigabytesPerSecond, ours: samples[0], reference: samples[1])
    }

    /// Both decoders must return exactly the original payloads before their speed means anything.
    private static func verify(_ stream: ByteBuffer, expected: [[UInt8]], maxFrameSize: Int) throws {
        let wanted = expected.map { ByteBuffer(bytes: $0) }
        let ours = try EngineDecoder(maxFrameSize: UInt64(maxFrameSize)).payloads(stream)
        let nio = try NIODecoder(maxFrameSize: max(maxFrameSize, 1 << 14)).payloads(stream)
        guard ours == wanted else { throw BenchmarkError(description: "FrameParser decoded wrong payloads") }
        guard nio == wanted else { throw BenchmarkError(description: "NIO decoded wrong payloads") }
    }
}
