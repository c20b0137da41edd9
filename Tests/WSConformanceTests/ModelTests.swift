import NIOCore
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge
import WSRandom

@Suite struct ModelTests {
    @Test func caseIDs() {
        #expect(CaseID("6.4.1")?.segments == [6, 4, 1])
        for bad in ["", "6.", ".1", "6..1", "6.a", "06.1", "-1", "6.4.1 "] { #expect(CaseID(bad) == nil, "\(bad)") }
        #expect(CaseID("9.8.6")! < CaseID("10.1.1")!)
        #expect(CaseID("2.9")! < CaseID("2.10")!)
        #expect(CaseID("2")! < CaseID("2.1")!)
        #expect(CaseID("6.4.1")?.subsection == CaseID("6.4") && CaseID("2.10")?.subsection == nil)
    }

    @Test func payloads() {
        #expect(Payload.repeated(.utf8("abc"), length: 7).bytes() == Array("abcabca".utf8))
        #expect(Payload.repeated(.utf8("abc"), length: 2).bytes() == Array("ab".utf8))
        #expect(Payload.repeated(.hex([0xFE]), length: 0).bytes().isEmpty)
        let big = Payload.repeated(.utf8("BAsd7&jh23"), length: 1_000_003)
        let bytes = big.bytes()
        #expect(bytes.count == 1_000_003 && big.count == 1_000_003)
        #expect(bytes[999_990..<1_000_003].elementsEqual(Array("BAsd7&jh23BAs".utf8)))
        #expect(Payload.concat([.utf8("ab"), .hex([0, 1])]).bytes() == [0x61, 0x62, 0, 1])
        let r1 = Payload.random(seed: 7, length: 33).bytes(), r2 = Payload.random(seed: 7, length: 33).bytes()
        #expect(r1 == r2 && r1.count == 33 && r1 != Payload.random(seed: 8, length: 33).bytes())
        #expect(parseHex("ce ba:e1_bd") == [0xCE, 0xBA, 0xE1, 0xBD] && parseHex("abc") == nil && parseHex("zz") == nil)
        #expect(Payload.utf8("κ").equals(ByteBuffer(bytes: [0xCE, 0xBA])))
        #expect(!Payload.utf8("κ").equals(ByteBuffer(bytes: [0xCE])))
    }

    @Test func splitMix64MatchesTheReference() {
        // First outputs of SplitMix64 seeded with 0 (Vigna's reference implementation).
        var r = DeterministicRandom(seed: 0)
        #expect(r.next() == 0xE220_A839_7B1D_CDAF && r.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func scalarsInCaseFiles() {
        #expect(NodeReader.parseInt("64KiB") == 65536 && NodeReader.parseInt("4MiB") == 4 << 20 && NodeReader.parseInt("0x7e") == 126)
        #expect(NodeReader.parseInt("65_536") == 65536 && NodeReader.parseInt("-1") == nil && NodeReader.parseInt("1.5") == nil)
        #expect(NodeReader.parseDuration("1s") == .seconds(1) && NodeReader.parseDuration("500ms") == .milliseconds(500))
        #expect(NodeReader.parseDuration("0.5s") == .milliseconds(500) && NodeReader.parseDuration("10") == .seconds(10))
        #expect(NodeReader.parseDuration("1.5ms") == .microseconds(1500))
        #expect(NodeReader.parseDuration("soon") == nil && NodeReader.parseDuration("-1s") == nil && NodeReader.parseDuration("1.s") == nil)
    }

    @Test func closeBodies() {
        #expect(CloseStep(.code(1000, reason: .utf8("ok"))).payloadBytes() == [0x03, 0xE8, 0x6F, 0x6B])
        #expect(CloseStep(.code(65535, reason: .empty)).payloadBytes() == [0xFF, 0xFF])
        #expect(CloseStep(.raw(.utf8("a"))).payloadBytes() == [0x61] && CloseStep(.raw(.empty)).code == nil)
    }

    @Test func deflateParameterParsing() throws {
        let p = try DeflateParameters.parse("permessage-deflate; client_max_window_bits; server_max_window_bits=9").get()
        #expect(p.clientMaxWindowBits == 0 && p.serverMaxWindowBits == 9 && !p.serverNoContextTakeover)
        #expect(p.description == "permessage-deflate; client_max_window_bits; server_max_window_bits=9")
        for bad in ["deflate", "permessage-deflate; server_max_window_bits", "permessage-deflate; server_max_window_bits=16",
                    "permessage-deflate; foo", "permessage-deflate; client_no_context_takeover; client_no_context_takeover"] {
            if case .success = DeflateParameters.parse(bad) { Issue.record("accepted \(bad)") }
        }
    }

    @Test func wireLogIsBounded() {
        var log = WireLog(headLimit: 3, tailLimit: 2, octetLimit: 4)
        for i in 0..<10 {
            log.append(WireLogEntry(at: .milliseconds(i), direction: .sent, kind: .octets(count: 100, head: Array(repeating: UInt8(i), count: 100))))
        }
        #expect(log.totalCount == 10 && log.omitted == 5)
        #expect(log.entries.map { $0.at } == [0, 1, 2, 8, 9].map { Duration.milliseconds($0) })
        if case let .octets(count, head) = log.entries[0].kind { #expect(count == 100 && head.count == 4) } else { Issue.record("kind") }
    }

    @Test func observationDerivedFields() {
        var o = Observation(handshake: HandshakeRecord(completed: true))
        o.openedAt = .milliseconds(5)
        o.endedAt = .milliseconds(1006)
        #expect(o.durationMilliseconds == 1001)
        #expect(!o.wasClean(harnessRole: .client) && o.notCleanReason(harnessRole: .client)?.contains("without a closing handshake") == true)
        o.closeSent = CloseRecord(code: 1000)
        o.closeReceived = CloseRecord(code: 1000)
        o.closeInitiator = .harness
        o.tcpEnd = TCPEnd(closedFirstBy: .harness, kind: .fin)
        #expect(o.closedByHarness && o.droppedByHarness && o.remoteCloseCode == 1000)
        #expect(!o.wasClean(harnessRole: .client), "a client that must drop TCP itself is not clean")
        #expect(o.wasClean(harnessRole: .server), "a server closes TCP after the handshake")
        o.tcpEnd = TCPEnd(closedFirstBy: .peer, kind: .fin)
        #expect(o.wasClean(harnessRole: .client) && o.notCleanReason(harnessRole: .client) == nil)
    }
}
