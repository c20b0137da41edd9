import Foundation
import NIOCore
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge
@testable import WSNetFuzz
@testable import WSResults

/// The network fuzzer's generator and case rendering, without sockets: determinism, case files that
/// load back unchanged, and the generator's claims (valid is valid, each violation is one) checked
/// against the engine's own strict endpoint.
@Suite("NetFuzz generator")
struct NetFuzzGeneratorTests {
    static let builder = FuzzCaseBuilder(deadline: .seconds(2), section: 90, seed: 42, command: "fuzz-server")

    @Test("the same seed gives the same sequences and the same bytes; another seed others", arguments: [Role.client, .server])
    func determinism(role: Role) {
        let a = FuzzSequenceGenerator(seed: 42, role: role)
        let b = FuzzSequenceGenerator(seed: 42, role: role)
        let c = FuzzSequenceGenerator(seed: 43, role: role)
        var differing = 0
        for i in 0..<100 {
            let s = a.sequence(i)
            #expect(s == b.sequence(i))
            #expect(wire(Self.builder.testCase(s).steps, role: role) == wire(Self.builder.testCase(b.sequence(i)).steps, role: role))
            if s != c.sequence(i) { differing += 1 }
        }
        #expect(differing >= 95)
        // Sequence i does not depend on what was generated before it.
        #expect(a.sequence(57) == FuzzSequenceGenerator(seed: 42, role: role).sequence(57))
    }

    @Test("every kind of violation and of valid item turns up")
    func coverage() {
        let g = FuzzSequenceGenerator(seed: 7, role: .client)
        let sequences = (0..<400).map(g.sequence)
        let kinds = Set(sequences.compactMap { $0.violation?.kind })
        #expect(kinds == Set(ViolationKind.byDefault))
        let all = FuzzSequenceGenerator(seed: 7, role: .client, options: .init(kinds: ViolationKind.allCases))
        #expect(Set((0..<400).compactMap { all.sequence($0).violation?.kind }) == Set(ViolationKind.allCases))
        let items = sequences.flatMap(\.items)
        #expect(items.contains { if case .ping = $0 { true } else { false } })
        #expect(items.contains { if case .pong = $0 { true } else { false } })
        #expect(items.contains { if case let .message(m) = $0 { m.fragments.count > 2 && m.fragments.contains { $0.pingAfter != nil } } else { false } })
        #expect(sequences.contains { $0.isValid } && sequences.contains { !$0.isValid })
    }

    @Test("generated cases written as YAML load back as the same cases", arguments: [Role.client, .server])
    func yamlRoundTrip(role: Role) throws {
        let g = FuzzSequenceGenerator(seed: 99, role: role, options: .init(maxPayload: 3000))
        let cases = (0..<100).map { Self.builder.testCase(g.sequence($0)) }
        let text = FuzzCaseYAML.file(section: 90, title: "Fuzz findings", cases: cases, comments: ["a \"comment\"\nover lines"])
        let loaded = try CatalogLoader.load(sources: [("fuzz.yaml", text)])
        #expect(loaded.cases.count == cases.count)
        for c in cases {
            let back = try #require(loaded.cases.first { $0.id == c.id })
            #expect(back.steps == c.steps, "\(c.id)")
            #expect(back.expect == c.expect, "\(c.id)")
            #expect(back.title == c.title && back.description == c.description && back.expectationText == c.expectationText)
            #expect(back.autoClose == c.autoClose && back.rfc == c.rfc)
        }
    }

    @Test("valid sequences are valid and every violation is one, as the engine's strict endpoint sees them",
          arguments: [Role.client, .server])
    func claimsHoldForTheEngine(role: Role) throws {
        // The harness's role is `role`; the peer under test has the other one.
        let peerRole: Role = role == .client ? .server : .client
        let g = FuzzSequenceGenerator(seed: 2024, role: role, options: .init(maxPayload: 5000))
        for i in 0..<300 {
            let s = g.sequence(i)
            let c = Self.builder.testCase(s)
            var connection = Connection(configuration: ConnectionConfiguration(role: peerRole))
            connection.receive(ByteBuffer(bytes: wire(c.steps, role: role)))
            var events: [ConnectionEvent] = []
            while let e = connection.nextEvent() { events.append(e) }
            let answers: [ExpectedEvent] = events.compactMap {
                switch $0 {
                case let .message(kind, payload): .message(kind == .text ? .text : .binary, .hex(Array(payload.readableBytesView)))
                case let .ping(payload): .pong(.hex(Array(payload.readableBytesView)))
                default: nil
                }
            }
            let expected = c.expect.outcomes[0].events
            if let v = s.violation {
                #expect(answers == expected, "sequence \(i): the valid prefix")
                guard case let .failed(error)? = events.last else {
                    Issue.record("sequence \(i): \(v.summary) was accepted: \(events)")
                    continue
                }
                #expect(v.kind.closeCodes.contains(error.closeCode), "sequence \(i): \(v.summary) failed with \(error)")
            } else {
                #expect(answers == expected, "sequence \(i)")
                guard case let .closeReceived(code, _)? = events.last else {
                    Issue.record("sequence \(i): no Close at the end: \(events.suffix(2))")
                    continue
                }
                #expect(code == s.close.code)
            }
        }
    }

    @Test("shrinking candidates keep a sequence's meaning")
    func shrinkCandidates() {
        let g = FuzzSequenceGenerator(seed: 5, role: .client)
        for i in 0..<100 {
            let s = g.sequence(i)
            for candidate in FuzzShrinker.candidates(s) {
                #expect(candidate != s)
                #expect(candidate.isValid == s.isValid)
                #expect(candidate.violation?.kind == s.violation?.kind)
                #expect(candidate.items.count <= s.items.count)
            }
        }
    }

    @Test("findings are sorted into kinds from what was observed")
    func classification() {
        let valid = FuzzSequence(index: 0, items: [.message(FuzzMessage(type: .text, payload: Array("hi".utf8),
                                                                        fragments: [.init(length: 2, mask: .auto)]))],
                                 violation: nil, close: FuzzClose(code: .normalClosure, reason: []))
        let c = Self.builder.testCase(valid)
        func kind(_ o: Observation) -> FuzzFindingKind {
            let r = CaseResult(testCase: c, verdict: Judge.verdict(case: c, observation: o, role: .client), observation: o,
                               harnessRole: .client, peerName: nil, startedAt: Date(), wallTime: .zero)
            return FuzzFindingKind.classify(r, valid)
        }
        let opened = HandshakeRecord(completed: true)
        #expect(kind(Observation(handshake: opened, closeSent: CloseRecord(code: .goingAway), closeInitiator: .harness,
                                 harnessFailure: HarnessFailure(.guardTimer))) == .noAnswer)
        #expect(kind(Observation(handshake: opened, closeReceived: CloseRecord(code: .protocolError), closeInitiator: .peer)) == .rejectedValid)
        #expect(kind(Observation(handshake: opened, events: [.message(.binary, ByteBuffer(bytes: Array("hi".utf8)))],
                                 closeInitiator: .harness)) == .wrongEcho)
        #expect(kind(Observation(handshake: HandshakeRecord(completed: false))) == .handshakeFailed)
    }

    /// The octets the runner writes for `steps` (frames and Close steps; the rest sends nothing).
    func wire(_ steps: [Step], role: Role) -> [UInt8] {
        var out = ByteBuffer()
        for step in steps {
            switch step {
            case let .frame(f):
                let key: MaskingKey? = switch f.mask {
                case let .key(k): k
                case .auto: role == .client ? MaskingKey(1, 2, 3, 4) : nil
                case .none: nil
                case .random: MaskingKey(5, 6, 7, 8)
                }
                let header = FrameHeader(fin: f.fin, rsv: f.rsv, opcode: f.opcode, maskingKey: key,
                                         payloadLength: UInt64(f.payload.count), lengthEncoding: f.lengthEncoding)
                let k = FrameWriter.writeHeader(header, into: &out)
                FrameWriter.writePayload(ByteBuffer(bytes: f.payload.bytes()), maskingKey: k, into: &out)
            case let .close(c):
                FrameWriter.write(Frame(opcode: .close, maskingKey: role == .client ? MaskingKey(9, 9, 9, 9) : nil,
                                        bytes: c.payloadBytes()), into: &out)
            default:
                break
            }
        }
        return Array(out.readableBytesView)
    }
}
