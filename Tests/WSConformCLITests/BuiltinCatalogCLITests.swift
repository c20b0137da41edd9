import Foundation
import Testing

/// The catalog is built into the executable: it runs from a directory without `Cases`, says which
/// catalog it carries, and `--catalog DIR` still replaces it.
@Suite struct BuiltinCatalogCLITests {
    @Test("--version names the built-in catalog")
    func versionNamesTheCatalog() throws {
        let r = try CLI.run(["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 2, "\(r.stdout)")
        #expect(lines.last?.hasPrefix("built-in catalog: 760 cases in 20 sections (fnv1a64:") == true, "\(r.stdout)")
    }

    @Test("From a directory without Cases, the built-in catalog: every case listed, the datasets there")
    func runsWithoutACasesDirectory() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = try CLI.run(["cases", "list"], in: dir)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.split(separator: "\n").last?.hasPrefix("760 cases: ") == true, "\(list.stdout.suffix(300))")
        let validate = try CLI.run(["cases", "validate"], in: dir)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout == "OK: 760 cases in 20 sections (built in)\n")
    }

    @Test("--catalog DIR replaces the built-in catalog; a missing directory is a one-line error")
    func catalogOptionReplacesIt() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(Self.ownCase.utf8).write(to: dir.appendingPathComponent("90-mine.yaml"))
        let own = try CLI.run(["cases", "list", "--catalog", dir.path])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("90.1"))
        #expect(own.stdout.split(separator: "\n").last?.hasPrefix("1 case") == true, "\(own.stdout)")
        let missing = try CLI.run(["cases", "list", "--catalog", dir.appendingPathComponent("none").path])
        #expect(missing.status != 0)
        #expect(missing.errorLines.first?.contains("none") == true, "\(missing.stderr)")
    }

    static let ownCase = """
    section: 90
    title: My own cases
    cases:
      - id: "90.1"
        title: A text message is echoed
        description: Send one text message "hello".
        expectation: The peer echoes it; the harness then closes with 1000.
        steps:
          - message: {type: text, payload: "hello"}
          - guard: {close_after: 1s}
        expect:
          events: {OK: [{text: "hello"}]}
          close: {closed_by: harness, codes: [1000], clean: true}
    """
}
