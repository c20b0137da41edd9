import WSCatalog
import WSEngine

/// Renders a `FuzzSequence` as a catalog case, which is both what the fuzzer runs and what it writes
/// for a finding, so a finding file reruns exactly what failed.
///
/// Expected events follow from the structure: every message is echoed, every ping answered, in
/// order. Before each ping, before the violation and before the Close the case awaits the last
/// event still expected (`await`), so a peer that echoes from another task than the one answering
/// pings (Python's `websockets`, for one) cannot reorder them, and the echoes of the valid prefix
/// are in before the violation can end the connection.
public struct FuzzCaseBuilder: Sendable {
    /// How long the peer has for each answer: an echo or pong (each `await`), and failing the
    /// connection after a violation or closing after our Close (the final `kill_after` guard).
    public var deadline: Duration
    /// The case ids are `section.seed.index`.
    public var section: Int
    public var seed: UInt64
    /// Used in the case's words ("fuzz-server" or "fuzz-client").
    public var command: String

    public init(deadline: Duration, section: Int, seed: UInt64, command: String) {
        self.deadline = deadline
        self.section = section
        self.seed = seed
        self.command = command
    }

    public func testCase(_ s: FuzzSequence) -> TestCase {
        var steps: [Step] = []
        var events: [ExpectedEvent] = []
        var awaited = 0
        var words: [String] = []
        func sync() {
            guard events.count > awaited, let last = events.last else { return }
            steps.append(.await(AwaitStep(event: last, timeout: deadline)))
            awaited = events.count
        }
        for item in s.items {
            switch item {
            case let .message(m):
                var offset = 0
                for (i, f) in m.fragments.enumerated() {
                    let bytes = Array(m.payload[offset..<(offset + f.length)])
                    offset += f.length
                    steps.append(.frame(FrameStep(opcode: i == 0 ? m.type.opcode : .continuation, fin: i == m.fragments.count - 1,
                                                  payload: .hex(bytes), mask: f.mask, chop: f.chop)))
                    if let ping = f.pingAfter {
                        sync()
                        steps.append(.frame(FrameStep(opcode: .ping, payload: .hex(ping.payload), mask: ping.mask, chop: ping.chop)))
                        events.append(.pong(.hex(ping.payload)))
                    }
                }
                events.append(.message(m.type, .hex(m.payload)))
                let pings = m.fragments.filter { $0.pingAfter != nil }.count
                words.append("a \(m.payload.count)-octet \(m.type) message in \(m.fragments.count) frame(s)"
                    + (pings > 0 ? " with \(pings) ping(s) between them" : ""))
            case let .ping(f):
                sync()
                steps.append(.frame(FrameStep(opcode: .ping, payload: .hex(f.payload), mask: f.mask, chop: f.chop)))
                events.append(.pong(.hex(f.payload)))
                words.append("a ping with \(f.payload.count) octets")
            case let .pong(f):
                steps.append(.frame(FrameStep(opcode: .pong, payload: .hex(f.payload), mask: f.mask, chop: f.chop)))
                words.append("an unsolicited pong with \(f.payload.count) octets")
            case let .pause(ms):
                steps.append(.pause(.milliseconds(ms)))
            }
        }
        sync()
        let valid = events
        let expectation: Expectation
        let title: String
        let expectationText: String
        if let v = s.violation {
            steps += v.frames.map { .frame($0) }
            words.append("then \(v.summary)")
            title = "Fuzz: \(v.summary)"
            expectationText = "The peer echoes the valid messages and answers the pings before the violation, then fails the "
                + "connection (Close \(v.kind.closeCodes.map(\.description).joined(separator: "/")), or dropping TCP) within "
                + "\(CatalogText.format(deadline))."
            expectation = Expectation(source: .events([ExpectedOutcome(.ok, valid)]),
                                      close: CloseExpectation(closedByHarness: false, codes: v.kind.closeCodes, requireClean: false),
                                      wrongEndpointIsFatal: true, wrongCodeFailsBehavior: true)
        } else {
            let body = s.close.reason.isEmpty && s.close.code == .normalClosure ? CloseStep(.code(.normalClosure, reason: .empty))
                : CloseStep(.code(s.close.code, reason: .hex(s.close.reason)))
            steps.append(.close(body))
            words.append("then Close \(s.close.code)")
            title = "Fuzz: valid traffic (\(valid.count) answer\(valid.count == 1 ? "" : "s") expected)"
            expectationText = "The peer echoes every message exactly and answers every ping, each within "
                + "\(CatalogText.format(deadline)), then completes the closing handshake."
            let codes = s.close.code == .normalClosure ? [CloseCode.normalClosure] : [.normalClosure, s.close.code]
            expectation = Expectation(source: .events([ExpectedOutcome(.ok, valid)]),
                                      close: CloseExpectation(closedByHarness: true, codes: codes, requireClean: true))
        }
        steps.append(.guardTimer(GuardStep(.killAfter, after: deadline)))
        return TestCase(id: CaseID([section, Int(seed & 0x7FFF_FFFF_FFFF_FFFF), s.index]), title: title,
                        description: "Sequence \(s.index) of wsconform \(command) --seed \(seed): "
                            + (words.isEmpty ? "nothing" : words.joined(separator: "; ")) + ".",
                        expectationText: expectationText, rfc: s.violation?.kind.rfc ?? ["RFC 6455 §5.4", "RFC 6455 §5.5", "RFC 6455 §5.6"],
                        steps: steps, expect: expectation, autoClose: false,
                        source: SourceLocation(file: "<\(command) seed \(seed)>", line: s.index + 1))
    }
}
