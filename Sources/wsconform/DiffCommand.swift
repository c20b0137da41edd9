import ArgumentParser
import Foundation
import WSReports

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two result sets case by case; exit 1 when a case regressed.",
        // The full synopsis is wider than 80 columns and ArgumentParser does not wrap it.
        usage: "wsconform diff <old> <new> [<options>]",
        discussion: """
        OLD and NEW are results.json, results.jsonl or Autobahn index.json files, or directories \
        holding them (so a wsconform run can be compared with an old Autobahn run). Each case is a \
        regression (was acceptable, now is not), fixed, a changed verdict (still acceptable, or still \
        failing, but different), a changed observation (same verdict, the peer did something else: \
        close code, events, closing), new, or missing (in OLD only: the new run did not cover it). \
        Durations, timestamps, masks, ports and handshake keys are ignored.

        Exit codes: 0 no regression, 1 some regression, 2 usage or unreadable file. --fail-on missing \
        also fails when NEW lacks cases OLD has (the default of test-server --baseline); --fail-on \
        verdict fails on any change of verdict (fixed, changed, new or missing cases too), as an \
        interop baseline gate wants; --fail-on any also counts changed observations.

        Examples:
          wsconform diff reports/baselines/echo/results.json reports/servers
          wsconform diff old/index.json reports/servers --fail-on missing
          wsconform diff old reports/servers --format html --output diff.html
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The old results (file or directory).")
    var old: String

    @Argument(help: "The new results (file or directory).")
    var new: String

    @Option(help: "Output format: text, json or html.")
    var format: Format = .text

    @Option(help: "Write the output to this file instead of stdout.")
    var output: String?

    @Option(help: "What makes the exit status 1: regression (default), missing (also cases only in OLD), verdict (any verdict change) or any.")
    var failOn: ReportDiff.Gate = .regression

    func run() throws {
        global.apply()
        let oldRuns: [ReportRun], newRuns: [ReportRun]
        do {
            oldRuns = try ResultsLoader.load(paths: [old])
            newRuns = try ResultsLoader.load(paths: [new])
        } catch { throw CaseFileFailure(error.description) }
        let diff = ReportDiff.compare(old: oldRuns, new: newRuns)
        let text = switch format {
        case .text: DiffText.render(diff)
        case .json: DiffJSON.render(diff)
        case .html: DiffHTML.render(diff)
        }
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw CaseFileFailure("\(output): cannot write: \(error.localizedDescription)")
            }
        } else {
            print(text, terminator: "")
        }
        // Annotations go to stdout: not into JSON or HTML written there.
        var environment = GitHubActions.Environment()
        if output == nil && format != .text { environment.annotate = false }
        do { try GitHubActions.publish(newRuns, diff: diff, environment: environment) } catch {
            Log.error("cannot write the GitHub job summary: \(error.localizedDescription)")
        }
        let status = diff.exitStatus(failingOn: failOn)
        if status != 0 { throw ExitCode(status) }
    }
}

extension ReportDiff.Gate: ExpressibleByArgument {}
