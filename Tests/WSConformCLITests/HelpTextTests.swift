import Foundation
import Testing

/// The help of every command as a user on an 80-column terminal reads it.
@Suite("CLI help and usage errors")
struct HelpTextTests {
    static let commands: [[String]] = [
        [], ["self-test"], ["test-server"], ["test-client"], ["report"], ["diff"], ["cases"], ["cases", "list"],
        ["cases", "show"], ["cases", "validate"], ["echo-server"], ["echo-client"], ["fuzz-server"], ["fuzz-client"],
    ]

    /// The help text at a terminal width.
    static func help(_ command: [String], columns: Int) throws -> String {
        let r = try CLI.run(command + ["--help"], environment: ["COLUMNS": String(columns)])
        #expect(r.status == 0, "\(command): \(r.stderr)")
        return r.stdout
    }

    @Test("At 80 columns no line is wider than 80 and every example line is whole (pasteable)", arguments: commands)
    func eightyColumns(_ command: [String]) throws {
        let narrow = try Self.help(command, columns: 80)
        let wide = try Self.help(command, columns: 1000)
        for line in narrow.split(separator: "\n") {
            #expect(line.count <= 80, "\(command): wider than 80 columns: \(line)")
        }
        let narrowLines = Set(narrow.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        // Example lines are the indented lines of the discussion that start with a command.
        let examples = Self.discussion(wide).filter { $0.hasPrefix(" ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("wsconform ") || $0.hasPrefix("wstest ") || $0.hasPrefix("--") }
        for example in examples {
            #expect(narrowLines.contains(example), "\(command): the example is broken at 80 columns: \(example)")
        }
    }

    @Test("Discussion paragraphs are single lines: unwrapped, each ends a sentence", arguments: commands)
    func singleLineParagraphs(_ command: [String]) throws {
        let wide = try Self.help(command, columns: 1000)
        for line in Self.discussion(wide) where !line.hasPrefix(" ") && !line.isEmpty {
            #expect(line.hasSuffix(".") || line.hasSuffix(":") || line.hasSuffix(")"),
                    "\(command): a paragraph is cut by a hard line break: \(line)")
        }
    }

    /// The lines between the overview and USAGE (the abstract's line excluded).
    static func discussion(_ help: String) -> [String] {
        var lines = help.components(separatedBy: "\n")
        guard let usage = lines.firstIndex(where: { $0.hasPrefix("USAGE:") }) else { return [] }
        lines = Array(lines[..<usage])
        if let overview = lines.firstIndex(where: { $0.hasPrefix("OVERVIEW:") }) { lines.removeFirst(overview + 1) }
        return lines
    }

    @Test("--jobs -3 says what is wrong with the value, not \"Missing value\"")
    func negativeJobs() throws {
        let r = try CLI.run(["test-server", "ws://127.0.0.1:1", "--jobs", "-3"])
        #expect(r.status == 2)
        #expect(r.errorLines.count == 1)
        #expect(r.stderr.contains("--jobs must be at least 1, got -3"), "\(r.stderr)")
    }

    @Test("An unknown option gets no far-fetched suggestion; a near typo does; the pointer is the subcommand's help")
    func unknownOption() throws {
        let bogus = try CLI.run(["test-server", "ws://127.0.0.1:1", "--bogus"])
        #expect(bogus.status == 2)
        #expect(bogus.errorLines.count == 1)
        #expect(!bogus.stderr.contains("--jobs"), "\(bogus.stderr)")
        #expect(bogus.stderr.contains("Unknown option '--bogus'"))
        #expect(bogus.stderr.contains("see 'wsconform test-server --help'"), "\(bogus.stderr)")

        let typo = try CLI.run(["test-server", "ws://127.0.0.1:1", "--jbos", "2"])
        #expect(typo.stderr.contains("Did you mean '--jobs'"), "\(typo.stderr)")

        let nested = try CLI.run(["cases", "list", "--bogus"])
        #expect(nested.stderr.contains("see 'wsconform cases list --help'"), "\(nested.stderr)")
    }

    @Test("cases validate takes --catalog like every other command")
    func validateCatalog() throws {
        let r = try CLI.run(["cases", "validate", "--catalog", "Cases"])
        #expect(r.status == 0, "\(r.stderr)")
        let missing = try CLI.run(["cases", "validate", "--catalog", "/nonexistent-catalog"])
        #expect(missing.status == 2)
    }

    @Test("A malformed spec JSON is reported with file, line and column on one line")
    func specLineColumn() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = dir.appendingPathComponent("fuzzingclient.json")
        try Data("{\n  \"outdir\": \"x\",\n  \"servers\": [{\"url\": \"ws://127.0.0.1:1\"},,]\n}\n".utf8).write(to: spec)
        let r = try CLI.run(["test-server", "--spec", spec.path])
        #expect(r.status == 2)
        #expect(r.errorLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(spec.path): not valid JSON (line 3, column 43"), "\(r.stderr)")
    }
}
