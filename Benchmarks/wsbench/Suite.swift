/// The whole benchmark, in report order.
enum Suite {
    static func run(_ measurer: inout Measurer) throws -> [Comparison] {
        var rows: [Comparison] = []
        rows.append(try ParsingBenchmarks.smallFrames(&measurer))
        rows.append(try ParsingBenchmarks.largeFrame(size: 64 << 10, label: "64 KiB", &measurer))
        rows.append(try ParsingBenchmarks.largeFrame(size: 16 << 20, label: "16 MiB", &measurer))
        rows += try MaskingBenchmarks.run(size: 64 << 10, label: "64 KiB", memcpyTarget: 0.5, &measurer)
        rows += try MaskingBenchmarks.run(size: 16 << 20, label: "16 MiB", memcpyTarget: nil, &measurer)
        rows += try UTF8Benchmarks.run(text: TextCorpus.ascii(size: 1 << 20), label: "ASCII", &measurer)
        rows += try UTF8Benchmarks.run(text: TextCorpus.mixed(size: 1 << 20), label: "mixed-script", &measurer)
        return rows
    }
}
