/// Command-line options of `wsbench`.
struct Options {
    /// Short run: fewer and shorter repetitions, for a smoke test rather than figures to publish.
    var quick = false
    /// Print one JSON document instead of the table.
    var json = false

    static let usage = """
        usage: wsbench [--quick] [--json]
          --quick   short run (about 0.03 s per repetition instead of 0.3 s)
          --json    machine-readable output on stdout
        Build and run in release mode: swift run -c release wsbench
        """

    enum ParseOutcome {
        case run(Options)
        case help
        case invalid(String)
    }

    static func parse(_ arguments: some Sequence<String>) -> ParseOutcome {
        var options = Options()
        for argument in arguments {
            switch argument {
            case "--quick": options.quick = true
            case "--json": options.json = true
            case "-h", "--help": return .help
            default: return .invalid(argument)
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
