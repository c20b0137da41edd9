import ArgumentParser
import Foundation

/// Process entry: runs the command and maps errors to wsconform's exit codes
/// (0 ok, 1 conformance failures, 2 usage or case-file error, 3 peer unreachable or harness failure).
@main
enum Entry {
    static func main() async {
        _ = Log.started
        // `--version` also names the catalog the binary carries, which ArgumentParser's fixed
        // version string cannot (it would load the catalog for every command).
        if CommandLine.arguments.dropFirst().elementsEqual(["--version"]) {
            print("\(WSConform.version)\n\(CatalogLocator.builtinSummary)")
            return
        }
        do {
            var command = try WSConform.parseAsRoot()
            if var async = command as? AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as HarnessFailure {
            Log.error(failure.description)
            Foundation.exit(ExitStatus.harnessFailure)
        } catch let failure as CaseFileFailure {
            Log.error(failure.description)
            Foundation.exit(ExitStatus.usage)
        } catch {
            let code = WSConform.exitCode(for: error)
            if code == .success {
                // --help, --version: ArgumentParser's own output.
                WSConform.exit(withError: error)
            }
            // Usage errors: one clear line (what was wrong, what to do) and exit 2.
            let message = WSConform.message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
            let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
            Log.error(UsageMessage.line(firstLine))
            Foundation.exit(ExitStatus.usage)
        }
    }
}

/// The exit codes CI can rely on.
enum ExitStatus {
    static let ok: Int32 = 0
    static let failures: Int32 = 1
    static let usage: Int32 = 2
    static let harnessFailure: Int32 = 3
    /// Interrupted (SIGINT), as shells report it.
    static let interrupted: Int32 = 130
}

/// A failure of the harness itself or of reaching the peer (exit code 3), with a one-line description.
struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
