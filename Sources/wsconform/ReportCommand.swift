import ArgumentParser
import Foundation
import WSReports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render HTML, JUnit and Autobahn files from existing result files.",
        // The full synopsis is wider than 80 columns and ArgumentParser does not wrap it.
        usage: "wsconform report <inputs> ... [<options>]",
        discussion: """
        Reads only result files, so old runs can be re-rendered: results.json (schema \
        wsconform.results/1), results.jsonl (the journal of a run that did not finish), Autobahn's \
        index.json, or directories holding them (a test-server --out directory, with server-N/ \
        subdirectories too). Several inputs are shown side by side in one matrix.

        Files written into --out: report.html (one self-contained page), junit.xml, and with \
        --format autobahn Autobahn's index.json and <agent>_case_<id>.json files.

        Examples:
          wsconform report reports/servers
          wsconform report old/results.json new/results.json --out cmp
          wsconform report reports/servers --format html,junit,autobahn
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Result files or directories (results.json, results.jsonl, index.json).")
    var inputs: [String]

    @Option(help: "Directory to write into (default: the first input if it is a directory, else the directory of the first input).")
    var out: String?

    @Option(help: "Formats, comma-separated: html, junit, autobahn, or all.")
    var format: [String] = ["html,junit"]

    @Option(help: "Heading of the HTML report (default: the run names).")
    var title: String?

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one result file or directory.") }
        _ = try formats()
    }

    func formats() throws -> Set<ReportFormat> {
        var set: Set<ReportFormat> = []
        for name in format.flatMap({ $0.split(separator: ",") }).map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            if name == "all" { set.formUnion(ReportFormat.allCases); continue }
            guard let f = ReportFormat(rawValue: name) else {
                throw ValidationError("unknown format \"\(name)\"; use html, junit, autobahn or all.")
            }
            set.insert(f)
        }
        return set
    }

    func run() throws {
        global.apply()
        let runs: [ReportRun]
        do { runs = try ResultsLoader.load(paths: inputs) } catch { throw CaseFileFailure(error.description) }
        let dir = URL(fileURLWithPath: out ?? defaultOut())
        let written: [URL]
        do { written = try ReportWriter.write(runs, formats: try formats(), to: dir, title: title) } catch {
            throw HarnessFailure("cannot write the report into \(dir.path): \(error.localizedDescription)")
        }
        let autobahnCases = written.filter { $0.lastPathComponent.contains("_case_") }.count
        for url in written where !url.lastPathComponent.contains("_case_") { print(url.path) }
        if autobahnCases > 0 { print("\(dir.path)/*_case_*.json (\(autobahnCases) files)") }
        do { try GitHubActions.publish(runs) } catch { Log.error("cannot write the GitHub job summary: \(error.localizedDescription)") }
    }

    private func defaultOut() -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: inputs[0], isDirectory: &isDirectory), isDirectory.boolValue { return inputs[0] }
        return URL(fileURLWithPath: inputs[0]).deletingLastPathComponent().path
    }
}
