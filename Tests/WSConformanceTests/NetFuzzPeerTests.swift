import Foundation
import NIOCore
import Testing
import WSTestSupport
import WSEngine
import WSPeers
import WSTransport
@testable import WSCatalog
@testable import WSNetFuzz
@testable import WSServerTesting

/// fuzz-server and fuzz-client against live peers on 127.0.0.1: the bundled strict peers give no
/// findings; deliberately broken ones are found, and their finding files load and fail when rerun.
@Suite("NetFuzz against live peers", .timeLimit(.minutes(3)))
struct NetFuzzPeerTests {
    static func options(_ seed: UInt64, sequences: Int, kinds: [ViolationKind] = ViolationKind.allCases, invalidPercent: Int = 60,
                        out: URL? = nil, shrink: Int = 10) -> NetFuzzOptions {
        NetFuzzOptions(seed: seed, duration: .seconds(60), maxSequences: sequences, jobs: 2, deadline: .seconds(1),
                       shrinkAttempts: shrink, shrinkTime: .seconds(20), outputDirectory: out,
                       generator: .init(violationPercent: invalidPercent, kinds: kinds, maxPayload: 20_000))
    }

    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("netfuzz-\(UUID().uuidString)")
    }

    @Test("fuzz-server: the bundled echo server gives no findings")
    func echoServerIsClean() async throws {
        try await withEchoServer(deflate: false) { url in
            let report = try await NetFuzzer.fuzzServer(url: url, options: Self.options(11, sequences: 80))
            #expect(report.sequences == 80)
            #expect(report.validSequences > 10 && report.validSequences < 70)
            #expect(report.findings.isEmpty, "\(report.findings.map(\.summary))")
        }
    }

    @Test("fuzz-server: a server that echoes without checking UTF-8 is found; its case file loads and fails when rerun")
    func lenientServerIsFound() async throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        try await withScriptedServer({ raw, leftover in await lenientEcho(raw, leftover: leftover, role: .server) }) { url in
            let report = try await NetFuzzer.fuzzServer(url: url, options: Self.options(3, sequences: 6, kinds: [.invalidUTF8, .invalidUTF8Split],
                                                                                         invalidPercent: 100, out: out))
            let finding = try #require(report.findings.first)
            #expect(finding.kind == .invalidFromPeer || finding.kind == .acceptedInvalid || finding.kind == .notFailed)
            #expect(finding.sequence.violation?.kind == .invalidUTF8 || finding.sequence.violation?.kind == .invalidUTF8Split)
            #expect(finding.reproduced == true)
            #expect(finding.sequence.items.isEmpty, "shrinking drops the valid prefix")
            #expect(report.files.count == report.findings.count)

            let catalog = try CatalogLoader.load(directory: out)
            #expect(catalog.cases.count == report.findings.count)
            #expect(catalog.cases.allSatisfy { $0.id.section == NetFuzzer.serverSection })
            let rerun = try await Conformance.run(catalog.cases, against: url, options: RunOptions(jobs: 1))
            #expect(rerun.results.count == catalog.cases.count)
            #expect(rerun.results.allSatisfy { !$0.passed })
        }
    }

    @Test("fuzz-server: a server that never answers is found (no answer in time)")
    func silentServerIsFound() async throws {
        try await withScriptedServer({ raw, _ in await drain(raw) }) { url in
            var options = Self.options(8, sequences: 3, invalidPercent: 0, shrink: 0)
            options.deadline = .milliseconds(300)
            let report = try await NetFuzzer.fuzzServer(url: url, options: options)
            // A sequence with nothing to answer but the Close passes (only the closing handshake is
            // unclean); the others expect echoes or pongs.
            #expect(!report.findings.isEmpty)
            #expect(report.findings.allSatisfy { $0.kind == .noAnswer })
            #expect(report.sequences == 3)
        }
    }

    @Test("fuzz-server: a server that stops listening has died, and the run stops there")
    func deadServerStopsTheRun() async throws {
        let listener = try await RawListener.bind()
        let served = ManagedCounter()
        let task = Task {
            while let raw = try? await listener.accept() {
                guard let leftover = await acceptHandshake(raw) else { continue }
                // The probe, then two sequences; then the server goes away.
                if served.increment() >= 3 { await listener.close() }
                await lenientEcho(raw, leftover: leftover, role: .server)
            }
        }
        let report = try await NetFuzzer.fuzzServer(url: "ws://127.0.0.1:\(listener.port)/", options: Self.options(21, sequences: 50))
        await listener.close()
        await task.value
        #expect(report.findings.contains { $0.kind == .died })
        #expect(report.stop?.contains("died") == true)
        #expect(report.sequences < 50)
    }

    @Test("fuzz-server: an absent server is an error, not a finding")
    func unreachable() async throws {
        let closed = try ClosedPort()
        await #expect(throws: NetFuzzError.self) {
            _ = try await NetFuzzer.fuzzServer(url: "ws://127.0.0.1:\(closed.port)/", options: Self.options(1, sequences: 1))
        }
    }

    @Test("fuzz-client: the bundled echo client gives no findings")
    func echoClientIsClean() async throws {
        let listener = try await RawListener.bind()
        let launcher = InProcessClients(url: "ws://127.0.0.1:\(listener.port)/", lenient: false)
        let report = await NetFuzzer.fuzzClient(listener: listener, launcher: launcher, options: Self.options(5, sequences: 40),
                                                acceptTimeout: .seconds(5))
        await listener.close()
        #expect(report.sequences == 40)
        #expect(report.findings.isEmpty, "\(report.findings.map(\.summary))")
    }

    @Test("fuzz-client: a client that echoes without checking UTF-8 is found; its case file loads")
    func lenientClientIsFound() async throws {
        let out = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let listener = try await RawListener.bind()
        let launcher = InProcessClients(url: "ws://127.0.0.1:\(listener.port)/", lenient: true)
        let report = await NetFuzzer.fuzzClient(listener: listener, launcher: launcher,
                                                options: Self.options(9, sequences: 6, kinds: [.invalidUTF8], invalidPercent: 100, out: out),
                                                acceptTimeout: .seconds(5))
        await listener.close()
        let finding = try #require(report.findings.first)
        #expect(finding.sequence.violation?.kind == .invalidUTF8)
        let catalog = try CatalogLoader.load(directory: out)
        #expect(catalog.cases.count == report.findings.count)
        #expect(catalog.cases.allSatisfy { $0.id.section == NetFuzzer.clientSection })
        // As server the harness sends unmasked frames (mask: auto).
        let frames = catalog.cases.flatMap(\.steps).compactMap { if case let .frame(f) = $0 { f } else { nil } }
        #expect(frames.allSatisfy { $0.mask == .auto })
    }

    @Test("fuzz-client: no client connecting ends the run with no sequence run")
    func noClient() async throws {
        let listener = try await RawListener.bind()
        let report = await NetFuzzer.fuzzClient(listener: listener, launcher: NoLauncher(), options: Self.options(1, sequences: 3),
                                                acceptTimeout: .milliseconds(300))
        await listener.close()
        #expect(report.sequences == 0)
        #expect(report.findings.isEmpty)
        #expect(report.stop != nil)
    }
}

/// A thread-safe counter for test servers.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}

/// Starts an in-process client per sequence: the bundled echo client, or a lenient one.
struct InProcessClients: FuzzPeerLauncher {
    let url: String
    let lenient: Bool

    func launch(sequence: Int) async -> Task<Void, Never> {
        let url = self.url
        let lenient = self.lenient
        return Task {
            if lenient {
                await lenientClient(url: url)
            } else {
                let client = EchoClient(base: try! WebSocketURL(url), agent: "test", deflate: false, caseTimeout: .seconds(20))
                try? await client.runCase(sequence, log: { _ in })
            }
        }
    }

    func finish(_ handle: Task<Void, Never>) async -> String? {
        await handle.value
        return nil
    }
}

/// Connects to `url`, completes the opening handshake and echoes leniently until the end.
func lenientClient(url: String) async {
    guard let target = try? WebSocketURL(url),
          let raw = try? await RawConnection.connect(host: target.host, port: target.port) else { return }
    let request = ClientHandshakeRequest(host: target.host, port: target.port, path: target.target)
    guard (try? await raw.write(request.encode())) != nil else { return }
    var parser = HTTPHeadParser(kind: .response)
    while true {
        guard case var .bytes(chunk) = await raw.read(timeout: .seconds(5)) else { return await raw.close() }
        guard let head = try? parser.feed(&chunk) else { continue }
        guard head.status == 101 else { return await raw.close() }
        return await lenientEcho(raw, leftover: chunk, role: .client)
    }
}

/// Echoes every message like the bundled peers but without validating UTF-8: a deliberately broken
/// peer (invalid text is echoed back as it came).
func lenientEcho(_ raw: RawConnection, leftover: ByteBuffer, role: Role) async {
    var connection = Connection(configuration: ConnectionConfiguration(role: role, validateUTF8: false))
    connection.receive(leftover)
    while true {
        var done = false
        while let event = connection.nextEvent() {
            switch event {
            case let .message(kind, payload): connection.send(kind, payload)
            case .closeReceived, .failed: done = true
            default: break
            }
        }
        while let out = connection.takeOutput() { try? await raw.write(out) }
        if done { return await raw.close() }
        guard case let .bytes(chunk) = await raw.read(timeout: .seconds(10)) else { return await raw.close() }
        connection.receive(chunk)
    }
}
