import Foundation
import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport
@testable import WSCaseRunner
@testable import WSCatalog
@testable import WSResultFormat
@testable import WSResults
@testable import WSServerTesting

/// Runs `body` with the bundled echo server listening on a free loopback port.
func withEchoServer(deflate: Bool = true, _ body: (String) async throws -> Void) async throws {
    let server = try await EchoServer.bind(.init(port: 0, deflate: deflate))
    let task = Task { await server.run() }
    do {
        try await body("ws://127.0.0.1:\(server.port)/")
    } catch {
        await server.close()
        await task.value
        throw error
    }
    await server.close()
    await task.value
}

/// A server for tests that misbehave on purpose: it completes each opening handshake correctly
/// (answering permessage-deflate offers with nothing) and then hands the connection to `behave`.
func withScriptedServer(_ behave: @escaping @Sendable (RawConnection, ByteBuffer) async -> Void,
                        _ body: (String) async throws -> Void) async throws {
    let listener = try await RawListener.bind()
    let task = Task {
        await withDiscardingTaskGroup { group in
            while true {
                guard let raw = try? await listener.accept() else { return }
                group.addTask {
                    guard let leftover = await acceptHandshake(raw) else { return }
                    await behave(raw, leftover)
                }
            }
        }
    }
    do {
        try await body("ws://127.0.0.1:\(listener.port)/")
    } catch {
        await listener.close()
        await task.value
        throw error
    }
    await listener.close()
    await task.value
}

/// Reads the request and answers 101; returns the octets that followed the request.
func acceptHandshake(_ raw: RawConnection) async -> ByteBuffer? {
    var parser = HTTPHeadParser(kind: .request)
    while true {
        guard case var .bytes(chunk) = await raw.read(timeout: .seconds(5)) else { return nil }
        guard let head = try? parser.feed(&chunk) else { continue }
        guard case let .success(accepted) = ServerHandshake.validate(request: head) else { return nil }
        try? await raw.write(ServerHandshake.response(for: accepted, extraHeaders: [("Server", "scripted")]))
        return chunk
    }
}

/// Reads and discards until the connection ends or `quiet` passes without octets.
func drain(_ raw: RawConnection, quiet: Duration = .seconds(30)) async {
    while case .bytes = await raw.read(timeout: quiet) {}
}

/// The verdict fields that must not depend on scheduling.
struct VerdictKey: Hashable, CustomStringConvertible {
    var behavior: Behavior
    var behaviorClose: CloseBehavior
    var result: String
    var resultClose: String
    init(_ r: CaseResult) {
        behavior = r.verdict.behavior
        behaviorClose = r.verdict.behaviorClose
        result = r.verdict.result
        resultClose = r.verdict.resultClose
    }
    var description: String { "\(behavior) / \(behaviorClose)" }
}

/// Runs the shipped cases matching `patterns` against `url`.
func runShipped(_ patterns: [String], against url: String, jobs: Int = 8, options: CaseRunOptions = CaseRunOptions(),
                observe: @escaping @Sendable (RunEvent) async -> Void = { _ in }) async throws -> RunReport {
    let catalog = try Shipped.catalog()
    let cases = try CaseSelection(catalog: catalog, include: patterns).cases
    var o = options
    o.dataDirectory = catalog.dataDirectory
    return try await Conformance.run(cases, against: url, options: RunOptions(jobs: jobs, caseOptions: o), observe: observe)
}
