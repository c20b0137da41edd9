import Foundation

/// `test-server --server-cmd`: how the server process ended during a case (the case is FAILED for
/// it) and the last lines it wrote on stderr.
public struct ServerProcessRecord: Sendable, Hashable {
    /// The command line as run, `{port}` filled in.
    public var command: String
    /// Its exit status, nil when a signal ended it.
    public var exitStatus: Int32?
    /// The signal that ended it, if any.
    public var signal: Int32?
    /// The end of its stderr (at most `tailLines` lines).
    public var stderrTail: String

    public static let tailLines = 20

    public init(command: String, exitStatus: Int32?, signal: Int32?, stderrTail: String) {
        self.command = command
        self.exitStatus = exitStatus
        self.signal = signal
        self.stderrTail = stderrTail
    }

    /// "the server process exited (signal 6, SIGABRT)" or "… (exit status 3)". A shell reports a
    /// child killed by signal N as status 128 + N; that is said too.
    public var description: String {
        if let signal { return "the server process exited (signal \(signal), \(Self.name(of: signal)))" }
        guard let status = exitStatus else { return "the server process exited" }
        if status > 128, status < 160 {
            return "the server process exited (exit status \(status): signal \(status - 128), \(Self.name(of: status - 128)), in the shell's command)"
        }
        return "the server process exited (exit status \(status))"
    }

    static func name(of signal: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
                                      8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
                                      14: "SIGALRM", 15: "SIGTERM"]
        return names[signal] ?? "unnamed"
    }

    /// The last `tailLines` lines of `text`.
    package static func tail(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).suffix(tailLines + 1)
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
