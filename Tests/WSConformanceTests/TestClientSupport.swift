import Foundation
import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport
@testable import WSCaseRunner
@testable import WSCatalog
@testable import WSClientTesting
@testable import WSResults

/// A fuzzing server on a free loopback port with the shipped cases matching `patterns`, its results
/// in a fresh temporary directory (or `directory`).
struct TestFuzzingServer {
    let server: FuzzingServer
    let store: ClientResultStore
    let directory: URL
    let serving: Task<FuzzingServer.StopReason, Never>
    let updates: UpdateCounter

    var url: String { server.url }

    static func start(_ patterns: [String], directory: URL? = nil, exclusions: [AgentExclusion] = [],
                      options: CaseRunOptions = CaseRunOptions(), tls: TLSServerConfiguration? = nil,
                      http2: Bool = false) async throws -> TestFuzzingServer {
        let catalog = try Shipped.catalog()
        let cases = try CaseSelection(catalog: catalog, include: patterns).cases
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-tc-\(UUID().uuidString)")
        let context = ClientRunContext(target: "ws://127.0.0.1:0", catalog: catalog, selection: cases, agentExclusions: exclusions,
                                       metadata: RunMetadata(catalogDigest: "fnv1a64:0", catalogPath: nil,
                                                             catalogCaseCount: catalog.cases.count, options: []))
        let store = try ClientResultStore(directory: dir, context: context)
        var o = options
        o.dataDirectory = catalog.dataDirectory
        let updates = UpdateCounter()
        let server = try await FuzzingServer.start(.init(port: 0, tls: tls, cases: cases, agentExclusions: exclusions, caseOptions: o, http2: http2),
                                                   store: store, onUpdateReports: { await updates.increment() })
        await store.setTarget(server.url)
        return TestFuzzingServer(server: server, store: store, directory: dir, serving: Task { await server.run() }, updates: updates)
    }

    /// Stops the server and returns why `run()` ended.
    @discardableResult
    func stop() async -> FuzzingServer.StopReason {
        await server.stop()
        let reason = await serving.value
        await store.close()
        return reason
    }

    func removeDirectory() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Waits for `agent`'s result of `last`, then expects `count` results, every one OK.
    func expectAllOK(agent: String, count: Int, last: String) async {
        _ = await store.waitForResult(agent: agent, id: CaseID(last)!)
        let results = await store.results(agent: agent)
        #expect(results.count == count)
        for r in results where r.behavior != "OK" {
            Issue.record("\(r.id): \(r.behavior) / \(r.behaviorClose): \(r.reasons.joined(separator: " "))")
        }
    }

    /// An echo client for `agent` against this server.
    func echoClient(_ agent: String, http2: Bool = false, tls: TLSClientConfiguration? = nil) throws -> EchoClient {
        EchoClient(base: try WebSocketURL(url), agent: agent, tls: tls, http2: http2, caseTimeout: .seconds(60))
    }
}

actor UpdateCounter {
    private(set) var value = 0
    func increment() { value += 1 }
}

/// Sends `GET target` as plain HTTP (no upgrade) and returns the status code and body.
func plainHTTP(_ base: String, _ target: String, extraHeaders: String = "") async throws -> (status: Int, body: String) {
    let url = try WebSocketURL(base)
    let raw = try await RawConnection.connect(host: url.host, port: url.port)
    try await raw.write(ByteBuffer(string: "GET \(target) HTTP/1.1\r\nHost: \(url.host):\(url.port)\r\n\(extraHeaders)\r\n"))
    var text = ""
    while case let .bytes(b) = await raw.read(timeout: .seconds(10)) { text += String(buffer: b) }
    await raw.close()
    let statusLine = text.split(separator: "\r\n").first ?? ""
    let status = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
    let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
    return (status, body)
}

/// Opens a WebSocket to `base + target` and returns the text messages received until the server closes.
func webSocketMessages(_ base: String, _ target: String) async throws -> [String] {
    let session = try await WebSocketSession.connect(to: try WebSocketURL(base).with(target: target))
    var messages: [String] = []
    loop: while true {
        switch await session.next(until: .now + .seconds(10)) {
        case let .event(.message(_, payload)): messages.append(String(buffer: payload))
        case .event(.closeReceived), .event(.failed): await session.finish(); break loop
        case .event: continue
        case .ended, .timeout: await session.raw.close(); break loop
        }
    }
    return messages
}

/// Connects to `base + target` and echoes every message until the server closes.
func echoCase(_ base: String, _ target: String) async throws {
    let session = try await WebSocketSession.connect(to: try WebSocketURL(base).with(target: target))
    while true {
        switch await session.next(until: .now + .seconds(30)) {
        case let .event(.message(kind, payload)): session.withConnection { $0.send(kind, payload) }
        case .event(.closeReceived), .event(.failed): await session.finish(); return
        case .event: continue
        case .ended, .timeout: await session.raw.close(); return
        }
    }
}
