import Foundation
import Testing

/// The built `wsconform` executable run as a user runs it: a real process, real exit status, real
/// stdout and stderr (`WSCONFORM_BIN` overrides where it is; by default next to the test bundle).
enum CLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stderr's non-empty lines.
        var errorLines: [Substring] { stderr.split(separator: "\n") }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var executable: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["WSCONFORM_BIN"] { return URL(fileURLWithPath: path) }
            var dir = Bundle.main.executableURL?.deletingLastPathComponent()
                ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            for _ in 0..<5 {
                let candidate = dir.appendingPathComponent("wsconform")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            throw CLIError("no wsconform executable next to the tests; build it first (swift build) or set WSCONFORM_BIN")
        }
    }

    /// Runs `wsconform arguments…` in `directory` (default: the repository, so relative paths such as
    /// `Cases` resolve there) and waits at most `timeout` seconds.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
                    timeout: Double = 120) throws -> Output {
        let process = Process()
        process.executableURL = try executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repository
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        env["GITHUB_ACTIONS"] = nil
        env["GITHUB_STEP_SUMMARY"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a full pipe cannot block it.
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw CLIError("wsconform \(arguments.joined(separator: " ")) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus, stdout: String(decoding: outData.data, as: UTF8.self),
                      stderr: String(decoding: errData.data, as: UTF8.self))
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// What one reader thread collected; read only after the group is done.
private final class Collected: @unchecked Sendable {
    var data = Data()
}

/// A background process (a peer for a run), stopped by `stop()`.
final class Peer: @unchecked Sendable {
    let process = Process()
    /// The URL it printed on its first line of stdout.
    let url: String

    /// Starts `wsconform echo-server --port 0 extra…` and waits for the URL it prints.
    init(echoServer extra: [String] = []) throws {
        process.executableURL = try CLI.executable
        process.arguments = ["echo-server", "--port", "0", "--quiet"] + extra
        var env = ProcessInfo.processInfo.environment
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = out.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        url = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("ws://") else {
            process.terminate()
            throw CLIError("the echo server printed no URL")
        }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
