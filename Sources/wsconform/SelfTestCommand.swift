import ArgumentParser
import Foundation
import WSConformance
import WSPeers
import WSTransport

/// The newcomer's first command: the whole catalog in both roles against the bundled peers, with
/// every report, in one process and one step. It drives `test-server` and `test-client` exactly as a
/// user would, so what it shows is what those commands do.
struct SelfTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "self-test",
        abstract: "Run the whole suite in both roles against the bundled echo server and echo client, with reports.",
        // The full synopsis is wider than 80 columns and ArgumentParser does not wrap it.
        usage: "wsconform self-test [<options>]",
        discussion: """
        Starts the bundled echo server (with permessage-deflate and a 16 MiB message limit, so that \
        section 25 runs too) on a free loopback port and runs test-server against it; then runs \
        test-client with the bundled echo client started once per case. Results and reports (JSON, \
        Autobahn index.json, report.html, junit.xml) go to OUT/server and OUT/client, replacing those \
        of the previous self-test.

        With --http2 both roles then run again over HTTP/2 (RFC 8441: the echo server and test-client \
        listen with h2c and advertise extended CONNECT; test-server and the echo client open every \
        WebSocket as an h2 stream), into OUT/server-http2 and OUT/client-http2, so that \
        'wsconform diff OUT/server OUT/server-http2' compares the two protocols.

        Exit codes: 0 every case acceptable in both roles, 1 some case failed, 3 harness failure.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Directory for the two runs' results and reports.")
    var out = "reports/self-test"

    @Option(help: "Case patterns to run in both roles, comma-separated (default: all that apply to each role).")
    var cases: [String] = []

    @Option(parsing: .unconditional, help: "Cases run at the same time in each role.")
    var jobs = 8

    @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
    var catalog: String?

    @Flag(help: "Also run both roles over HTTP/2 (RFC 8441), into OUT/server-http2 and OUT/client-http2.")
    var http2 = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs).") }
    }

    func run() async throws {
        global.apply()
        var failed = false
        for overHTTP2 in http2 ? [false, true] : [false] {
            failed = try await runBothRoles(http2: overHTTP2) || failed
        }
        print("self-test: reports in \(out)/server/report.html and \(out)/client/report.html"
              + (http2 ? ", over HTTP/2 in \(out)/server-http2 and \(out)/client-http2" : ""))
        if failed { throw ExitCode(ExitStatus.failures) }
    }

    /// test-server against the echo server, then test-client with the echo client; true when some
    /// case failed.
    private func runBothRoles(http2: Bool) async throws -> Bool {
        // Section 9 sends up to 16 MiB; section 25 then checks exactly this limit.
        let limit = 16 << 20
        let server: EchoServer
        do {
            server = try await EchoServer.bind(.init(port: 0, deflate: true, maximumMessageSize: limit, http2: http2))
        } catch {
            throw HarnessFailure("cannot start the bundled echo server: \(error)")
        }
        let serving = Task { await server.run() }
        var common: [String] = []
        if let catalog { common += ["--catalog", catalog] }
        if global.quiet { common.append("--quiet") }
        if global.verbose { common.append("--verbose") }
        let protocolFlag = http2 ? ["--http2"] : []
        let suffix = http2 ? "-http2" : ""
        let over = http2 ? " over HTTP/2" : ""

        Log.info("self-test: the bundled echo server at ws://127.0.0.1:\(server.port)/\(over) (test-server)")
        var failed = try await Self.runCounting {
            let command = try TestServerCommand.parse(["ws://127.0.0.1:\(server.port)", "--out", "\(out)/server\(suffix)",
                                                       "--jobs", "\(jobs)", "--max-message-size", "\(limit)", "--force"]
                                                      + protocolFlag + (try patterns(for: .serverUnderTest)) + common)
            try await command.run()
        }
        await server.close()
        serving.cancel()

        let me = Self.executablePath
        Log.info("self-test: the bundled echo client\(over), once per case (test-client --client-cmd)")
        failed = try await Self.runCounting {
            let command = try TestClientCommand.parse(["--listen", "127.0.0.1:0", "--out", "\(out)/client\(suffix)", "--jobs", "\(jobs)",
                                                       "--agent", "wsconform-echo-client",
                                                       "--client-cmd", "'\(me)' echo-client {url} --quiet\(http2 ? " --http2" : "")"]
                                                      + protocolFlag + (try patterns(for: .clientUnderTest)) + common)
            try await command.run()
        } || failed
        return failed
    }

    /// `--cases` for one role: the patterns that select some case testing that kind of peer (a
    /// section for servers only is not an error when the clients' turn comes).
    private func patterns(for role: CaseRole) throws -> [String] {
        guard !cases.isEmpty else { return [] }
        let (loaded, _) = try CatalogLocator.load(catalog)
        let ids = loaded.cases.filter { $0.tests(role) }.map(\.id)
        let kept = try cases.flatMap(splitPatterns).filter { text in
            let pattern = try CasePattern(text)
            return ids.contains { pattern.matches($0) }
        }
        // Nothing left for this role: a pattern no case matches keeps the role's run empty-handed
        // with the usual clear error.
        return ["--cases", (kept.isEmpty ? cases.flatMap(splitPatterns) : kept).joined(separator: ",")]
    }

    /// Runs a command; true when it reported failed cases (exit 1), rethrowing anything else.
    private static func runCounting(_ body: () async throws -> Void) async throws -> Bool {
        do {
            try await body()
            return false
        } catch let exit as ExitCode where exit.rawValue == ExitStatus.failures {
            return true
        }
    }

    /// This executable, to start it again as the client under test.
    static var executablePath: String {
        Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
