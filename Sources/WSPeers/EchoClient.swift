import NIOCore
import WSEngine
import WSTransport

/// The bundled echo client: a client under test that follows the Autobahn fuzzingserver protocol
/// (`/getCaseCount`, `/runCase?case=N&agent=A`, `/updateReports?agent=A`) and echoes every message.
public struct EchoClient: Sendable {
    public var base: WebSocketURL
    public var agent: String
    public var options: WebSocketClientOptions
    /// Bound on one case (a misbehaving fuzzing server cannot stall the run).
    public var caseTimeout: Duration

    public init(base: WebSocketURL, agent: String, deflate: Bool = true, tls: TLSClientConfiguration? = nil,
                http2: Bool = false, caseTimeout: Duration = .seconds(600)) {
        self.base = base
        self.agent = agent
        // Autobahn's own testee client offers exactly this. zlib level 1, as the echo server: any
        // level is valid permessage-deflate, and a reference peer should not slow compression cases.
        self.options = WebSocketClientOptions(tls: tls, deflate: deflate ? .autobahn : nil, compressionLevel: 1, http2: http2)
        self.caseTimeout = caseTimeout
    }

    public struct Summary: Sendable {
        public var cases: Int
        /// Cases whose connection could not be opened (the fuzzing server judges them).
        public var failedToOpen: [Int]
    }

    /// Runs every case the server announces, then asks it to write its reports.
    public func runAll(progress: @Sendable (Int, Int) -> Void = { _, _ in },
                       log: @escaping @Sendable (String) -> Void = { _ in }) async throws(WebSocketOpenError) -> Summary {
        let count = try await caseCount()
        var failed: [Int] = []
        for n in 1...max(count, 1) where count > 0 {
            progress(n, count)
            do { try await runCase(n, log: log) } catch {
                log("case \(n): \(error)")
                failed.append(n)
            }
        }
        try await updateReports()
        return Summary(cases: count, failedToOpen: failed)
    }

    /// `/getCaseCount`: the server sends the number as a text message.
    public func caseCount() async throws(WebSocketOpenError) -> Int {
        let session = try await WebSocketSession.connect(to: base.with(target: "/getCaseCount"), options: options)
        var count: Int?
        loop: while true {
            switch await session.next(until: .now + .seconds(10)) {
            case let .event(.message(_, payload)):
                count = Int(String(buffer: payload).trimmingCharacters(in: " \r\n"))
                await session.close()
                break loop
            case .event(.closeReceived), .event(.failed):
                await session.finish()
                break loop
            case .event: continue
            case .ended, .timeout: await session.raw.close(); break loop
            }
        }
        guard let count else { throw .handshake(.malformedHead("/getCaseCount did not answer with a number")) }
        return count
    }

    /// `/runCase?case=N&agent=A`: echoes until the server closes.
    public func runCase(_ n: Int, log: (String) -> Void) async throws(WebSocketOpenError) {
        try await runCase(at: base.with(target: "/runCase?case=\(n)&agent=\(Self.queryEscape(agent))"), log: log)
    }

    /// Echoes on one `/runCase` URL until the server closes (a client started once per case, e.g. by
    /// `wsconform test-client --client-cmd 'wsconform echo-client {url}'`).
    public func runCase(at url: WebSocketURL, log: (String) -> Void) async throws(WebSocketOpenError) {
        let n = url.target
        let session = try await WebSocketSession.connect(to: url, options: options)
        if await PushedEcho.run(session, limit: .deadline(.now + caseTimeout)) == .timedOut {
            log("\(n): no end within \(caseTimeout), closing")
        }
    }

    /// `/updateReports?agent=A`: the server writes its reports, then closes.
    public func updateReports() async throws(WebSocketOpenError) {
        let url = base.with(target: "/updateReports?agent=\(Self.queryEscape(agent))")
        let session = try await WebSocketSession.connect(to: url, options: options)
        while true {
            switch await session.next(until: .now + .seconds(60)) {
            case .event(.closeReceived), .event(.failed): await session.finish(); return
            case .event: continue
            case .ended, .timeout: await session.raw.close(); return
            }
        }
    }

    /// Percent-escapes everything but unreserved characters (RFC 3986), unlike Autobahn's own client.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(b)))
            default:
                out += "%" + String(b, radix: 16, uppercase: true).leftPad(2)
            }
        }
        return out
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }

    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
