import NIOCore
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge

/// Verdicts for the expectations added in sections 20-26, on hand-built observations.
@Suite struct BeyondJudgeTests {
    func tc(_ id: String) throws -> TestCase { try #require(try Shipped.catalog()[CaseID(id)!]) }

    func response(_ status: Int, _ headers: [(String, String)] = []) -> HTTPHead {
        HTTPHead(startLine: .response(version: .http1_1, status: status, reason: "R"), headers: HTTPHeaderFields(headers))
    }

    /// A handshake that ended without opening: with this response head (nil: none) and TCP ended by `tcp`.
    func refused(_ head: HTTPHead?, tcp: Endpoint = .harness) -> Observation {
        Observation(handshake: HandshakeRecord(completed: false, failure: "refused", responseHead: head),
                    tcpEnd: TCPEnd(closedFirstBy: tcp, kind: .fin))
    }

    /// A handshake that opened with a 101 carrying `headers`, then `flow`.
    func opened(_ events: [ReceivedEvent], _ flow: Build.Flow, headers: [(String, String)] = []) -> Observation {
        var o = Build.observation(events, flow, tcpClosedBy: .peer)
        o.handshake.responseHead = response(101, headers)
        return o
    }

    func verdict(_ id: String, _ o: Observation) throws -> Verdict {
        Judge.verdict(case: try tc(id), observation: o, role: .client)
    }

    @Test func refusalsAreJudgedOnTheResponseAlone() throws {
        // 20.2.2 (version 8): 426 with the version header is OK, a bare 400 NON-STRICT, a drop NON-STRICT.
        let ok = try verdict("20.2.2", refused(response(426, [("Sec-WebSocket-Version", "13")])))
        #expect(ok.description == "OK / OK")
        #expect(ok.result == "The peer answered 426 R." && ok.resultClose.contains("no closing handshake"))
        #expect(try verdict("20.2.2", refused(response(400))).description == "NON-STRICT / OK")
        #expect(try verdict("20.2.2", refused(nil, tcp: .peer)).description == "NON-STRICT / OK")
        // No response and TCP still up when the harness gave up: no rule matches.
        let silent = try verdict("20.2.2", refused(nil))
        #expect(silent.description == "FAILED / FAILED" && silent.result.contains("complete HTTP response arrived"))
        // A list header counts element by element, case-insensitively.
        #expect(try verdict("20.2.3", refused(response(426, [("sec-websocket-version", "13, 8")]))).behavior == .ok)
    }

    /// Section 28: expect.h2 and the HTTP/2 refusal rules on hand-built records.
    @Test func http2ExpectationsAreJudged() throws {
        let echo = [Build.text("Hello, wsconform")]
        func h2(_ record: H2Record, _ events: [ReceivedEvent] = [Build.text("Hello, wsconform")]) -> Observation {
            var o = opened(events, .harnessCloses(1000, reply: .code(1000)))
            o.handshake.responseHead = response(200)
            o.handshake.h2 = record
            return o
        }
        // 28.1.1: SETTINGS_ENABLE_CONNECT_PROTOCOL 1 is OK; 0 after 1, or 2, fails with the rule named.
        #expect(try verdict("28.1.1", h2(H2Record(connectProtocolValues: [1]))).description == "OK / OK")
        let withdrawn = try verdict("28.1.1", h2(H2Record(connectProtocolValues: [1, 0])))
        #expect(withdrawn.behavior == .failed && withdrawn.result.contains("0 after 1"))
        #expect(try verdict("28.1.1", h2(H2Record(connectProtocolValues: [2]))).result.contains("must be 0 or 1"))
        // 28.6.1: a sibling that no longer echoes fails the case with what happened to it.
        #expect(try verdict("28.6.1", h2(H2Record(siblings: 2))).description == "OK / OK")
        let broken = try verdict("28.6.1", h2(H2Record(siblings: 2, siblingFailures: ["sibling 1 did not echo"])))
        #expect(broken.behavior == .failed && broken.result.contains("sibling 1 did not echo"))
        // 28.8.7: RST_STREAM STREAM_CLOSED is OK, another code NON-STRICT, none FAILED.
        let quiet = H2Record()
        #expect(try verdict("28.8.7", h2(H2Record(streamReset: 5), [])).behavior == .ok)
        #expect(try verdict("28.8.7", h2(H2Record(goAway: 5), [])).behavior == .ok)
        #expect(try verdict("28.8.7", h2(H2Record(streamReset: 1), [])).behavior == .nonStrict)
        #expect(try verdict("28.8.7", h2(quiet, [])).behavior == .failed)
        // 28.8.5: a server that drops the connection after the client's GOAWAY is NON-STRICT.
        var dropped = H2Record()
        dropped.connectionDropped = true
        var gone = Build.observation([], .noClose, tcpClosedBy: .peer)
        gone.handshake.responseHead = response(200)
        gone.handshake.h2 = dropped
        #expect(try verdict("28.8.5", gone).description == "NON-STRICT / INFORMATIONAL")
        #expect(try verdict("28.8.5", h2(quiet, echo)).description == "OK / OK")
        // 28.2.1: a reset stream or a 4xx that ends the stream is OK; a 4xx left open NON-STRICT; a 200 FAILED.
        #expect(try verdict("28.2.1", refused(nil, tcp: .peer)).behavior == .ok)
        var leftOpen = refused(response(400))
        leftOpen.handshake.h2 = H2Record()
        leftOpen.handshake.h2?.refusalLeftStreamOpen = true
        #expect(try verdict("28.2.1", leftOpen).behavior == .nonStrict)
        #expect(try verdict("28.2.1", refused(response(400))).behavior == .ok)
        #expect(try verdict("28.2.1", refused(response(200))).behavior == .failed)
    }

    @Test func aConnectionThatShouldNotOpenFails() throws {
        // 20.3.4 (Host missing): the server opened; the harness closed; the case fails on behavior only.
        let v = try verdict("20.3.4", opened([], .harnessCloses(1000, reply: .code(1000))))
        #expect(v.description == "FAILED / OK")
        #expect(v.result.contains("101") && v.resultClose.contains("should not have opened"))
        #expect(v.reasons.count == 1, "only the handshake reason: \(v.reasons)")
    }

    @Test func openedCasesCombineHandshakeAndEvents() throws {
        let echo = [Build.text("Hello, wsconform")]
        // 20.4.3 (keep-alive, Upgrade) must open and echo.
        #expect(try verdict("20.4.3", opened(echo, .harnessCloses(1000, reply: .code(1000)))).description == "OK / OK")
        #expect(try verdict("20.4.3", opened([], .harnessCloses(1001, reply: .code(1001)))).behavior == .failed)
        #expect(try verdict("20.4.3", refused(response(400))).description == "FAILED / FAILED")
        // 20.2.4 ("13, 8"): opening is NON-STRICT even with a perfect echo; the worse verdict counts.
        let lenient = try verdict("20.2.4", opened(echo, .harnessCloses(1000, reply: .code(1000))))
        #expect(lenient.description == "NON-STRICT / OK")
        #expect(lenient.reasons.contains { $0.contains("worse than OK") })
        // 20.7.2 (Origin): informational either way, with the rule's own text.
        let origin = try verdict("20.7.2", refused(response(403)))
        #expect(origin.behavior == .informational && origin.result.contains("refused the Origin"))
    }

    @Test func declinedAndEchoedExtensions() throws {
        let echo = [Build.text("Hello, wsconform")]
        let closes = Build.Flow.harnessCloses(1000, reply: .code(1000))
        // 22.3.1: a 101 that accepts the invalid offer (in any form) fails; one without it passes.
        #expect(try verdict("22.3.1", opened(echo, closes)).behavior == .ok)
        let accepted = opened(echo, closes, headers: [("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=8")])
        #expect(try verdict("22.3.1", accepted).behavior == .failed)
        // 22.2.2: permessage-deflate may be accepted, the unknown extension never.
        #expect(try verdict("22.2.2", opened(echo, closes, headers: [("Sec-WebSocket-Extensions", "permessage-deflate")])).behavior == .ok)
        #expect(try verdict("22.2.2", opened(echo, closes, headers: [("Sec-WebSocket-Extensions", "X-WSCONFORM-UNKNOWN")])).behavior == .failed)
    }

    @Test func eitherEndpointAndNonStrictCodes() throws {
        // 23.1.1 (non-minimal length): failing at once is OK; processing the frame is NON-STRICT.
        #expect(try verdict("23.1.1", Build.observation([], .peerCloses(1002), tcpClosedBy: .peer)).description == "OK / OK")
        let lenient = Build.observation([Build.text("Hello"), .timeout("A")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        #expect(try verdict("23.1.1", lenient).description == "NON-STRICT / OK")
        #expect(try verdict("23.1.1", Build.observation([.timeout("A")], .harnessCloses(1000, reply: .code(1000)),
                                                        tcpClosedBy: .peer)).behavior == .failed, "ignoring the frame")
        // 26.2.1 (invalid UTF-8 reason): 1007 is OK, 1002 NON-STRICT, 1000 fails the case.
        #expect(try verdict("26.2.1", Build.observation([], .harnessCloses(1000, reply: .code(1007)), tcpClosedBy: .peer)).description == "OK / OK")
        let p = try verdict("26.2.1", Build.observation([], .harnessCloses(1000, reply: .code(1002)), tcpClosedBy: .peer))
        #expect(p.description == "NON-STRICT / OK" && p.reasons.contains { $0.contains("less precise") })
        #expect(try verdict("26.2.1", Build.observation([], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)).description
            == "FAILED / WRONG CODE")
    }

    @Test func notApplicableIsASkip() throws {
        let v = Judge.notApplicable(try tc("25.1.1").notApplicableReason ?? "")
        #expect(v.description == "UNIMPLEMENTED / INFORMATIONAL", "acceptable: reports count it as skipped")
        #expect(v.result.contains("--max-message-size"))
    }
}
