import ArgumentParser
import WSEngine
import WSPeers
import WSTransport

struct EchoClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo-client",
        abstract: "Run the bundled echo client against an Autobahn-protocol fuzzing server.",
        // The full synopsis is wider than 80 columns and ArgumentParser does not wrap it.
        usage: "wsconform echo-client <url> [<options>]",
        discussion: """
        Follows the Autobahn|Testsuite fuzzingserver URL protocol: asks /getCaseCount, runs \
        /runCase?case=N&agent=NAME for every case (echoing every message), then /updateReports. \
        Given a /runCase URL it runs that one case only (for test-client --client-cmd '… {url}').

        Example, with the real Autobahn|Testsuite as the server:
          wstest -m fuzzingserver -s fuzzingserver.json &
          wsconform echo-client ws://127.0.0.1:9001 --agent wsconform
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Base URL of the fuzzing server, e.g. ws://127.0.0.1:9001, or one case's /runCase URL")
    var url: String

    @Option(help: "Agent name reported to the fuzzing server.")
    var agent = "wsconform-echo-client"

    @Flag(inversion: .prefixedNo, help: "Offer permessage-deflate (client_no_context_takeover; client_max_window_bits).")
    var deflate = true

    @Option(help: "Trust this PEM CA file for wss://.")
    var ca: String?

    @Flag(help: "Skip TLS certificate verification for wss:// (explicitly insecure).")
    var insecure = false

    @Option(help: "Seconds one case may take before the client gives up on it.")
    var caseTimeout = 600

    @Flag(help: "Open every WebSocket over HTTP/2 (RFC 8441 extended CONNECT): h2c with prior knowledge for ws://, ALPN h2 for wss://; the server must be test-client --http2 or another h2 server.")
    var http2 = false

    func run() async throws {
        global.apply()
        let base: WebSocketURL
        do { base = try WebSocketURL(url) } catch { throw ValidationError("\(error)") }
        let tls = base.secure ? TLSClientConfiguration(caFile: ca, insecure: insecure) : nil
        let client = EchoClient(base: base, agent: agent, deflate: deflate, tls: tls, http2: http2, caseTimeout: .seconds(caseTimeout))
        let quiet = global.quiet
        if base.target.hasPrefix("/runCase") {
            do { try await client.runCase(at: base, log: { Log.info($0) }) } catch {
                throw HarnessFailure("cannot run \(base): \(error)")
            }
            return
        }
        do {
            let summary = try await client.runAll(progress: { n, total in
                if !quiet { Log.debug("case \(n)/\(total)") }
            }, log: { Log.info($0) })
            print("ran \(summary.cases) cases as agent \"\(agent)\"; reports updated")
            if !summary.failedToOpen.isEmpty {
                Log.error("\(summary.failedToOpen.count) cases could not be opened: \(summary.failedToOpen.prefix(20).map(String.init).joined(separator: ", "))")
            }
        } catch {
            throw HarnessFailure("cannot talk to the fuzzing server at \(base): \(error)")
        }
    }
}
