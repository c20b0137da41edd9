import NIOCore
import WSCatalog
import WSEngine
import WSResultFormat

/// Turns a case and what the runner observed into a verdict. Pure: no I/O, no clock.
/// Implements autobahn.md §3.2–§3.4 rule by rule; Cases/README.md ("Verdicts") explains the mapping.
public enum Judge {
    /// Autobahn's texts, kept word for word so reports read the same.
    enum Text {
        static let eventsDiffer = "Actual events differ from any expected."
        static let eventsMatch = "Actual events match at least one expected."
        static let neverOpened = "The WebSocket opening handshake was never completed!"
        static let wrongEndpoint = "The connection was failed by the wrong endpoint"
        static let unclean = "The spec requires the connection to be failed cleanly here"
        static let failedByClient = "It is preferred that the server close the TCP connection"
        static let closeOK = "Connection was properly closed"
        static let allEchoed = "Ok, received all echo'ed messages in time."
        static let noDeflate = "No permessage-deflate extension was negotiated, so the case could not run."
        static func wrongCode(_ codes: [CloseCode]) -> String {
            "The close code should have been \(codes.map(\.description).joined(separator: ",")) or empty"
        }
    }

    /// The verdict for one run. `role` is the harness's role: FAILED BY CLIENT exists only when the
    /// harness is the client, and cleanliness rules differ by role (see `Observation.wasClean`).
    public static func verdict(case testCase: TestCase, observation o: Observation, role: Role) -> Verdict {
        let expect = testCase.expect
        var v = Verdict(behavior: .failed, behaviorClose: .failed, result: Text.eventsDiffer,
                        resultClose: "TCP connection was dropped without close handshake")

        // §3.2: behavior from the events (or from the echo / round-trip checks of 9.x, 12.x, 13.x).
        if !o.opened {
            v.reasons.append("The opening handshake never completed"
                + (o.handshake.failure.map { " (\($0))" } ?? "") + ", so no expectation could be checked.")
        } else if let deflate = testCase.deflate, deflate.required, o.handshake.deflate == nil {
            v.behavior = .unimplemented
            v.result = Text.noDeflate
            v.reasons.append("The case needs permessage-deflate and the handshake negotiated none: UNIMPLEMENTED.")
        } else {
            judgeBehavior(testCase, o, &v)
        }

        // §3.3 rules 1–6: the closing handshake.
        let closedByWrongEndpoint = o.opened && !expect.close.eitherEndpoint && expect.close.closedByHarness != o.closedByHarness
        judgeClose(expect.close, o, role, &v)
        if let worst = expect.close.withoutCode, let close = o.closeReceived, close.code == nil, rank(worst) > rank(v.behavior) {
            v.behavior = worst
            if worst == .failed { v.result = "The peer answered with a Close without a status code." }
            v.reasons.append("The peer's Close carried no status code, which this case scores \(worst) at best.")
        }

        if expect.wrongEndpointIsFatal && closedByWrongEndpoint && v.behavior != .failed {
            v.behavior = .failed
            v.reasons.append("The wrong endpoint closed first and this case treats that as fatal: behavior FAILED.")
        }
        if expect.wrongCodeFailsBehavior && v.behaviorClose == .wrongCode {
            v.behavior = .failed
            v.result = v.resultClose
            v.reasons.append("In this section a wrong close code fails the case: behavior FAILED.")
        }
        if let frames = expect.harnessFrames {
            judgeHarnessFrames(frames, o, &v)
        }
        if let handshake = expect.handshake {
            judgeHandshake(handshake, o, role: role, &v)
        }
        if let h2 = expect.h2 {
            if role == .server { judgeClientRequest(h2, o, &v) } else { judgeH2(h2, o, &v) }
        }
        if let code = o.handshake.h2?.streamReset, !o.opened {
            v.reasons.append("The server reset the extended CONNECT's stream with RST_STREAM \(H2Expectation.codeName(code)).")
        } else if let code = o.handshake.h2?.goAway, !o.opened {
            v.reasons.append("The server ended the connection with GOAWAY \(H2Expectation.codeName(code)).")
        }
        if o.handshake.h2?.refusalLeftStreamOpen == true, !o.opened, v.behavior == .ok {
            v.behavior = .nonStrict
            v.result = "The server refused the extended CONNECT with a status but left the stream open; a malformed request is a stream error that ends it (RFC 9113 §8.1.1)."
            v.reasons.append(v.result)
        }
        if let info = expect.informational {
            if let matched = v.matchedOutcome, let text = info.resultByOutcome[matched] {
                v.result = text
            } else if let text = info.result {
                v.result = text
            }
            v.behavior = .informational
            v.behaviorClose = .informational
            v.reasons.append("The spec leaves this behaviour open: both verdicts are INFORMATIONAL.")
        }
        v.finding = finding(testCase, o, v, role: role)
        return v
    }

    private static func judgeBehavior(_ testCase: TestCase, _ o: Observation, _ v: inout Verdict) {
        switch testCase.expect.source {
        case let .events(outcomes):
            if let hit = outcomes.first(where: { $0.events.matches(o.events) }) {
                v.behavior = hit.behavior
                v.matchedOutcome = hit.behavior
                v.result = Text.eventsMatch
                v.reasons.append("Received \(describe(o.events)), which is the \(hit.behavior) outcome.")
            } else {
                let wanted = outcomes.map { "\($0.behavior): \(describe($0.events))" }.joined(separator: "; ")
                v.reasons.append("Received \(describe(o.events)), which matches no expected outcome (\(wanted)).")
            }
        case let .echo(type, length):
            let seconds = wholeSeconds(testCase.guardTimer(.closeAfter))
            v.result = "Did not receive message within \(seconds) seconds."
            guard let (gotType, buffer) = firstMessage(o.events) else {
                v.reasons.append("No message arrived.")
                return
            }
            if gotType != type {
                v.result = "Expected \(type) message with payload, but got \(gotType)."
            } else if buffer.readableBytes != length {
                v.result = "Expected \(type) message with payload of length \(length), but got \(buffer.readableBytes)."
            } else {
                v.behavior = .ok
                v.result = "Received \(type) message of length \(length)."
            }
            v.reasons.append("The first message was \(gotType) with \(buffer.readableBytes) octets; expected \(type) "
                + "with \(length) (content is not compared, as in Autobahn).")
        case .roundTrips:
            let seconds = wholeSeconds(testCase.guardTimer(.closeAfter))
            v.result = "Case did not finish within \(seconds) seconds."
            guard let spec = testCase.roundTrips else { return }
            let log = o.roundTrips ?? RoundTripLog(completed: 0)
            if let m = log.mismatch {
                v.result = mismatchText(m, spec.compare)
                v.reasons.append("Round trip \(m.index + 1) of \(spec.count) came back different.")
            } else if log.completed >= spec.count {
                v.behavior = .ok
                v.result = Text.allEchoed
                v.reasons.append("All \(spec.count) round trips came back intact.")
            } else {
                v.reasons.append("Only \(log.completed) of \(spec.count) round trips completed before the connection ended.")
            }
        }
    }

    private static func judgeClose(_ exp: CloseExpectation, _ o: Observation, _ role: Role, _ v: inout Verdict) {
        guard o.opened else {
            v.behaviorClose = .failed
            v.resultClose = Text.neverOpened
            return
        }
        let who = o.closedByHarness ? "the harness" : (o.closeInitiator == .peer ? "the peer" : "nobody")
        if !exp.eitherEndpoint && exp.closedByHarness != o.closedByHarness {
            v.behaviorClose = .failed
            v.resultClose = Text.wrongEndpoint
            v.reasons.append("The first Close was expected from \(exp.closedByHarness ? "the harness" : "the peer") "
                + "but came from \(who): close FAILED.")
        } else if exp.requireClean && !o.wasClean(harnessRole: role) {
            v.behaviorClose = .unclean
            v.resultClose = Text.unclean
            v.reasons.append("A clean close was required but \(o.notCleanReason(harnessRole: role) ?? "it was not clean"): UNCLEAN.")
        } else if let code = o.remoteCloseCode, !exp.codes.contains(code), exp.nonStrictCodes.contains(code) {
            v.behaviorClose = .ok
            v.resultClose = Text.closeOK
            if v.behavior == .ok {
                v.behavior = .nonStrict
                v.reasons.append("The peer closed with \(code), which is acceptable but less precise than "
                    + exp.codes.map(\.description).joined(separator: " or ") + ": NON-STRICT.")
            }
        } else if let code = o.remoteCloseCode, !exp.codes.contains(code) {
            v.behaviorClose = .wrongCode
            v.resultClose = Text.wrongCode(exp.codes)
            v.reasons.append("The peer closed with \(code); accepted: \(exp.codes.map(\.description).joined(separator: ", ")) "
                + "or no code: WRONG CODE.")
        } else if role == .client && o.droppedByHarness {
            v.behaviorClose = .failedByClient
            v.resultClose = Text.failedByClient
            v.reasons.append("The harness (client) had to close TCP itself; the server should have: FAILED BY CLIENT.")
        } else {
            v.behaviorClose = .ok
            v.resultClose = Text.closeOK
        }
    }

    /// Sections 20–22: the first handshake rule that matches decides. Without an open connection it
    /// is the whole verdict (there was no closing handshake to judge); with one, the events and close
    /// were judged as usual and the worse `behavior` counts.
    private static func judgeHandshake(_ h: HandshakeExpectation, _ o: Observation, role: Role, _ v: inout Verdict) {
        var outcome = HandshakeOutcome(o)
        outcome.harnessIsServer = role == .server
        outcome.overHTTP2 = o.handshake.http2
        let rule = h.match(outcome)
        let what = outcome.description.prefix(1).uppercased() + outcome.description.dropFirst()
        if o.opened && !h.acceptsOpening {
            // The events and close of a connection that should not exist say nothing useful.
            v.reasons.removeAll()
            v.behaviorClose = .ok
            v.resultClose = "The peer should not have opened the connection; the harness closed it."
        } else if !o.opened {
            // Drop what the Autobahn rules said about a connection that was never meant to open.
            v.reasons.removeAll()
            v.behaviorClose = rule == nil ? .failed : .ok
            v.resultClose = rule == nil ? Text.neverOpened : "No WebSocket connection was opened, so there was no closing handshake."
        }
        if let crowd = o.handshake.crowd { v.reasons.append(crowd) }
        guard let rule else {
            v.behavior = .failed
            v.result = "\(what): not one of the expected outcomes."
            v.reasons.append("\(what); expected: " + h.rules.map(\.description).joined(separator: "; ") + ". FAILED.")
            if let failure = o.handshake.failure { v.reasons.append("The harness's view of the handshake: \(failure).") }
            return
        }
        v.reasons.append("\(what), which matches the rule \"\(rule.description)\".")
        if !o.opened {
            v.behavior = rule.verdict
            v.result = rule.result ?? "\(what)."
        } else if rank(rule.verdict) > rank(v.behavior) {
            v.reasons.append("The handshake's verdict \(rule.verdict) is worse than \(v.behavior) from the events: it counts.")
            v.behavior = rule.verdict
            v.result = rule.result ?? "\(what)."
        } else if let text = rule.result, v.behavior != .failed {
            v.result = text
        }
    }

    /// Section 28.9, harness as server: the client's extended CONNECT; the worse verdict counts.
    private static func judgeClientRequest(_ e: H2Expectation, _ o: Observation, _ v: inout Verdict) {
        guard e.clientRequest else { return }
        guard o.handshake.http2 || o.handshake.h2 != nil else {
            v.behavior = .failed
            v.result = "The client's request never reached the case as an extended CONNECT over HTTP/2."
            v.reasons.append(v.result)
            return
        }
        let findings = o.handshake.h2?.clientRequestFindings ?? []
        if findings.isEmpty {
            v.reasons.append("The client's extended CONNECT carried :scheme and :authority as RFC 8441 §5 and RFC 9113 §8.3.1 ask, and no field an extended CONNECT does not use.")
        }
        for f in findings {
            v.reasons.append(f.text)
            let b: Behavior = f.must ? .failed : .nonStrict
            if rank(b) > rank(v.behavior) {
                v.behavior = b
                v.result = f.text
            }
        }
    }

    /// Section 28: the server's conduct on the HTTP/2 connection; the worse verdict counts.
    private static func judgeH2(_ e: H2Expectation, _ o: Observation, _ v: inout Verdict) {
        let r = o.handshake.h2 ?? H2Record()
        func worsen(_ b: Behavior, _ why: String) {
            v.reasons.append(why)
            if rank(b) > rank(v.behavior) {
                v.behavior = b
                v.result = why
            }
        }
        if r.windowUpdates > 0 {
            v.reasons.append("The server sent \(r.windowUpdates) WINDOW_UPDATE frame\(r.windowUpdates == 1 ? "" : "s").")
        } else if o.opened, v.behavior == .failed {
            v.result = "The server never sent WINDOW_UPDATE, so the harness could send no more than the initial 65,535-octet window and the message stalled (RFC 9113 §6.9)."
            v.reasons.insert(v.result, at: 0)
        }
        if e.connectSetting {
            let values = r.connectProtocolValues
            if values.isEmpty {
                worsen(.failed, "The server never sent SETTINGS_ENABLE_CONNECT_PROTOCOL, so a client may not open a WebSocket over HTTP/2 (RFC 8441 §3).")
            } else if let bad = values.first(where: { $0 > 1 }) {
                worsen(.failed, "The server sent SETTINGS_ENABLE_CONNECT_PROTOCOL = \(bad); its value must be 0 or 1 (RFC 8441 §3).")
            } else if values[0] != 1 {
                worsen(.failed, "The server's first SETTINGS_ENABLE_CONNECT_PROTOCOL is 0: it does not support extended CONNECT (RFC 8441 §3).")
            } else if values.dropFirst().contains(0) {
                worsen(.failed, "The server sent SETTINGS_ENABLE_CONNECT_PROTOCOL = 0 after 1, which RFC 8441 §3 forbids.")
            } else {
                v.reasons.append("The server advertised SETTINGS_ENABLE_CONNECT_PROTOCOL = 1 (\(values.count) time\(values.count == 1 ? "" : "s")).")
            }
        }
        if let codes = e.reset {
            let names = codes.map(H2Expectation.codeName).joined(separator: " or ")
            if let code = r.streamReset ?? r.goAway {
                let how = r.streamReset != nil ? "RST_STREAM" : "GOAWAY"
                if codes.contains(code) {
                    v.reasons.append("The server answered with \(how) \(H2Expectation.codeName(code)), as required.")
                } else {
                    worsen(.nonStrict, "The server answered with \(how) \(H2Expectation.codeName(code)) where RFC 9113 names \(names).")
                }
            } else {
                worsen(.failed, "The server neither reset the stream nor sent GOAWAY (expected \(names), RFC 9113 §5.1).")
            }
        }
        if e.dropIsNonStrict, r.connectionDropped, v.behavior == .failed || v.behaviorClose == .failed {
            v.behavior = .nonStrict
            v.behaviorClose = .informational
            v.result = "The server ended the whole HTTP/2 connection instead of letting its open WebSockets finish (RFC 9113 §6.8: GOAWAY is a graceful end)."
            v.reasons.append(v.result)
            return
        }
        if e.siblings {
            if r.siblingFailures.isEmpty {
                v.reasons.append("All \(r.siblings) sibling WebSocket\(r.siblings == 1 ? "" : "s") on the connection still echoed.")
            } else {
                worsen(.failed, "What happened on one WebSocket broke its siblings on the same HTTP/2 connection: "
                    + r.siblingFailures.joined(separator: "; ") + " (RFC 8441 §5: each WebSocket is its own stream).")
            }
        }
    }

    /// Severity order for combining verdicts (as the reports order them).
    static func rank(_ b: Behavior) -> Int {
        switch b {
        case .ok: 0
        case .nonStrict: 1
        case .informational: 2
        case .unimplemented: 3
        case .failed: 4
        }
    }

    /// The verdict for a case that did not run because it needs values the user did not give
    /// (`TestCase.notApplicableReason`) or tests the other role: UNIMPLEMENTED, which reports show
    /// as skipped.
    public static func notApplicable(_ why: String) -> Verdict {
        Verdict(behavior: .unimplemented, behaviorClose: .informational, result: why,
                       resultClose: "The case did not run, so there was no connection to close.", reasons: [why])
    }

    private static func judgeHarnessFrames(_ expected: [UInt8: Int], _ o: Observation, _ v: inout Verdict) {
        guard o.opened else {
            v.behavior = .failed
            v.result = "WebSocket connection was never open"
            return
        }
        let got = Dictionary(uniqueKeysWithValues: expected.keys.map { ($0, o.sentFrames[$0] ?? 0) })
        if got != expected {
            v.behavior = .failed
            v.result = "Frames transmitted \(pythonDict(got)) does not match what we expected \(pythonDict(expected))."
            v.reasons.append("The harness's own frame counts are wrong: a harness bug, not the peer's fault.")
        }
    }

    static func mismatchText(_ m: RoundTripMismatch, _ compare: RoundTripsStep.Comparison) -> String {
        switch compare {
        case .typeAndLength:
            return "Echo'ed message type or length differs from what I sent (got binary = \(py(m.gotType.isBinary)), "
                + "payload length = \(m.gotLength))."
        case .typeLengthSHA1:
            if m.gotType != m.expectedType {
                return "Echo'ed message type differs from what I sent (got binary \(py(m.gotType.isBinary)), "
                    + "expected binary \(py(m.expectedType.isBinary)))."
            }
            if m.gotLength != m.expectedLength {
                return "Echo'ed message length differs from what I sent (got length \(m.gotLength), expected length \(m.expectedLength))."
            }
            return "Echo'ed message contents differs from what I sent (got SHA1 \(hexString(m.gotSHA1 ?? [])), "
                + "expected SHA1 \(hexString(m.expectedSHA1 ?? [])))."
        }
    }

    private static func firstMessage(_ events: [ReceivedEvent]) -> (MessageType, ByteBuffer)? {
        for e in events { if case let .message(t, b) = e { return (t, b) } }
        return nil
    }

    static func describe(_ events: [ExpectedEvent]) -> String { eventListText(events) }

    static func describe(_ events: [ReceivedEvent]) -> String { eventListText(events) }

    /// Autobahn formats WAITSECS with %d.
    private static func wholeSeconds(_ d: Duration?) -> Int { Int(d?.components.seconds ?? 0) }

    private static func py(_ b: Bool) -> String { b ? "True" : "False" }

    private static func pythonDict(_ d: [UInt8: Int]) -> String {
        "{" + d.keys.sorted().map { "\($0): \(d[$0]!)" }.joined(separator: ", ") + "}"
    }
}
