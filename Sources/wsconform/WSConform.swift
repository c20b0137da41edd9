import ArgumentParser
import WSConformance

struct WSConform: AsyncParsableCommand {
    static let version = WSConformanceInfo.version

    static let configuration = CommandConfiguration(
        commandName: "wsconform",
        abstract: "WebSocket (RFC 6455 / RFC 7692) conformance and fuzz-testing harness.",
        discussion: """
        Runs a conformance catalog against a WebSocket server or client and bundles a strict echo \
        server and echo client built on the same engine. 'wsconform help COMMAND' explains a command.

        Exit codes: 0 success, 1 conformance failures, 2 usage or case-file error, 3 peer unreachable \
        or harness failure.
        """,
        version: version,
        subcommands: [SelfTestCommand.self, TestServerCommand.self, TestClientCommand.self, TestBrowserCommand.self, ReportCommand.self, DiffCommand.self, CasesCommand.self,
                      EchoServerCommand.self, EchoClientCommand.self, FuzzServerCommand.self, FuzzClientCommand.self]
    )
}

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print debug log lines to stderr.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print only errors to stderr.")
    var quiet = false

    func apply() {
        Log.level = quiet ? .error : (verbose ? .debug : .info)
    }
}
