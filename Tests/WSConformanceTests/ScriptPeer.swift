import Foundation
import Dispatch
import WSTestSupport

/// A peer script from scripts/peers started on a free port: it prints "NAME: MODE on
/// 127.0.0.1:PORT" once it listens, and `stop()` kills it.
class ScriptPeer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(executable: String, arguments: [String], name: String) async throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
        // The script may take a second or more to start on a loaded machine: the blocking read runs
        // on a Dispatch queue, never on one of the few threads of Swift's cooperative pool, which the
        // suites running beside this one need (starved, their cases time out).
        let handle = output.fileHandleForReading
        let line = await withCheckedContinuation { (done: CheckedContinuation<Data, Never>) in
            DispatchQueue.global().async {
                var line = Data()
                while !line.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    line += chunk
                }
                done.resume(returning: line)
            }
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = text.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) else {
            process.terminate()
            throw FaultyPeerError(description: "\(name) did not start: \(text)")
        }
        self.port = port
    }

    func stop() {
        // SIGKILL: the child may have inherited a blocked SIGTERM from the test process.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct FaultyPeerError: Error, CustomStringConvertible {
    var description: String
}
