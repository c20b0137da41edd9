/// The whole benchmark, in report order, as named groups of rows measured together.
enum Suite {
    struct Group {
        /// Matched by `--filter`; also the prefix of the group's row ids.
        var name: String
        var run: (inout Measurer) throws -> [Comparison]
    }

    static var groups: [Group] {[
        Group(name: "parse.125B") { [try ParsingBenchmarks.smallFrames(&$0)] },
        Group(name: "parse.64KiB") { [try ParsingBenchmarks.largeFrame(size: 64 << 10, label: "64 KiB", &$0)] },
        Group(name: "parse.16MiB") { [try ParsingBenchmarks.largeFrame(size: 16 << 20, label: "16 MiB", &$0)] },
        Group(name: "mask.64KiB") {
            try MaskingBenchmarks.run(size: 64 << 10, label: "64 KiB", memcpyTarget: 0.5, &$0)
        },
        Group(name: "mask.16MiB") {
            try MaskingBenchmarks.run(size: 16 << 20, label: "16 MiB", memcpyTarget: nil, &$0)
        },
        Group(name: "utf8.ascii") {
            try UTF8Benchmarks.run(text: TextCorpus.ascii(size: 1 << 20), label: "ASCII", &$0)
        },
        Group(name: "utf8.mixed") {
            try UTF8Benchmarks.run(text: TextCorpus.mixed(size: 1 << 20), label: "mixed-script", &$0)
        },
    ]}

    /// Runs the groups whose name contains `filter` (all of them when it is nil).
    static func run(_ measurer: inout Measurer, filter: String?) throws -> [Comparison] {
        let selected = groups.filter { group in filter.map(group.name.contains) ?? true }
        guard !selected.isEmpty else {
            throw BenchmarkError(description: "no benchmark group matches '\(filter ?? "")'")
        }
        var rows: [Comparison] = []
        for group in selected {
            rows += try group.run(&measurer)
        }
        return rows
    }
}
