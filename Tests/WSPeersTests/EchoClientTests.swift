import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport

/// A tiny fuzzing server speaking Autobahn's URL protocol (`/getCaseCount`, `/runCase`,
/// `/updateReports`), built on `RawListener` and `WebSocketSession`: each case sends one message
/// and checks the echo.
struct TinyFuzzingServer: Sendable {
    let listener: RawListener
    let deflate: Bool

    struct Report: Sendable, Equatable {
        var targets: [String] = []
        /// Case number → whether the echo matched the message sent.
        var echoed: [Int: Bool] = [:]
        var reportsUpdated = false
    }

    /// The message case `n` sends: text, binary, and a text sent in fragments.
    static func message(_ n: Int) -> (MessageKind, ByteBuffer, fragmentSize: Int?) {
        switch n {
        case 1: (.text, ByteBuffer(string: "case one: κόσμε"), nil)
        case 2: (.binary, pattern(100_000), nil)
        default: (.text, textPayload(5_000), 700)
        }
    }

    /// Serves connections one after the other until `/updateReports` (the client is sequential).
    func serve() async throws -> Report {
        var report = Report()
        let options = WebSocketServerOptions(deflate: deflate ? ServerDeflateConfig() : nil)
        while !report.reportsUpdated {
            let raw = try await listener.accept(until: .now + .seconds(30))
            let session = try await WebSocketSession.accept(raw, options: options)
            let target = session.request.target ?? ""
            report.targets.append(target)
            if target == "/getCaseCount" {
                try await session.send(.text, ByteBuffer(string: "3"))
            } else if target.hasPrefix("/runCase?"), let n = Self.caseNumber(target) {
                let (kind, payload, fragmentSize) = Self.message(n)
                session.withConnection { $0.send(kind, payload, fragmentSize: fragmentSize) }
                try await session.flush()
                if case let .event(.message(echoKind, echo)) = await session.nextEvent() {
                    report.echoed[n] = echoKind == kind && echo == payload
                } else {
                    report.echoed[n] = false
                }
            } else if target.hasPrefix("/updateReports?") {
                report.reportsUpdated = true
            }
            await session.close()
        }
        return report
    }

    static func caseNumber(_ target: String) -> Int? {
        let query = target.split(separator: "?").last ?? ""
        for item in query.split(separator: "&") where item.hasPrefix("case=") { return Int(item.dropFirst(5)) }
        return nil
    }
}

@Suite(.timeLimit(.minutes(1))) struct EchoClientTests {
    @Test(arguments: [false, true])
    func runsEveryCaseAndEchoes(_ deflate: Bool) async throws {
        let listener = try await RawListener.bind()
        let fuzzer = TinyFuzzingServer(listener: listener, deflate: deflate)
        async let served = fuzzer.serve()
        let base = WebSocketURL(secure: false, host: "127.0.0.1", port: listener.port)
        let client = EchoClient(base: base, agent: "wsconform test/1", deflate: deflate, caseTimeout: .seconds(20))
        let progress = LockedLines()
        let summary = try await client.runAll(progress: { n, total in progress.append("\(n)/\(total)") })
        let report = try await served

        #expect(summary.cases == 3)
        #expect(summary.failedToOpen.isEmpty)
        #expect(progress.lines == ["1/3", "2/3", "3/3"])
        #expect(report.echoed == [1: true, 2: true, 3: true])
        #expect(report.targets == [
            "/getCaseCount",
            "/runCase?case=1&agent=wsconform%20test%2F1",
            "/runCase?case=2&agent=wsconform%20test%2F1",
            "/runCase?case=3&agent=wsconform%20test%2F1",
            "/updateReports?agent=wsconform%20test%2F1",
        ])
        await listener.close()
    }

    @Test func unreachableFuzzingServerIsAnError() async throws {
        let listener = try await RawListener.bind()
        let port = listener.port
        await listener.close()
        let client = EchoClient(base: WebSocketURL(secure: false, host: "127.0.0.1", port: port), agent: "a")
        await #expect(throws: WebSocketOpenError.self) { try await client.runAll() }
    }
}
