import NIOCore
import NIOWebSocket
import WSEngine
import WSRandom

/// Item 3: in-place masking, our word-wise `Masking.apply` against NIO's `webSocketMask` byte loop,
/// with a plain memcpy of the same size as the memory-speed yardstick.
enum MaskingBenchmarks {
    static func run(size: Int, label: String, memcpyTarget: Double?,
                    _ measurer: inout Measurer) throws -> [Comparison] {
        var generator = DeterministicRandom(seed: 3)
        let bytes = generator.bytes(size)
        let keyBytes = generator.bytes(4)
        let key = MaskingKey(keyBytes)
        let nioKey = WebSocketMaskingKey(keyBytes)!
        try verify(bytes, key: key, nioKey: nioKey)

        var ourBuffer = ByteBuffer(bytes: bytes)
        var nioBuffer = ByteBuffer(bytes: bytes)
        let copier = RawCopy(bytes)
        let last = size - 1
        let samples = try measurer.measure([
            Contender(name: "Masking.apply", unitsPerIteration: Double(size)) {
                ourBuffer.withUnsafeMutableReadableBytes { Masking.apply(key, to: $0) }
                return UInt64(ourBuffer.getInteger(at: last, as: UInt8.self)!)
            },
            Contender(name: "NIO webSocketMask", unitsPerIteration: Double(size)) {
                nioBuffer.webSocketMask(nioKey)
                return UInt64(nioBuffer.getInteger(at: last, as: UInt8.self)!)
            },
            Contender(name: "memcpy (copyMemory)", unitsPerIteration: Double(size)) { copier.copy() },
        ])
        let id = "mask." + label.filter { $0 != " " }
        return [
            Comparison(id: id + ".nio", title: "mask \(label) in place", unit: .gigabytesPerSecond,
                       ours: samples[0], reference: samples[1], targetRatio: 20),
            Comparison(id: id + ".memcpy", title: "mask \(label) in place", unit: .gigabytesPerSecond,
                       ours: samples[0], reference: samples[2], targetRatio: memcpyTarget),
        ]
    }

    /// Our masking must agree with NIO's on the benchmark bytes, at every key phase.
    private static func verify(_ bytes: [UInt8], key: MaskingKey, nioKey: WebSocketMaskingKey) throws {
        for phase in 0..<4 {
            var ours = ByteBuffer(bytes: bytes)
            var nio = ours
            ours.withUnsafeMutableReadableBytes { Masking.apply(key, to: $0, phase: phase) }
            nio.webSocketMask(nioKey, indexOffset: phase)
            guard ours == nio, ours != ByteBuffer(bytes: bytes) else {
                throw BenchmarkError(description: "Masking.apply disagrees with NIO at phase \(phase)")
            }
        }
    }
}
