import Foundation
import WSCatalog
import WSResults
import WSTransport

/// `test-server --server-cmd`: the server under test, started by the harness through /bin/sh and
/// started again whenever it exits or stops answering, so that the run goes on. Every start is a
/// new generation: a case notes the generation it ran against, and when that process ended before
/// the case's verdict, the case is FAILED with the way it ended and its stderr tail.
public actor ServerProcess {
    /// The command line, `{port}` filled in.
    public nonisolated let command: String
    public nonisolated let host: String
    public nonisolated let port: Int
    /// How long one start may take until the port accepts connections.
    public nonisolated let startTimeout: Duration

    private var process: ChildProcess?
    private var generation = 0
    /// A start under way; every caller that needs the server waits for it.
    private var starting: Task<ServerProcessError?, Never>?
    /// How each earlier generation ended (nil: stopped by the harness for not answering).
    private var ends: [Int: ServerProcessRecord?] = [:]
    /// Why the last start again failed: the run cannot go on.
    private var failure: ServerProcessError?
    /// Times the server was started again.
    public private(set) var restarts = 0

    /// What `recover` did.
    package enum Recovery: Sendable {
        /// The server answers (again). `exited`: it had ended and was started again.
        case ready(exited: ServerProcessRecord?)
        case failed(ServerProcessError)
    }

    public init(command: String, host: String, port: Int, startTimeout: Duration = .seconds(30)) {
        self.command = command.replacingOccurrences(of: "{port}", with: String(port))
        self.host = host
        self.port = port
        self.startTimeout = startTimeout
    }

    /// Starts the server and returns once its port accepts connections.
    public func start() async throws(ServerProcessError) {
        // Another server already there would be tested instead of the command's.
        if await Self.answers(host, port) {
            throw ServerProcessError("something already listens on \(host):\(port); --server-cmd starts the server itself, so stop that one first")
        }
        if let error = await launch() { throw error }
    }

    /// Ends the server (SIGTERM to its process group, then SIGKILL).
    public func stop() async {
        _ = await starting?.value
        await process?.terminate()
    }

    /// The generation to run the next case against, once any start under way is done; nil when
    /// the server could not be started again.
    package func ready() async -> Int? {
        _ = await starting?.value
        return failure == nil ? generation : nil
    }

    /// Why the server cannot be started again (once `ready` returned nil).
    package var failureDescription: String { failure?.description ?? "the server process is gone" }

    /// After a case that ran against `g`: how that process ended, if it did (it is then started
    /// again). `suspicious` (the case did not end cleanly) also asks the port: a refused connection
    /// means the process is going, and its end is waited for.
    package func ended(_ g: Int, suspicious: Bool) async -> ServerProcessRecord? {
        if g != generation { return ends[g] ?? nil }
        guard let p = process else { return nil }
        if !p.hasExited, suspicious, !(await Self.answers(host, port)) {
            _ = await p.waitForExit(timeout: .seconds(2))
        }
        guard g == generation, p.hasExited else { return g == generation ? nil : ends[g] ?? nil }
        return restart(g, record: Self.record(p))
    }

    /// After a case against `g` could not connect: starts the server again if that process exited
    /// or does not accept connections (it is ended first).
    package func recover(_ g: Int) async -> Recovery {
        var exited: ServerProcessRecord?
        if g == generation, starting == nil, failure == nil, let p = process {
            // A refused connection with the process still there: it is going (give it a second to
            // be reaped, then its end is recorded) or hangs (it is ended, and not blamed on a case).
            if !p.hasExited, !(await Self.answers(host, port)), !(await p.waitForExit(timeout: .seconds(1))) {
                await p.terminate()
                _ = restart(g, record: nil)
            } else if p.hasExited {
                exited = restart(g, record: Self.record(p))
            }
        }
        _ = await starting?.value
        return failure.map(Recovery.failed) ?? .ready(exited: exited)
    }

    /// Starts generation `g` + 1 unless that is already done or under way; returns how `g` ended.
    private func restart(_ g: Int, record: ServerProcessRecord?) -> ServerProcessRecord? {
        guard g == generation, starting == nil, failure == nil else { return ends[g] ?? record }
        ends[g] = record
        restarts += 1
        starting = Task {
            let error = await self.launch()
            self.started(error)
            return error
        }
        return record
    }

    private func started(_ error: ServerProcessError?) {
        starting = nil
        if let error { failure = error }
    }

    /// Starts a new generation; nil once it listens.
    private func launch() async -> ServerProcessError? {
        let p: ChildProcess
        do { p = try ChildProcess(command: command) } catch {
            return ServerProcessError("cannot start --server-cmd \"\(command)\": \(error)")
        }
        process = p
        generation += 1
        let deadline = ContinuousClock.now + startTimeout
        while ContinuousClock.now < deadline {
            if await Self.answers(host, port) { return nil }
            if p.hasExited {
                let r = Self.record(p)
                return ServerProcessError("--server-cmd \"\(command)\": \(r.description) before listening on port \(port)"
                    + (r.stderrTail.isEmpty ? "" : "; its stderr ends:\n" + r.stderrTail))
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        await p.terminate()
        return ServerProcessError("--server-cmd \"\(command)\" did not listen on \(host):\(port) within \(CatalogText.format(startTimeout))")
    }

    static func record(_ p: ChildProcess) -> ServerProcessRecord {
        let r = p.record(connected: false, killed: false)
        return ServerProcessRecord(command: r.command, exitStatus: r.exitStatus, signal: r.signal,
                                   stderrTail: ServerProcessRecord.tail(r.stderr.text))
    }

    /// True when a TCP connection to the port is accepted.
    static func answers(_ host: String, _ port: Int) async -> Bool {
        guard let c = try? await RawConnection.connect(host: host, port: port, connectTimeout: .seconds(1)) else { return false }
        await c.close()
        return true
    }
}

public struct ServerProcessError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension CaseResult {
    /// The server process ended during the case: FAILED, whatever the judge said, with the reason first.
    package mutating func failBecauseServerEnded(_ end: ServerProcessRecord) {
        serverProcess = end
        verdict.behavior = .failed
        verdict.result = "The server process ended during the case: \(end.description)."
        verdict.reasons.insert(end.description + (end.stderrTail.isEmpty ? "." : "; the end of its stderr is in the report."), at: 0)
    }
}
