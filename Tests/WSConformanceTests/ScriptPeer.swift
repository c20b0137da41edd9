import Foundation
import WSTestSupport

/// A peer script from scripts/peers started on a free port: it prints "NAME: MODE on
/// 127.0.0.1:PORT" once it listens, and `stop()` kills it.
class ScriptPeer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(executable: String, arguments: [String], name: String) throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
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
