import Foundation
import WSTransport

/// Hypercorn serving scripts/peers/hypercorn_echo.py: the real HTTP/2 WebSocket server (RFC 8441,
/// h2c with prior knowledge) the HTTP/2 tests run against. Found on PATH or in the venv that CI and
/// scripts/interop.sh make (.build-interop/venv); tests that need it are skipped without it.
public struct HypercornPeer: Sendable {
    public let process: Process
    public let port: Int

    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static let executable: String? = {
        let venv = root.appendingPathComponent(".build-interop/venv/bin/hypercorn").path
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/hypercorn" }
        return ([venv] + path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts it on a free port; returns once it accepts connections.
    public static func start() async throws -> HypercornPeer {
        guard let executable else { throw PeerError("hypercorn is not installed") }
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--bind", "127.0.0.1:\(port)", "hypercorn_echo:app"]
        p.currentDirectoryURL = root.appendingPathComponent("scripts/peers")
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<100 {
            if (try? await RawConnection.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(1))) != nil {
                return HypercornPeer(process: p, port: port)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        p.terminate()
        throw PeerError("hypercorn did not listen on \(port)")
    }

    /// SIGKILL, not SIGTERM: Hypercorn's graceful shutdown can take seconds, and the wait below
    /// blocks a thread of Swift's cooperative pool, which the suites beside this one need.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port nothing listens on right now (bound, read, released).
    public static func freePort() throws -> Int {
        try ClosedPort().port
    }
}

public struct PeerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
