import WSEngine

/// Item 4: UTF-8 validation, our `UTF8Validator` (one call, and fed in 1400-byte chunks as text
/// arrives in TCP segments) against the standard library's `String(validating:as:)`.
enum UTF8Benchmarks {
    static let chunkSize = 1400

    static func run(text: [UInt8], label: String, _ measurer: inout Measurer) throws -> [Comparison] {
        guard #available(macOS 15, *) else {
            throw BenchmarkError(description: "String(validating:as:) needs macOS 15")
        }
        guard oneCall(text) == 0, chunked(text) == 0, String(validating: text, as: UTF8.self) != nil else {
            throw BenchmarkError(description: "the \(label) text was not found valid")
        }
        // A validator that accepts everything would look fast: one bad byte must be caught, in place.
        var corrupted = text
        let bad = text.count / 2 + 3
        corrupted[bad] = 0xFF
        guard oneCall(corrupted) == UInt64(bad) + 1, chunked(corrupted) == UInt64(bad) + 1,
              String(validating: corrupted, as: UTF8.self) == nil else {
            throw BenchmarkError(description: "a 0xFF byte in the \(label) text was not caught")
        }
        let size = Double(text.count)
        let samples = try measurer.measure([
            Contender(name: "UTF8Validator", unitsPerIteration: size) { UInt64(text.count) &+ oneCall(text) },
            Contender(name: "UTF8Validator", unitsPerIteration: size) { UInt64(text.count) &+ chunked(text) },
            Contender(name: "String(validating:as:)", unitsPerIteration: size) {
                UInt64(String(validating: text, as: UTF8.self)?.utf8.count ?? 0)
            },
        ])
        let id = "utf8." + label.lowercased(), title = "UTF-8 validate 1 MiB \(label)"
        return [
            Comparison(id: id + ".whole", title: title + ", one call", unit: .gigabytesPerSecond,
                       ours: samples[0], reference: samples[2], targetRatio: 1),
            Comparison(id: id + ".chunked", title: title + ", \(chunkSize) B chunks", unit: .gigabytesPerSecond,
                       ours: samples[1], reference: samples[2], targetRatio: 1),
        ]
    }

    /// 0 when `text` is valid, else 1 + the failure offset.
    private static func oneCall(_ text: [UInt8]) -> UInt64 {
        var validator = UTF8Validator()
        let failure = text.withUnsafeBytes { validator.validate($0) } ?? validator.finish()
        return failure.map { UInt64($0) + 1 } ?? 0
    }

    /// Same as `oneCall`, feeding `chunkSize` bytes per call.
    private static func chunked(_ text: [UInt8]) -> UInt64 {
        var validator = UTF8Validator()
        let failure: Int? = text.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + chunkSize, all.count)
                if let offset = validator.validate(UnsafeRawBufferPointer(rebasing: all[start..<end])) {
                    return offset
                }
                start = end
            }
            return nil
        }
        return (failure ?? validator.finish()).map { UInt64($0) + 1 } ?? 0
    }
}
