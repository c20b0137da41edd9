import Foundation

// wsbench: engine hot paths against SwiftNIO, memcpy and the standard library, measured in one run.
// Run in release mode: swift run -c release wsbench [--quick] [--json]

func writeError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let options: Options
switch Options.parse(CommandLine.arguments.dropFirst()) {
case let .run(parsed):
    options = parsed
case .help:
    print(Options.usage)
    exit(0)
case let .invalid(problem):
    writeError("wsbench: \(problem)\n" + Options.usage)
    exit(2)
}

#if DEBUG
writeError("wsbench: warning: debug build; figures are meaningless. Use: swift run -c release wsbench")
#endif

let date = ISO8601DateFormatter().string(from: Date())
var measurer = Measurer(settings: options.settings)
do {
    let comparisons = try Suite.run(&measurer, filter: options.filter)
    let report = Report(date: date, machine: .current(), quick: options.quick, settings: options.settings,
                        comparisons: comparisons, checksum: String(measurer.checksum, radix: 16))
    print(options.json ? try JSONReport.render(report) : TableReport.render(report))
} catch {
    writeError("wsbench: \(error)")
    exit(1)
}
