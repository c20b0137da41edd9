import ArgumentParser
import Foundation
import WSConformance
import WSTransport

struct FuzzServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-server",
        abstract: "Fuzz a live WebSocket echo server with random valid and invalid sequences (wsconform is the client).",
        discussion: """
        Each sequence runs on its own connection: a few valid messages (text with valid UTF-8, binary, \
        fragmented at random sizes, pings between fragments, unsolicited pongs), usually followed by \
        one violation of RFC 6455 (RSV bits, reserved opcodes, fragmented or oversized control frames, \
        bad continuation order, invalid UTF-8 also split across fragments, bad close codes and \
        payloads, unmasked frames, non-minimal lengths), written with random chop sizes and small \
        pauses. Valid input must be echoed exactly within --deadline; a violation must make the server \
        fail the connection (close 1002/1007, or drop TCP) within --deadline; a server that stops \
        accepting connections has died (the run stops). The same --seed gives the same sequences.

        Each distinct finding is shrunk (re-run in smaller variants) and written to --out as a case \
        file (section 90) that reproduces it: 'wsconform cases validate DIR', then 'wsconform \
        test-server URL --catalog DIR'.

        Exit codes: 0 no findings, 1 findings, 2 usage, 3 server unreachable.

        Examples:
          wsconform fuzz-server ws://127.0.0.1:9001 --seed 42 --duration 60s
          wsconform fuzz-server ws://127.0.0.1:9001 --sequences 500 --jobs 4
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The server's ws:// or wss:// URL.")
    var url: String

    @OptionGroup var fuzz: FuzzRunOptions

    @Flag(help: "wss://: do not verify the server's certificate (explicitly insecure).")
    var insecure = false

    @Option(help: "wss://: trust the certificate authorities in this PEM file.")
    var ca: String?

    func validate() throws {
        if insecure && ca != nil { throw ValidationError("--insecure and --ca contradict each other; give one.") }
    }

    func run() async throws {
        global.apply()
        let seed = fuzz.chosenSeed
        let options = try fuzz.netFuzzOptions(seed: seed)
        Log.info("fuzz-server \(url): seed \(seed) (rerun the same sequences with --seed \(seed))")
        let tls = url.hasPrefix("wss:") ? TLSClientConfiguration(caFile: ca, insecure: insecure) : nil
        let task = Task { () async throws -> NetFuzzReport in
            try await NetFuzzer.fuzzServer(url: url, options: options, tls: tls, progress: FuzzOutput.progress(quiet: global.quiet))
        }
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.cancel() }
        let report: NetFuzzReport
        do {
            report = try await task.value
        } catch let error as NetFuzzError {
            switch error {
            case .invalidURL: throw ValidationError(error.description)
            case .unreachable, .cannotWrite: throw HarnessFailure(error.description)
            }
        }
        throw ExitCode(FuzzOutput.finish(report, command: "fuzz-server"))
    }
}
