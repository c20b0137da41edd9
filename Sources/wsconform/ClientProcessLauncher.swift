import Foundation
import WSConformance

/// fuzz-client's --client-cmd: starts the client under test once per sequence through /bin/sh, with
/// `{url}` replaced by the listener's URL and `{sequence}` by the sequence number. A client killed by
/// a signal it did not get from us (a crash: SIGSEGV, SIGABRT, ...) has died; one still running when
/// its sequence is over is stopped (SIGTERM, then SIGKILL).
struct ClientProcessLauncher: FuzzPeerLauncher {
    let command: String
    let url: String
    /// How long a client may take to exit after its connection is over.
    let exitGrace: Duration
    let showOutput: Bool

    final class Handle: @unchecked Sendable {
        // Process is not Sendable; the handle is used by one task at a time (launch, then finish).
        let process: Process?
        let failure: String?
        init(process: Process?, failure: String?) {
            self.process = process
            self.failure = failure
        }
    }

    func launch(sequence: Int) async -> Handle {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command.replacingOccurrences(of: "{url}", with: url)
            .replacingOccurrences(of: "{sequence}", with: String(sequence))]
        if !showOutput {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        do {
            try process.run()
            return Handle(process: process, failure: nil)
        } catch {
            return Handle(process: nil, failure: "cannot start --client-cmd: \(error.localizedDescription)")
        }
    }

    func finish(_ handle: Handle) async -> String? {
        if let failure = handle.failure { return failure }
        guard let process = handle.process else { return nil }
        let until = ContinuousClock.now + exitGrace
        while process.isRunning, ContinuousClock.now < until {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if process.isRunning {
            process.terminate()
            let hard = ContinuousClock.now + .seconds(1)
            while process.isRunning, ContinuousClock.now < hard { try? await Task.sleep(for: .milliseconds(20)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return nil
        }
        // /bin/sh reports a child killed by signal N as exit status 128 + N.
        let status = process.terminationStatus
        let signal: Int32? = process.terminationReason == .uncaughtSignal ? status : (status > 128 && status < 160 ? status - 128 : nil)
        if let signal, signal != SIGTERM, signal != SIGKILL, signal != SIGINT, signal != SIGPIPE {
            return "the client was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        }
        return nil
    }
}
