import NIOCore
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge

/// autobahn.md §6.6: three deliberately broken echo servers, harness as client, failByDrop false.
/// The observations are what those servers make a runner record:
/// * Sloppy echoes every data frame it gets (reserved opcodes and RSV ignored, invalid UTF-8 echoed),
///   answers pings (a too-long one with a pong cut to 125 octets), replies to a Close with 1000;
/// * WrongCode is Sloppy replying to a Close with 1011;
/// * NoCloseReply is Sloppy never answering a Close, so the harness drops TCP after its timeout.
@Suite struct AutobahnBrokenServerTableTests {
    enum Server: CaseIterable { case sloppy, wrongCode, noCloseReply }

    func tc(_ id: String) throws -> TestCase { try #require(try Shipped.catalog()[CaseID(id)!]) }

    /// The harness closes first (auto-close, guard or its own Close step) and the server reacts.
    func harnessCloses(_ server: Server, _ code: CloseCode?, _ events: [ReceivedEvent] = [],
                       failure: HarnessFailureReason? = nil) -> Observation {
        switch server {
        case .sloppy: Build.observation(events, .harnessCloses(code, reply: .code(1000)), tcpClosedBy: .peer, failure: failure)
        case .wrongCode: Build.observation(events, .harnessCloses(code, reply: .code(1011)), tcpClosedBy: .peer, failure: failure)
        case .noCloseReply:
            Build.observation(events, .harnessCloses(code, reply: .none), tcpClosedBy: .harness,
                              failure: failure ?? .closeHandshakeTimeout)
        }
    }

    func verdict(_ id: String, _ o: Observation, role: Role = .client) throws -> String {
        Judge.verdict(case: try tc(id), observation: o, role: role).description
    }

    @Test(arguments: Server.allCases) func table(_ s: Server) throws {
        // 1.1.1: echo, then the harness's auto-close.
        let expected111 = ["OK / OK", "OK / WRONG CODE", "OK / UNCLEAN"][Server.allCases.firstIndex(of: s)!]
        #expect(try verdict("1.1.1", harnessCloses(s, 1000, [Build.text("")])) == expected111)

        // 2.5: the server answers the oversized ping; the guard then closes with 1001.
        #expect(try verdict("2.5", harnessCloses(s, 1001, [Build.pong([UInt8](repeating: 0xFE, count: 125))],
                                                 failure: .guardTimer)) == "FAILED / FAILED")
        // 3.1, 3.2, 4.1.1, 4.1.3, 5.1: bad frames echoed or answered; the guard closes.
        let hello = Build.text("Hello, world!")
        let rows: [(String, [ReceivedEvent])] = [
            ("3.1", [hello]), ("3.2", [hello, hello, Build.pong([])]), ("4.1.1", [Build.binary([])]),
            ("4.1.3", [hello, Build.binary([]), Build.pong([])]), ("5.1", [Build.pong("fragment1fragment2")]),
        ]
        for (id, events) in rows {
            #expect(try verdict(id, harnessCloses(s, 1001, events, failure: .guardTimer)) == "FAILED / FAILED", "\(id)")
        }
        // 6.3.1: the echo of invalid UTF-8 makes the harness fail the connection (1007); the
        // discarded echo leaves no events, which matches OK, but the wrong endpoint closed first.
        let utf8 = ProtocolError(.invalidUTF8InText(messageOffset: 11), offset: 13)
        let v631 = Judge.verdict(case: try tc("6.3.1"), observation: harnessCloses(s, 1007, failure: .protocolViolation(utf8)),
                                 role: .client)
        #expect(v631.description == "FAILED / FAILED")
        #expect(v631.matchedOutcome == .ok, "the events did match")
        // 6.4.1, 6.4.3: both barriers pass, then the echo is invalid and the harness fails it.
        for id in ["6.4.1", "6.4.3"] {
            #expect(try verdict(id, harnessCloses(s, 1007, [.timeout("A"), .timeout("B")], failure: .protocolViolation(utf8)))
                == "FAILED / FAILED")
        }
        // 7.3.2, 7.5.1, 7.9.1: the harness's bad Close is answered with 1000/1011, or not at all.
        for id in ["7.3.2", "7.5.1", "7.9.1"] {
            let expected = ["FAILED / WRONG CODE", "FAILED / WRONG CODE", "OK / FAILED BY CLIENT"][Server.allCases.firstIndex(of: s)!]
            #expect(try verdict(id, harnessCloses(s, 1000)) == expected, "\(id)")
        }
        // 7.7.1: a valid Close 1000.
        let expected771 = ["OK / OK", "FAILED / WRONG CODE", "OK / UNCLEAN"][Server.allCases.firstIndex(of: s)!]
        #expect(try verdict("7.7.1", harnessCloses(s, 1000)) == expected771)
        // 7.13.1: always informational.
        #expect(try verdict("7.13.1", harnessCloses(s, 5000)) == "INFORMATIONAL / INFORMATIONAL")
    }

    @Test func wrongCodeTextsInSection7() throws {
        let v = Judge.verdict(case: try tc("7.9.1"), observation: harnessCloses(.wrongCode, 0), role: .client)
        #expect(v.result == "The close code should have been 1002 or empty")
        #expect(v.result == v.resultClose)
        let v2 = Judge.verdict(case: try tc("7.7.2"), observation: harnessCloses(.wrongCode, 1001), role: .client)
        #expect(v2.resultClose == "The close code should have been 1000,1001 or empty")
    }

    /// With failByDrop the harness drops TCP instead of sending a Close.
    @Test func failByDropAgainstSloppy() throws {
        let utf8 = ProtocolError(.invalidUTF8InText(messageOffset: 11), offset: 13)
        let dropped631 = Build.observation([], .noClose, tcpClosedBy: .harness, failure: .protocolViolation(utf8))
        #expect(try verdict("6.3.1", dropped631) == "OK / FAILED BY CLIENT")
        // As server there is no rule 5: the same client bug scores OK / OK.
        #expect(try verdict("6.3.1", dropped631, role: .server) == "OK / OK")
        // 3.7: Sloppy takes the raw close frame for a Close and answers 1000 first.
        #expect(try verdict("3.7", Build.observation([], .peerCloses(1000), tcpClosedBy: .peer)) == "OK / WRONG CODE")
        // 4.1.1: the reserved opcode is echoed; the guard drops TCP.
        #expect(try verdict("4.1.1", Build.observation([Build.binary([])], .noClose, tcpClosedBy: .harness, failure: .guardTimer))
            == "FAILED / FAILED BY CLIENT")
    }
}

/// The order and scope of the rules in autobahn.md §3.2–§3.4.
@Suite struct JudgeRuleTests {
    func tc(_ id: String) throws -> TestCase { try #require(try Shipped.catalog()[CaseID(id)!]) }

    @Test func neverOpened() throws {
        let o = Build.observation([], .noClose, tcpClosedBy: .peer, opened: false)
        let v = Judge.verdict(case: try tc("2.5"), observation: o, role: .client)
        #expect(v.description == "FAILED / FAILED", "even though [] would match the OK list")
        #expect(v.resultClose == "The WebSocket opening handshake was never completed!")
        #expect(v.result == "Actual events differ from any expected.")
    }

    @Test func conformingPeersPass() throws {
        // 2.5 failed by the peer with 1002, or by a dropped connection: both OK / OK.
        #expect(Judge.verdict(case: try tc("2.5"), observation: Build.observation([], .peerCloses(1002), tcpClosedBy: .peer),
                              role: .client).description == "OK / OK")
        #expect(Judge.verdict(case: try tc("2.5"), observation: Build.observation([], .noClose, tcpClosedBy: .peer),
                              role: .client).description == "OK / OK")
        let ok = Judge.verdict(case: try tc("1.1.1"),
                               observation: Build.observation([Build.text("")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer),
                               role: .client)
        #expect(ok.result == "Actual events match at least one expected." && ok.resultClose == "Connection was properly closed")
    }

    @Test func nonStrictIsTheSecondList() throws {
        let v = Judge.verdict(case: try tc("3.2"), observation: Build.observation([], .peerCloses(1002), tcpClosedBy: .peer), role: .client)
        #expect(v.description == "NON-STRICT / OK" && v.matchedOutcome == .nonStrict)
        let f = Judge.verdict(case: try tc("6.4.1"), observation: Build.observation([.timeout("A"), .timeout("B")], .peerCloses(1007),
                                                                                   tcpClosedBy: .peer), role: .client)
        #expect(f.description == "NON-STRICT / OK")
        let early = Judge.verdict(case: try tc("6.4.1"), observation: Build.observation([], .peerCloses(1007), tcpClosedBy: .peer),
                                  role: .client)
        #expect(early.behavior == .failed, "failing on the valid prefix is too early")
    }

    @Test func wrongEndpointComesBeforeUncleanAndWrongCode() throws {
        // 2.5 expects the peer to close; here the harness closed, the reply was 1011 and TCP was dropped.
        let o = Build.observation([], .harnessCloses(1001, reply: .code(1011)), tcpClosedBy: .harness, failure: .guardTimer)
        let v = Judge.verdict(case: try tc("2.5"), observation: o, role: .client)
        #expect(v.behaviorClose == .failed && v.resultClose == "The connection was failed by the wrong endpoint")
        #expect(v.behavior == .ok, "outside UTF-8 cases a wrong endpoint does not fail the behaviour")
    }

    @Test func uncleanComesBeforeWrongCode() throws {
        // 1.1.1 requires a clean close; the peer answered 1011 and then the harness had to drop TCP.
        let o = Build.observation([Build.text("")], .harnessCloses(1000, reply: .code(1011)), tcpClosedBy: .harness,
                                  failure: .serverConnectionDropTimeout)
        let v = Judge.verdict(case: try tc("1.1.1"), observation: o, role: .client)
        #expect(v.description == "OK / UNCLEAN")
        #expect(v.resultClose == "The spec requires the connection to be failed cleanly here")
        // The same as server: the harness closing TCP after the handshake is its job, so it is clean.
        #expect(Judge.verdict(case: try tc("1.1.1"), observation: o, role: .server).description == "OK / WRONG CODE")
    }

    @Test func missingCodeAlwaysPassesTheCodeCheck() throws {
        let empty = Build.observation([], .harnessCloses(nil, reply: .empty), tcpClosedBy: .peer)
        #expect(Judge.verdict(case: try tc("7.3.1"), observation: empty, role: .client).description == "OK / OK")
        let drop = Build.observation([], .noClose, tcpClosedBy: .peer)
        #expect(Judge.verdict(case: try tc("4.2.1"), observation: drop, role: .client).description == "OK / OK")
    }

    @Test func failedByClientOnlyForTheClientRole() throws {
        let o = Build.observation([], .harnessCloses(1000, reply: .none), tcpClosedBy: .harness, failure: .closeHandshakeTimeout)
        let client = Judge.verdict(case: try tc("7.3.2"), observation: o, role: .client)
        #expect(client.behaviorClose == .failedByClient && client.resultClose == "It is preferred that the server close the TCP connection")
        #expect(Judge.verdict(case: try tc("7.3.2"), observation: o, role: .server).behaviorClose == .ok)
    }

    @Test func wrongCodeOutsideSection7KeepsTheBehaviour() throws {
        // 6.3.1 failed with 1002 instead of 1007: events match, close WRONG CODE, behaviour stays OK.
        let o = Build.observation([], .peerCloses(1002), tcpClosedBy: .peer)
        #expect(Judge.verdict(case: try tc("6.3.1"), observation: o, role: .client).description == "OK / WRONG CODE")
        // The same mistake in section 7 fails the case, and `result` takes the close text.
        let v = Judge.verdict(case: try tc("7.5.1"), observation: Build.observation([], .harnessCloses(1000, reply: .code(1011)),
                                                                                   tcpClosedBy: .peer), role: .client)
        #expect(v.description == "FAILED / WRONG CODE" && v.result == "The close code should have been 1002,1007 or empty")
    }

    @Test func informationalCases() throws {
        let c = try tc("7.1.6")
        let onlyHello = Build.observation([Build.text("Hello World!")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        let a = Judge.verdict(case: c, observation: onlyHello, role: .client)
        #expect(a.description == "INFORMATIONAL / INFORMATIONAL" && a.result == "Text message was processed before close.")
        let nothing = Build.observation([], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        #expect(Judge.verdict(case: c, observation: nothing, role: .client).result == "Close was processed before text message could be returned.")
        let big = ReceivedEvent.message(.text, ByteBuffer(bytes: Payload.repeated(.utf8("BAsd7&jh23"), length: 262144).bytes()))
        let both = Build.observation([big, Build.text("Hello World!")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        let b = Judge.verdict(case: c, observation: both, role: .client)
        #expect(b.behavior == .informational && b.result == "Actual events differ from any expected.")
        let v = Judge.verdict(case: try tc("7.13.2"), observation: Build.observation([], .noClose, tcpClosedBy: .peer, opened: false),
                              role: .client)
        #expect(v.description == "INFORMATIONAL / INFORMATIONAL" && v.result == "Actual events are undefined by the spec.")
    }

    @Test func deflateCasesWithoutDeflateAreUnimplemented() throws {
        let o = Build.observation([], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer, deflate: false)
        let v = Judge.verdict(case: try tc("12.1.1"), observation: o, role: .client)
        #expect(v.description == "UNIMPLEMENTED / OK")
    }

    @Test func echoChecks() throws {
        let c = try tc("9.1.1")
        func run(_ e: [ReceivedEvent]) -> Verdict {
            Judge.verdict(case: c, observation: Build.observation(e, .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer),
                          role: .client)
        }
        let good = run([.message(.text, ByteBuffer(repeating: 0x2A, count: 65536))])
        #expect(good.description == "OK / OK" && good.result == "Received text message of length 65536.")
        let short = run([.message(.text, ByteBuffer(repeating: 0x2A, count: 100))])
        #expect(short.behavior == .failed && short.result == "Expected text message with payload of length 65536, but got 100.")
        #expect(run([.message(.binary, ByteBuffer(repeating: 0, count: 65536))]).result == "Expected text message with payload, but got binary.")
        let none = Judge.verdict(case: c, observation: Build.observation([], .harnessCloses(nil, reply: .code(1000)), tcpClosedBy: .peer),
                                 role: .client)
        #expect(none.description == "FAILED / OK" && none.result == "Did not receive message within 10 seconds.")
    }

    @Test func roundTrips() throws {
        func run(_ id: String, _ log: RoundTripLog?) throws -> Verdict {
            Judge.verdict(case: try tc(id), observation: Build.observation([], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer,
                                                                          deflate: true, roundTrips: log), role: .client)
        }
        #expect(try run("9.7.1", RoundTripLog(completed: 1000)).result == "Ok, received all echo'ed messages in time.")
        #expect(try run("9.7.1", RoundTripLog(completed: 1000)).description == "OK / OK")
        let m = RoundTripMismatch(index: 3, expectedType: .text, expectedLength: 16, gotType: .binary, gotLength: 5)
        #expect(try run("9.7.2", RoundTripLog(completed: 3, mismatch: m)).result
            == "Echo'ed message type or length differs from what I sent (got binary = True, payload length = 5).")
        #expect(try run("12.1.1", RoundTripLog(completed: 3, mismatch: m)).result
            == "Echo'ed message type differs from what I sent (got binary True, expected binary False).")
        let len = RoundTripMismatch(index: 0, expectedType: .text, expectedLength: 16, gotType: .text, gotLength: 15)
        #expect(try run("13.1.1", RoundTripLog(completed: 0, mismatch: len)).result
            == "Echo'ed message length differs from what I sent (got length 15, expected length 16).")
        let sha = RoundTripMismatch(index: 0, expectedType: .binary, expectedLength: 16, expectedSHA1: [0xab, 0xcd], gotType: .binary,
                                    gotLength: 16, gotSHA1: [0x01, 0x02])
        #expect(try run("12.2.1", RoundTripLog(completed: 0, mismatch: sha)).result
            == "Echo'ed message contents differs from what I sent (got SHA1 0102, expected SHA1 abcd).")
        let partial = try run("12.2.3", RoundTripLog(completed: 10))
        #expect(partial.description == "FAILED / OK" && partial.result == "Case did not finish within 120 seconds.")
    }

    @Test func harnessFrameSelfCheck() throws {
        let c = try tc("10.1.1")
        let echo = [ReceivedEvent.message(.text, ByteBuffer(repeating: 0x2A, count: 65536))]
        let good = Build.observation(echo, .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer, sentFrames: [0: 50, 1: 1, 8: 1])
        #expect(Judge.verdict(case: c, observation: good, role: .client).description == "OK / OK")
        let bad = Build.observation(echo, .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer, sentFrames: [1: 1, 8: 1])
        let v = Judge.verdict(case: c, observation: bad, role: .client)
        #expect(v.behavior == .failed && v.result == "Frames transmitted {0: 0, 1: 1} does not match what we expected {0: 50, 1: 1}.")
    }

    @Test func autoCloseHelper() throws {
        #expect(try tc("1.1.1").shouldAutoClose(after: [Build.text("")]))
        #expect(!(try tc("1.1.1").shouldAutoClose(after: [])))
        // Two different outcome lists can never both match, so no auto-close (3.2), and none when
        // the case turns it off (7.1.6) or expects the peer to close (2.5).
        #expect(!(try tc("3.2").shouldAutoClose(after: [Build.text("Hello, world!")])))
        #expect(!(try tc("7.1.6").shouldAutoClose(after: [Build.text("Hello World!")])))
        #expect(!(try tc("2.5").shouldAutoClose(after: [])))
        #expect(try tc("5.19").closeCodeForAutoClose == 1000)
    }

    @Test func reasonsExplainTheVerdict() throws {
        let o = Build.observation([Build.pong("x")], .harnessCloses(1001, reply: .code(1000)), tcpClosedBy: .peer, failure: .guardTimer)
        let v = Judge.verdict(case: try tc("2.5"), observation: o, role: .client)
        #expect(v.reasons.count == 2)
        #expect(v.reasons[0].contains("matches no expected outcome"))
        #expect(v.reasons[1].contains("expected from the peer but came from the harness"))
    }
}
