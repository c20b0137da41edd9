import Foundation
import Testing

/// `--baseline`: a run that covered fewer cases than the baseline does not pass silently.
@Suite("CLI --baseline", .serialized)
struct BaselineTests {
    @Test("Dropped cases fail the run under --baseline (exit 1, one summary line); --fail-on regression lets a subset pass")
    func droppedCasesFail() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try Peer()
        defer { server.stop() }
        let baseline = dir.appendingPathComponent("baseline")
        let full = try CLI.run(["test-server", server.url, "--cases", "1.1.1,1.1.2,1.1.3", "--out", baseline.path, "--quiet"])
        #expect(full.status == 0, "\(full.stderr)")

        let subset = try CLI.run(["test-server", server.url, "--cases", "1.1.1", "--out", dir.appendingPathComponent("subset").path,
                                  "--baseline", baseline.appendingPathComponent("results.json").path, "--quiet"])
        #expect(subset.status == 1, "\(subset.stdout)\(subset.stderr)")
        #expect(subset.stdout.contains("not in this run: 1.1.2, 1.1.3"), "\(subset.stdout)")

        let allowed = try CLI.run(["test-server", server.url, "--cases", "1.1.1", "--out", dir.appendingPathComponent("allowed").path,
                                   "--baseline", baseline.path, "--fail-on", "regression", "--quiet"])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")

        // The same comparison with `wsconform diff`: 0 by default, 1 with --fail-on missing.
        let diff = try CLI.run(["diff", baseline.path, dir.appendingPathComponent("subset").path])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("Removed cases (2, only in OLD): 1.1.2, 1.1.3"), "\(diff.stdout)")
        let gated = try CLI.run(["diff", baseline.path, dir.appendingPathComponent("subset").path, "--fail-on", "missing"])
        #expect(gated.status == 1)
    }
}
