import Foundation
import Testing

/// `--out`: a mistyped or failed run never costs the results of an earlier one.
@Suite("CLI --out", .serialized)
struct OutputDirectoryTests {
    /// A directory holding an earlier run's files, with recognisable contents.
    static func earlierRun() throws -> (dir: URL, files: [String: String]) {
        let dir = try CLI.temporaryDirectory()
        let files = ["results.jsonl": "{\"id\":\"1.1.1\",\"behavior\":\"OK\",\"behaviorClose\":\"OK\"}\n",
                     "results.json": "{\"schema\":\"earlier\"}\n", "report.html": "<p>earlier</p>\n"]
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return (dir, files)
    }

    static func expectUnchanged(_ dir: URL, _ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (name, text) in files {
            let now = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            #expect(now == text, "\(name) was changed", sourceLocation: sourceLocation)
        }
    }

    @Test("A bad URL is a usage error (exit 2) and leaves the earlier run as it was, even with --force")
    func badURL() throws {
        let (dir, files) = try Self.earlierRun()
        defer { try? FileManager.default.removeItem(at: dir) }
        for extra in [[], ["--force"]] {
            let r = try CLI.run(["test-server", "http://x", "--out", dir.path, "--cases", "1.1.1"] + extra)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.errorLines.count == 1, "one line: \(r.stderr)")
            try Self.expectUnchanged(dir, files)
        }
    }

    @Test("An unreachable server (exit 3 with --force) leaves the earlier run as it was")
    func unreachable() throws {
        let (dir, files) = try Self.earlierRun()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["test-server", "ws://127.0.0.1:1", "--out", dir.path, "--cases", "1.1.1", "--force", "--quiet"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("cannot reach ws://127.0.0.1:1"), "\(r.stderr)")
        try Self.expectUnchanged(dir, files)
    }

    @Test("An earlier run's results are refused without --force: one line naming the file and --force, exit 2")
    func refusesEarlierRun() throws {
        let (dir, files) = try Self.earlierRun()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["test-server", "ws://127.0.0.1:1", "--out", dir.path, "--cases", "1.1.1"])
        #expect(r.status == 2)
        #expect(r.errorLines.count == 1, "one line: \(r.stderr)")
        #expect(r.stderr.contains("--force") && r.stderr.contains("results.json"), "\(r.stderr)")
        try Self.expectUnchanged(dir, files)
    }

    @Test("--out naming a file: one usage line, exit 2, for test-server and test-client")
    func outIsAFile() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("notes.txt")
        try Data("keep me\n".utf8).write(to: file)
        for command in [["test-server", "ws://127.0.0.1:1"], ["test-client", "--listen", "127.0.0.1:0"]] {
            let r = try CLI.run(command + ["--out", file.path, "--cases", "1.1.1"])
            #expect(r.status == 2, "\(command[0]): \(r.stderr)")
            #expect(r.errorLines.count == 1, "\(command[0]): one line: \(r.stderr)")
            #expect(r.stderr.contains("is a file"), "\(r.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == "keep me\n")
        }
        // A path below a file too.
        let r = try CLI.run(["test-server", "ws://127.0.0.1:1", "--out", file.appendingPathComponent("run").path])
        #expect(r.status == 2 && r.errorLines.count == 1, "\(r.stderr)")
    }

    @Test("With --force a run against a live server replaces the earlier run: new journal, no stale results.json")
    func forceReplaces() throws {
        let (dir, _) = try Self.earlierRun()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Peer()
        defer { server.stop() }
        let r = try CLI.run(["test-server", server.url, "--out", dir.path, "--cases", "1.1.1,1.1.2", "--force", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let journal = try String(contentsOf: dir.appendingPathComponent("results.jsonl"), encoding: .utf8)
        #expect(journal.split(separator: "\n").count == 2)
        let document = try String(contentsOf: dir.appendingPathComponent("results.json"), encoding: .utf8)
        #expect(document.contains("wsconform.results/1"))
    }
}
