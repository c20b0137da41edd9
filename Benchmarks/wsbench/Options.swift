/// Command-line options of `wsbench`.
struct Options {
    /// Short run: fewer and shorter repetitions, for a smoke test rather than figures to publish.
    var quick = false
    /// Print one JSON document instead of the table.
    var json = false
    /// Run only the groups whose name contains this (e.g. "parse", "mask.64KiB", "utf8").
    var filter: String?

    static let usage = """
        usage: wsbench [--quick] [--json] [--filter TEXT]
          --quick          short run (about 0.03 s per repetition instead of 0.3 s)
          --json           machine-readable output on stdout
          --filter TEXT    only the groups whose name contains TEXT: parse.125B, parse.64KiB,
                           parse.16MiB, mask.64KiB, mask.16MiB, utf8.ascii, utf8.mixed
        Build and run in release mode: swift run -c release wsbench
        """

    enum ParseOutcome {
        case run(Options)
        case help
        case invalid(String)
    }

    static func parse(_ arguments: some Sequence<String>) -> ParseOutcome {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "--filter":
                guard let text = iterator.next() else { return .invalid("--filter needs a value") }
                options.filter = text
            case "-h", "--help": return .help
            default: return .invalid("unknown argument '\(argument)'")
            }
        }
        return .run(options)
    }

    /// Measurement settings the options select.
    var settings: MeasurementSettings {
        quick
            ? MeasurementSettings(warmUpSeconds: 0.01, targetSeconds: 0.03, repetitions: 5)
            : MeasurementSettings(warmUpSeconds: 0.1, targetSeconds: 0.3, repetitions: 7)
    }
}
