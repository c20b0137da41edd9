import WSEngine
import WSResultFormat
import Yams

extension NodeReader {
    static let caseKeys = ["id", "title", "description", "expectation", "rfc", "notes", "steps", "expect", "auto_close",
                           "auto_fragment_size", "deflate", "report_time", "report_compression_ratio", "template", "vary",
                           "roles", "requires"]

    /// A case mapping (templates merged, vary substituted) to a `TestCase`, with its semantic checks.
    func testCase(_ node: Node, _ field: String) throws(CatalogError) -> TestCase {
        let f = try fields(node, field, allowed: NodeReader.caseKeys,
                           required: ["id", "title", "description", "expectation", "steps", "expect"])
        let idText = try f.requiredString("id")
        guard let id = CaseID(idText) else {
            throw error(f["id"], f.path("id"), "\"\(idText)\" is not a case id; use dot-separated numbers such as 6.4.1")
        }
        var steps: [Step] = []
        for (i, s) in try sequence(f[raw: "steps"]!, f.path("steps")).enumerated() {
            steps.append(try step(s, "\(f.path("steps"))[\(i)]"))
        }
        let expect = try expectation(f[raw: "expect"]!, f.path("expect"))
        var deflate: DeflateSpec?
        if let d = f["deflate"] { deflate = try deflateSpec(d, f.path("deflate")) }
        var roles = CaseRole.allCases
        if f.has("roles") {
            var named: Set<CaseRole> = []
            for name in try f.strings("roles") {
                guard let r = CaseRole(rawValue: name) else {
                    throw error(f["roles"], f.path("roles"), "unknown role \"\(name)\"; valid: \(list(CaseRole.allCases.map(\.rawValue)))")
                }
                named.insert(r)
            }
            roles = CaseRole.allCases.filter(named.contains)
            if roles.isEmpty { throw error(f["roles"], f.path("roles"), "list at least one role") }
        }
        let location = SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        let tc = TestCase(
            id: id, title: try f.requiredString("title"), description: try f.requiredString("description"),
            expectationText: try f.requiredString("expectation"), rfc: try f.strings("rfc"), notes: try f.strings("notes").filter { !$0.isEmpty },
            steps: steps, expect: expect, autoClose: try f.bool("auto_close") ?? true,
            autoFragmentSize: try f.int("auto_fragment_size", range: 1...Int.max), deflate: deflate,
            reportTime: try f.bool("report_time") ?? false, reportCompressionRatio: try f.bool("report_compression_ratio") ?? false,
            roles: roles, parameters: try requiredParameters(f), source: location)
        try check(tc, f)
        return tc
    }

    static let expectKeys = ["events", "echo", "round_trips", "close", "wrong_endpoint_is_fatal", "wrong_code_fails",
                             "informational", "harness_frames", "handshake", "h2"]

    /// The names in `requires`.
    func requiredParameters(_ f: Fields) throws(CatalogError) -> [CatalogParameter] {
        var out: [CatalogParameter] = []
        for name in try f.strings("requires") {
            guard let p = CatalogParameter(rawValue: name) else {
                throw error(f["requires"], f.path("requires"),
                            "unknown parameter \"\(name)\"; valid: \(list(CatalogParameter.allCases.map(\.rawValue)))")
            }
            if !out.contains(p) { out.append(p) }
        }
        return out
    }

    func expectation(_ node: Node, _ field: String) throws(CatalogError) -> Expectation {
        let f = try fields(node, field, allowed: NodeReader.expectKeys)
        var handshake: HandshakeExpectation?
        if let h = f["handshake"] { handshake = try handshakeExpectation(h, f.path("handshake")) }
        var h2: H2Expectation?
        if let h = f["h2"] {
            let hf = try fields(h, f.path("h2"), allowed: ["reset", "siblings", "connect_setting", "drop_is_non_strict", "client_request"])
            var e = H2Expectation(siblings: try hf.bool("siblings") ?? false, connectSetting: try hf.bool("connect_setting") ?? false,
                                  dropIsNonStrict: try hf.bool("drop_is_non_strict") ?? false,
                                  clientRequest: try hf.bool("client_request") ?? false)
            if let codes = hf["reset"] {
                e.reset = []
                for (i, n) in try sequence(codes, hf.path("reset")).enumerated() {
                    e.reset!.append(UInt32(try int(n, "\(hf.path("reset"))[\(i)]", range: 0...0xFFFF_FFFF)))
                }
            }
            h2 = e
        }
        let sources = ["events", "echo", "round_trips"].filter { f[raw: $0] != nil }
        if let handshake, !handshake.acceptsOpening {
            // Only refusals are acceptable: nothing after the handshake is judged.
            if let extra = sources.first ?? (f[raw: "close"] != nil ? "close" : nil) {
                throw error(f[raw: extra], f.path(extra), "no handshake rule accepts a completed handshake, so \(extra) "
                    + "would never be judged; leave it out (or add a rule with opened: true)")
            }
            var exp = Expectation(source: .events([]), close: CloseExpectation(closedByHarness: true, codes: [], requireClean: false))
            exp.handshake = handshake
            exp.h2 = h2
            return exp
        }
        guard f[raw: "close"] != nil else { throw error(node, field, "missing required key \"close\"") }
        guard sources.count == 1 else {
            throw error(node, field, "expect needs exactly one of events, echo, round_trips; found "
                + (sources.isEmpty ? "none" : sources.joined(separator: " and ")))
        }
        let source: VerdictSource
        switch sources[0] {
        case "events":
            let ev = try fields(f[raw: "events"]!, f.path("events"), allowed: ["OK", "NON-STRICT", "INFORMATIONAL"])
            var outcomes: [ExpectedOutcome] = []
            for (k, v) in ev.mapping {
                let name = k.scalar!.string
                var list: [ExpectedEvent] = []
                if !isNull(v) {
                    for (i, e) in try sequence(v, ev.path(name)).enumerated() { list.append(try outcomeEvent(e, "\(ev.path(name))[\(i)]")) }
                }
                outcomes.append(ExpectedOutcome(Behavior(rawValue: name)!, list))
            }
            guard !outcomes.isEmpty else { throw error(f[raw: "events"], f.path("events"), "list at least one outcome, e.g. OK: []") }
            source = .events(outcomes)
        case "echo":
            let e = try fields(f[raw: "echo"]!, f.path("echo"), allowed: ["type", "length"], required: ["type", "length"])
            source = .echo(type: try messageType(e[raw: "type"]!, e.path("type")), length: try e.int("length")!)
        default:
            guard try bool(f[raw: "round_trips"]!, f.path("round_trips")) else {
                throw error(f[raw: "round_trips"], f.path("round_trips"), "write round_trips: true (the checks are in the round_trips step)")
            }
            source = .roundTrips
        }
        let c = try fields(f[raw: "close"]!, f.path("close"), allowed: ["closed_by", "codes", "clean", "non_strict_codes", "without_code"],
                           required: ["closed_by", "codes", "clean"])
        let by = try c.requiredString("closed_by")
        guard by == "harness" || by == "peer" || by == "either" else {
            throw error(c["closed_by"], c.path("closed_by"), "\"\(by)\" is not an endpoint; valid: harness, peer, either")
        }
        var codes: [CloseCode] = []
        for (i, n) in try sequence(c[raw: "codes"]!, c.path("codes")).enumerated() {
            codes.append(CloseCode(UInt16(try int(n, "\(c.path("codes"))[\(i)]", range: 0...65535))))
        }
        var lenient: [CloseCode] = []
        if let n = c["non_strict_codes"] {
            for (i, item) in try sequence(n, c.path("non_strict_codes")).enumerated() {
                lenient.append(CloseCode(UInt16(try int(item, "\(c.path("non_strict_codes"))[\(i)]", range: 0...65535))))
            }
        }
        var exp = Expectation(source: source, close: CloseExpectation(closedByHarness: by != "peer", codes: codes,
                                                                     requireClean: try c.bool("clean")!,
                                                                     eitherEndpoint: by == "either", nonStrictCodes: lenient))
        if let w = try c.string("without_code") {
            guard let b = Behavior(rawValue: w), b == .nonStrict || b == .failed else {
                throw error(c["without_code"], c.path("without_code"), "\"\(w)\" is not a verdict for a Close without a code; valid: NON-STRICT, FAILED")
            }
            exp.close.withoutCode = b
        }
        exp.handshake = handshake
        exp.h2 = h2
        exp.wrongEndpointIsFatal = try f.bool("wrong_endpoint_is_fatal") ?? false
        exp.wrongCodeFailsBehavior = try f.bool("wrong_code_fails") ?? false
        if let i = f["informational"] {
            let inf = try fields(i, f.path("informational"), allowed: ["result", "OK", "NON-STRICT"])
            var byOutcome: [Behavior: String] = [:]
            for name in ["OK", "NON-STRICT"] { if let t = try inf.string(name) { byOutcome[Behavior(rawValue: name)!] = t } }
            exp.informational = InformationalOverride(resultByOutcome: byOutcome, result: try inf.string("result"))
        }
        if let h = f["harness_frames"] {
            let names = NodeReader.opcodeNames.map(\.0)
            let hf = try fields(h, f.path("harness_frames"), allowed: names)
            var counts: [UInt8: Int] = [:]
            for (k, _) in hf.mapping {
                let name = k.scalar!.string
                counts[NodeReader.opcodeNames.first { $0.0 == name }!.1] = try hf.int(name)
            }
            exp.harnessFrames = counts
        }
        return exp
    }

    func deflateSpec(_ node: Node, _ field: String) throws(CatalogError) -> DeflateSpec {
        let f = try fields(node, field, allowed: ["offers", "answers", "required", "strict"], required: ["offers", "answers"])
        var offers: [DeflateParameters] = []
        for (i, o) in try sequence(f[raw: "offers"]!, f.path("offers")).enumerated() {
            let p = "\(f.path("offers"))[\(i)]"
            switch DeflateParameters.parse(try string(o, p)) {
            case let .success(params): offers.append(params)
            case let .failure(e): throw error(o, p, e.description)
            }
        }
        var answers: [DeflateAnswer] = []
        for (i, a) in try sequence(f[raw: "answers"]!, f.path("answers")).enumerated() {
            let af = try fields(a, "\(f.path("answers"))[\(i)]", allowed: ["client_no_context_takeover", "client_max_window_bits"])
            answers.append(DeflateAnswer(clientNoContextTakeover: try af.bool("client_no_context_takeover") ?? false,
                                         clientMaxWindowBits: try af.int("client_max_window_bits", range: 8...15)))
        }
        guard !offers.isEmpty, !answers.isEmpty else { throw error(node, field, "offers and answers must not be empty") }
        return DeflateSpec(offers: offers, answers: answers, required: try f.bool("required") ?? true,
                           strict: try f.bool("strict") ?? false)
    }

    /// Rules that span several fields.
    private func check(_ tc: TestCase, _ f: Fields) throws(CatalogError) {
        let stepsNode = try sequence(f[raw: "steps"]!, f.path("steps"))
        guard !tc.steps.isEmpty else { throw error(f[raw: "steps"], f.path("steps"), "a case needs at least one step") }
        var open: (remaining: UInt64, index: Int)?
        for (i, s) in tc.steps.enumerated() {
            let p = "\(f.path("steps"))[\(i)]"
            switch s {
            case let .frameBegin(b):
                if let o = open { throw error(stepsNode[i], p, "frame_begin while the frame of steps[\(o.index)] still lacks \(o.remaining) octets") }
                open = b.length > 0 ? (b.length, i) : nil
            case let .frameData(d):
                guard let o = open else { throw error(stepsNode[i], p, "frame_data needs a preceding frame_begin with octets left to send") }
                guard UInt64(d.count) <= o.remaining else {
                    throw error(stepsNode[i], p, "\(d.count) octets but the frame of steps[\(o.index)] has only \(o.remaining) left")
                }
                open = o.remaining == UInt64(d.count) ? nil : (o.remaining - UInt64(d.count), o.index)
            case let .barrier(b):
                if b.mode == .ping, let o = open {
                    throw error(stepsNode[i], p, "a ping barrier cannot be placed inside the frame of steps[\(o.index)]; use mode quiet or auto")
                }
            case .await, .pause, .guardTimer:
                break
            case let .handshake(h):
                guard i == 0 else {
                    throw error(stepsNode[i], p, "a handshake replaces the opening handshake, so it can only be the first step")
                }
                let needed: CaseRole? = switch h.message {
                case .request: .serverUnderTest
                case .response: .clientUnderTest
                case .raw: tc.roles.count == 1 ? tc.roles[0] : nil
                case .http2: .serverUnderTest
                case .http2Answer: .clientUnderTest
                }
                guard let needed, tc.roles == [needed] else {
                    throw error(stepsNode[i], p, "a handshake " + (needed.map { "with \($0 == .serverUnderTest ? "request" : "response") edits or http2\($0 == .serverUnderTest ? "" : "_answer") "
                        + "needs roles: [\($0.rawValue)]" } ?? "with raw octets needs exactly one role in roles"))
                }
                if tc.deflate != nil, tc.http2Request == nil {
                    throw error(stepsNode[i], p, "a case that writes its own handshake offers extensions in its headers, not with deflate")
                }
            default:
                if let o = open {
                    throw error(stepsNode[i], p, "the frame begun at steps[\(o.index)] still lacks \(o.remaining) octets of frame_data")
                }
            }
        }
        if let o = open { throw error(stepsNode[o.index], f.path("steps"), "the frame begun at steps[\(o.index)] never receives its last \(o.remaining) octets") }

        switch tc.expect.source {
        case .echo:
            if tc.guardTimer(.closeAfter) == nil {
                throw error(f[raw: "expect"], f.path("expect.echo"), "an echo expectation needs a close_after guard (its time is the WAITSECS of the report text)")
            }
        case .roundTrips:
            if tc.roundTrips == nil { throw error(f[raw: "expect"], f.path("expect.round_trips"), "needs a round_trips step") }
        case .events:
            if tc.roundTrips != nil {
                throw error(f[raw: "expect"], f.path("expect"), "a case with a round_trips step must use expect.round_trips: true")
            }
        }
    }
}
