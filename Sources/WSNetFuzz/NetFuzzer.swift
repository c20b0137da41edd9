import Foundation
import NIOCore
import WSCaseRunner
import WSEngine
import WSTransport

/// Structure-aware network fuzzing of a live peer (RFC 6455): random valid and invalid sequences,
/// each on its own connection, judged like catalog cases; every finding is written as a case file.
///
/// ```swift
/// let report = try await NetFuzzer.fuzzServer(url: "ws://127.0.0.1:9001", options: NetFuzzOptions(seed: 42))
/// #expect(report.findings.isEmpty)
/// ```
public enum NetFuzzer {
    /// The catalog section finding files use (server findings; client findings use the next one).
    public static let serverSection = 90
    public static let clientSection = 91

    /// Fuzzes the server at `url` (the harness is the client).
    public static func fuzzServer(url: String, options: NetFuzzOptions, tls: TLSClientConfiguration? = nil,
                                  progress: @escaping @Sendable (NetFuzzEvent) async -> Void = { _ in })
        async throws(NetFuzzError) -> NetFuzzReport {
        let target: WebSocketURL
        do { target = try WebSocketURL(url) } catch { throw .invalidURL(error.description) }
        let o = options.caseOptions
        let driver = ClientRoleDriver(url: target, tls: target.secure ? (tls ?? TLSClientConfiguration()) : nil,
                                      userAgent: o.userAgent, origin: o.origin, protocols: o.subprotocols)
        try await probe(driver, url: url, timeout: o.openHandshakeTimeout)
        let writer = options.outputDirectory.map {
            FuzzFindingWriter(directory: $0, section: serverSection, sectionTitle: "Fuzz findings (wsconform fuzz-server)",
                              command: "fuzz-server", target: url, seed: options.seed)
        }
        let run = NetFuzzRun(driver: driver, launcher: NoLauncher(), options: options,
                             builder: FuzzCaseBuilder(deadline: options.deadline, section: serverSection, seed: options.seed,
                                                      command: "fuzz-server"),
                             unreachableIsDeath: true, writer: writer)
        return await run.run(progress: progress)
    }

    /// Fuzzes the clients that connect to `listener` (the harness is the server): each connection
    /// gets one sequence. `launcher` starts a client per sequence (or `NoLauncher` when clients come
    /// on their own); the run stops when none connects within `acceptTimeout`.
    public static func fuzzClient<L: FuzzPeerLauncher>(listener: RawListener, launcher: L, options: NetFuzzOptions,
                                                       acceptTimeout: Duration = .seconds(10),
                                                       progress: @escaping @Sendable (NetFuzzEvent) async -> Void = { _ in })
        async -> NetFuzzReport {
        let writer = options.outputDirectory.map {
            FuzzFindingWriter(directory: $0, section: clientSection, sectionTitle: "Fuzz findings (wsconform fuzz-client)",
                              command: "fuzz-client", target: "--listen \(listener.host):\(listener.port)", seed: options.seed)
        }
        let driver = FuzzListenerDriver(listener: listener, acceptTimeout: acceptTimeout)
        let run = NetFuzzRun(driver: driver, launcher: launcher,
                             options: options,
                             builder: FuzzCaseBuilder(deadline: options.deadline, section: clientSection, seed: options.seed,
                                                      command: "fuzz-client"),
                             unreachableIsDeath: false, writer: writer)
        let report = await run.run(progress: progress)
        await driver.stop()
        return report
    }

    /// One plain connection (handshake, Close) before the first sequence, so an absent server is one
    /// clear error and not a "died" finding.
    static func probe(_ driver: ClientRoleDriver, url: String, timeout: Duration) async throws(NetFuzzError) {
        var attempt = 1
        while true {
            switch await driver.open(deflate: nil, timeout: timeout, start: .now) {
            case let .opened(o):
                await o.closeAsProbe()
                return
            case let .handshakeFailed(record, _):
                throw .unreachable("\(url): the opening handshake failed: \(record.failure ?? "?")")
            case let .unreachable(error):
                if attempt >= 3 { throw .unreachable("\(url) is unreachable: \(error)") }
                try? await Task.sleep(for: .milliseconds(200 * attempt))
                attempt += 1
            }
        }
    }
}
