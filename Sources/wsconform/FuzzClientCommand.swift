import ArgumentParser
import Foundation
import WSConformance
import WSTransport

struct FuzzClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-client",
        abstract: "Fuzz a WebSocket echo client with random valid and invalid sequences (wsconform is the server).",
        discussion: """
        Listens on --listen; every connection, on any path, gets one sequence: the same structure as \
        fuzz-server's, sent unmasked as a server does (the violations include masked frames). The \
        client under test must echo every message exactly and fail the connection on invalid input, \
        each within --deadline. Clients that follow Autobahn's fuzzingserver protocol work too \
        (/getCaseCount is answered with 1), so 'wsconform echo-client {url}' is a valid --client-cmd.

        --client-cmd starts the client once per sequence through /bin/sh ({url} is the listener's \
        URL, {sequence} the sequence number); a client killed by a signal such as SIGSEGV has died \
        (the run stops). Without it, start clients yourself; the run stops when none connects within \
        --accept-timeout.

        Findings are written to --out as case files (section 91). Cases are role-independent: rerun \
        them with the harness as server (wsconform's server-role runner).

        Exit codes: 0 no findings, 1 findings, 2 usage, 3 cannot listen or no client connected.

        Example:
          wsconform fuzz-client --seed 7 --duration 60s --out findings \\
            --client-cmd 'wsconform echo-client {url} --no-deflate'
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "HOST:PORT to listen on (port 0 picks a free one).")
    var listen = "127.0.0.1:9002"

    @Option(help: "Command that starts the client under test, once per sequence ({url}, {sequence} are replaced).")
    var clientCmd: String?

    @Option(help: "Seconds to wait for a client to connect before the run stops.")
    var acceptTimeout = 10.0

    @OptionGroup var fuzz: FuzzRunOptions

    func validate() throws {
        guard Self.split(listen) != nil else { throw ValidationError("--listen must be HOST:PORT, e.g. 127.0.0.1:9002, got '\(listen)'.") }
        guard acceptTimeout > 0 else { throw ValidationError("--accept-timeout must be positive.") }
    }

    static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        global.apply()
        let (host, port) = Self.split(listen)!
        let listener: RawListener
        do { listener = try await RawListener.bind(host: host, port: port) } catch { throw HarnessFailure("\(error)") }
        let url = "ws://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)/"
        let seed = fuzz.chosenSeed
        let options = try fuzz.netFuzzOptions(seed: seed)
        Log.info("fuzz-client: listening on \(url); seed \(seed) (rerun the same sequences with --seed \(seed))")
        let progress = FuzzOutput.progress(quiet: global.quiet)
        let accept = Duration.milliseconds(Int64(acceptTimeout * 1000))
        let task = Task { () async -> NetFuzzReport in
            if let clientCmd {
                let launcher = ClientProcessLauncher(command: clientCmd, url: url, exitGrace: options.deadline + .seconds(1),
                                                     showOutput: global.verbose)
                return await NetFuzzer.fuzzClient(listener: listener, launcher: launcher, options: options, acceptTimeout: accept,
                                                       progress: progress)
            }
            return await NetFuzzer.fuzzClient(listener: listener, launcher: NoLauncher(), options: options, acceptTimeout: accept,
                                                   progress: progress)
        }
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.cancel() }
        let report = await task.value
        await listener.close()
        if report.sequences == 0, let stop = report.stop, report.findings.isEmpty {
            throw HarnessFailure("fuzz-client: no sequence ran: \(stop)")
        }
        throw ExitCode(FuzzOutput.finish(report, command: "fuzz-client"))
    }
}
