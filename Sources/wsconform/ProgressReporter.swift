import Foundation
import WSConformance

/// Live progress on stderr: one self-rewriting line on a terminal (done/total, failures so far, a
/// case that is running), plain lines otherwise. Silent with --quiet.
actor ProgressReporter {
    private let total: Int
    private let tty: Bool
    private let quiet: Bool
    private var done = 0
    private var failed = 0
    private var running: [CaseID] = []
    private var lineShown = false
    /// Put before each line (test-client: the agent).
    private let label: String

    init(total: Int, quiet: Bool, label: String? = nil) {
        self.total = total
        self.quiet = quiet
        self.label = label.map { "\($0): " } ?? ""
        self.tty = isatty(STDERR_FILENO) == 1
    }

    func started(_ id: CaseID) {
        running.append(id)
        if tty { redraw() }
    }

    func finished(_ r: CaseResult) {
        running.removeAll { $0 == r.id }
        done += 1
        if !r.acceptable { failed += 1 }
        guard !quiet else { return }
        if tty {
            if !r.acceptable {
                clear()
                write("\(label)FAILED \(r.id) \(r.verdict.behavior) / \(r.verdict.behaviorClose)  \(r.testCase.title)\n")
            }
            redraw()
        } else {
            let ms = r.observation.durationMilliseconds.map { " (\($0) ms)" } ?? ""
            write("wsconform: \(label)[\(done)/\(total)] \(r.id) \(r.verdict.behavior) / \(r.verdict.behaviorClose)\(ms)\n")
        }
    }

    /// A line about the run itself (e.g. the server was started again), shown even with --quiet.
    func note(_ text: String) {
        if tty { clear() }
        write("wsconform: \(label)\(text)\n")
        if tty { redraw() }
    }

    /// Removes the live line before other output.
    func finish() {
        if tty { clear() }
    }

    private func redraw() {
        guard !quiet else { return }
        let current = running.min().map { "  running \($0)" + (running.count > 1 ? " +\(running.count - 1)" : "") } ?? ""
        write("\r\u{1B}[K\(label)[\(done)/\(total)] \(failed) failed\(current)")
        lineShown = true
    }

    private func clear() {
        if lineShown { write("\r\u{1B}[K") }
        lineShown = false
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
