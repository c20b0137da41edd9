import WSCatalog
import WSEngine
import WSResultFormat

/// The sentence that leads a failed case in every report (HTML, JUnit, terminal, GitHub): what the
/// peer did wrong, e.g. "The server sent invalid UTF-8 in a text message at byte 12 of the message
/// instead of failing the connection with 1007." It is derived from the observation against the
/// case's expectation, by the same facts the verdict was reached on; nothing is written per case.
extension Judge {
    /// One sentence, or nil when the verdict is acceptable.
    static func finding(_ c: TestCase, _ o: Observation, _ v: Verdict, role: Role) -> String? {
        let acceptableBehavior: Set<Behavior> = [.ok, .nonStrict, .informational, .unimplemented]
        let acceptableClose: Set<CloseBehavior> = [.ok, .informational]
        guard !acceptableBehavior.contains(v.behavior) || !acceptableClose.contains(v.behaviorClose) else { return nil }
        let peer = role == .client ? "The server" : "The client"
        let expect = c.expect
        let close = expect.close
        let peerMustFail = !close.eitherEndpoint && !close.closedByHarness

        if let h = expect.handshake, v.behavior == .failed || !o.opened {
            var outcome = HandshakeOutcome(o)
            outcome.harnessIsServer = role == .server
            let wanted = h.rules.filter { $0.verdict == .ok }.map { $0.description.replacing("OK if ", with: "") }
            return sentence(peer, did: Self.peerless(outcome.description),
                            expected: wanted.isEmpty ? nil : wanted.joined(separator: ", or "), style: .parenthesis)
        }
        guard o.opened else {
            return sentence(peer, did: "did not complete the opening handshake" + (o.handshake.failure.map { " (\($0))" } ?? ""))
        }
        if case let .protocolViolation(error)? = o.harnessFailure?.reason {
            let expected: String?
            if peerMustFail {
                expected = failing(close)
            } else if eventsAcceptable(expect, o) && !close.codes.isEmpty {
                // The events were right; the violation came with the closing handshake.
                expected = (o.closeInitiator == .harness ? "answering the harness's Close with " : "closing with ") + codeList(close.codes)
            } else {
                expected = expectedEvents(expect)
            }
            return sentence(peer, did: "sent " + sent(error.violation), expected: expected)
        }
        if peerMustFail && o.closeInitiator != .peer {
            let messages = o.events.filter { if case .message = $0 { true } else { false } }
            var did = o.tcpEnd?.closedFirstBy == .peer && o.closeReceived == nil
                ? "dropped the \(o.carrier) without a Close frame" : "kept the \(o.handshake.http2 ? "stream" : "connection") open"
            if !messages.isEmpty && !eventsAcceptable(expect, o) { did += " and sent " + Judge.describe(messages) }
            if o.harnessFailure?.reason == .guardTimer { did += " until the harness gave up" }
            return sentence(peer, did: did, expected: failing(close))
        }
        if !close.eitherEndpoint && close.closedByHarness && o.closeInitiator == .peer {
            return sentence(peer, did: "closed the connection first" + closeFrame(o.closeReceived),
                            expected: eventsAcceptable(expect, o) ? "waiting for the harness to close" : expectedEvents(expect))
        }
        if v.behaviorClose == .wrongCode, let code = o.remoteCloseCode {
            let did = o.closeInitiator == .harness ? "answered the harness's Close with \(code)" : "closed with \(code)"
            return sentence(peer, did: did, expected: codeList(close.codes))
        }
        if v.behavior == .failed {
            switch expect.source {
            case .events:
                let observed = o.events.isEmpty ? "nothing" : Judge.describe(o.events)
                return sentence(peer, did: "sent " + observed, expected: expectedEvents(expect) ?? "something else")
            case let .echo(type, length):
                return sentence(peer, did: echoText(o), expected: "echoing a \(type) message of \(length) octets")
            case .roundTrips:
                if let m = o.roundTrips?.mismatch, let spec = c.roundTrips {
                    return sentence(peer, did: "echoed round trip \(m.index + 1) of \(spec.count) wrongly: "
                        + lowercasedFirst(Judge.mismatchText(m, spec.compare)))
                }
                let done = o.roundTrips?.completed ?? 0
                let when = o.harnessFailure?.reason == .guardTimer ? "within the case's time limit" : "before the connection ended"
                return sentence(peer, did: "completed only \(done) of \(c.roundTrips?.count ?? 0) round trips \(when)")
            }
        }
        switch v.behaviorClose {
        case .unclean:
            let why = o.notCleanReason(harnessRole: role) ?? "did not close cleanly"
            return sentence(peer, did: Self.peerless(why), expected: "a clean closing handshake")
        case .failedByClient:
            return sentence(peer, did: "did not \(o.handshake.http2 ? "end its HTTP/2 stream" : "close the TCP connection") after the closing handshake, so the harness had to")
        default:
            return sentence(peer, did: "did not do what the case expects: " + lowercasedFirst(v.result))
        }
    }

    private enum Style { case insteadOf, parenthesis }

    /// `The server <did> instead of <expected>.` (or `(expected: …)` when `expected` is a condition).
    private static func sentence(_ peer: String, did: String, expected: String? = nil, style: Style = .insteadOf) -> String {
        var s = did.hasPrefix("the ") || did.hasPrefix("no ") ? did.prefix(1).uppercased() + did.dropFirst() : peer + " " + did
        if let expected {
            s += style == .insteadOf ? " instead of " + expected : " (expected: " + expected + ")"
        }
        return s.hasSuffix(".") ? s : s + "."
    }

    /// What the peer sent, as the object of "sent": the violation in words a sentence can carry.
    private static func sent(_ v: ProtocolViolation) -> String {
        func bits(_ b: ReservedBits) -> String {
            let names = [(4, "RSV1"), (2, "RSV2"), (1, "RSV3")].filter { Int(b.rawValue) & $0.0 != 0 }.map(\.1)
            return names.joined(separator: "+")
        }
        switch v {
        case let .reservedBitsSet(b, op): return "a \(op) frame with \(bits(b)) set (no extension defines it)"
        case let .reservedOpcode(op): return "a frame with the reserved opcode \(op.rawValue)"
        case let .controlFrameTooLong(op, len): return "a \(op) frame with a \(len)-octet payload (control frames carry at most 125)"
        case let .fragmentedControlFrame(op): return "a fragmented \(op) frame"
        case .unexpectedContinuation: return "a continuation frame with no message in progress"
        case let .expectedContinuation(op): return "a \(op) frame in the middle of a fragmented message"
        case .unmaskedFrameFromClient: return "an unmasked frame"
        case .maskedFrameFromServer: return "a masked frame"
        case let .invalidCloseCode(code): return "a Close with the invalid code \(code)"
        case .closePayloadTooShort: return "a Close with a 1-octet payload"
        case let .frameAfterClose(op): return "a \(op) frame after its Close"
        case let .frameTooLarge(len, limit): return "a frame of \(len) octets, over the harness's limit of \(limit)"
        case let .messageTooLarge(size, limit): return "a message of at least \(size) octets, over the harness's limit of \(limit)"
        case .lengthHighBitSet, .nonMinimalLength: return "a " + v.description
        case .compressedBitMisplaced, .invalidUTF8InText, .invalidUTF8InCloseReason, .invalidCompressedData:
            return v.description
        }
    }

    /// "the peer never sent a Close frame" → "never sent a Close frame" (the sentence names the peer).
    private static func peerless(_ text: String) -> String {
        for prefix in ["the peer ", "the client ", "the server "] where text.hasPrefix(prefix) {
            return String(text.dropFirst(prefix.count))
        }
        return text
    }

    /// `failing the connection with 1007` / `closing the connection`.
    private static func failing(_ close: CloseExpectation) -> String {
        if close.codes.isEmpty { return "closing the connection" }
        return Set(close.codes) == [.normalClosure] ? "closing the connection with 1000" : "failing the connection with \(codeList(close.codes))"
    }

    /// `1002 or 1007`, each code once, in the case's order.
    private static func codeList(_ codes: [CloseCode]) -> String {
        var seen: [CloseCode] = []
        for c in codes where !seen.contains(c) { seen.append(c) }
        return seen.map(\.description).joined(separator: " or ")
    }

    /// What the acceptable outcome lists: `sending [text message utf8 "Hello"]`, `sending nothing`.
    private static func expectedEvents(_ e: Expectation) -> String? {
        guard let ok = e.outcomes.first(where: { $0.behavior == .ok }) ?? e.outcomes.first else { return nil }
        let messages = ok.events.filter { if case .timeout = $0 { false } else { true } }
        return messages.isEmpty ? "sending nothing" : "sending " + Judge.describe(messages)
    }

    private static func eventsAcceptable(_ e: Expectation, _ o: Observation) -> Bool {
        e.outcomes.isEmpty || e.outcomes.contains { $0.events.matches(o.events) }
    }

    private static func closeFrame(_ r: CloseRecord?) -> String {
        guard let r else { return "" }
        return r.code.map { " with \($0)" } ?? " with an empty Close"
    }

    private static func echoText(_ o: Observation) -> String {
        for e in o.events {
            if case let .message(type, buffer) = e { return "echoed a \(type) message of \(buffer.readableBytes) octets" }
        }
        return "echoed nothing"
    }

    private static func lowercasedFirst(_ s: String) -> String {
        guard let first = s.first, !s.dropFirst().prefix(1).allSatisfy(\.isUppercase) else { return s }
        return first.lowercased() + s.dropFirst()
    }
}
