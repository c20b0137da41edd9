import WSEngine
import WSResultFormat
import Yams

extension NodeReader {
    /// `handshake: {request: {...} | response: {...} | raw: <payload>, chop: n, frames: [...]}`.
    func handshakeStep(_ node: Node, _ field: String) throws(CatalogError) -> HandshakeStep {
        let f = try fields(node, field, allowed: ["request", "response", "raw", "http2", "h2_answer", "chop", "frames", "pace", "timeout", "crowd"])
        let forms = ["request", "response", "raw", "http2", "h2_answer"].filter { f[raw: $0] != nil }
        guard forms.count == 1 else {
            throw error(node, field, "a handshake has exactly one of request (edits of the harness's request), "
                + "response (edits of its 101 response), raw (exact octets), http2 (an extended CONNECT) or h2_answer "
                + "(an answer to one); found "
                + (forms.isEmpty ? "none" : forms.joined(separator: " and ")))
        }
        let message: HandshakeStep.Message
        switch forms[0] {
        case "http2":
            for other in ["chop", "frames", "pace", "timeout", "crowd"] where f[raw: other] != nil {
                throw error(f[raw: other], f.path(other), "\(other) applies to an HTTP/1.1 handshake, not to http2")
            }
            return HandshakeStep(message: .http2(try http2Request(f[raw: "http2"]!, f.path("http2"))))
        case "h2_answer":
            let answer = try http2Answer(f[raw: "h2_answer"]!, f.path("h2_answer"))
            for other in ["pace", "timeout", "crowd"] where f[raw: other] != nil {
                throw error(f[raw: other], f.path(other), "\(other) applies to a request (the harness as client), not to h2_answer")
            }
            if answer.endStream, let frames = f[raw: "frames"] {
                throw error(frames, f.path("frames"), "h2_answer ends the stream (end_stream: true): no frames can follow it")
            }
            message = .http2Answer(answer)
        case "request": message = .request(try headEdits(f[raw: "request"]!, f.path("request"), request: true))
        case "response": message = .response(try headEdits(f[raw: "response"]!, f.path("response"), request: false))
        default: message = .raw(try payload(f[raw: "raw"]!, f.path("raw")))
        }
        var frames: [FrameStep] = []
        if let list = f["frames"] {
            for (i, item) in try sequence(list, f.path("frames")).enumerated() {
                let p = "\(f.path("frames"))[\(i)]"
                let frame = try frameStep(item, p)
                if frame.chop != nil || frame.sync {
                    throw error(item, p, "frames after a handshake share its write; chop and sync do not apply")
                }
                frames.append(frame)
            }
        }
        let pace = try f.duration("pace")
        if let p = f["pace"] {
            if !f.has("chop") { throw error(p, f.path("pace"), "pace is the pause between the pieces of chop: give chop too") }
            if case .response = message { throw error(p, f.path("pace"), "pace applies to a request (the harness as client)") }
        }
        if let t = f["timeout"], case .response = message {
            throw error(t, f.path("timeout"), "timeout applies to a request (the harness as client)")
        }
        var crowd: HandshakeStep.Crowd?
        if let c = f["crowd"] {
            if case .response = message { throw error(c, f.path("crowd"), "crowd applies to a request (the harness as client)") }
            let cf = try fields(c, f.path("crowd"), allowed: ["connections", "send"], required: ["connections"])
            var send = Payload.empty
            if let s = cf["send"] { send = try payload(s, cf.path("send")) }
            crowd = HandshakeStep.Crowd(count: try cf.int("connections", range: 1...10_000)!, send: send)
        }
        return HandshakeStep(message: message, chop: try f.int("chop", range: 1...Int.max), frames: frames, pace: pace,
                             timeout: try f.duration("timeout"), crowd: crowd)
    }

    /// `h2_answer: {status, remove, set, add, end_stream}`.
    func http2Answer(_ node: Node, _ field: String) throws(CatalogError) -> H2Answer {
        let f = try fields(node, field, allowed: ["status", "remove", "set", "add", "end_stream"])
        var a = H2Answer()
        if let s = f["status"] {
            guard let text = s.scalar?.string else { throw error(s, f.path("status"), "expected the :status value, e.g. 400 or \"101\"") }
            a.status = text
        }
        a.remove = try f.strings("remove")
        a.set = try headerEdits(f["set"], f.path("set"))
        a.add = try headerEdits(f["add"], f.path("add"))
        a.endStream = try f.bool("end_stream") ?? false
        for e in a.set + a.add where e.name.isEmpty {
            throw error(node, field, "a header field needs a name")
        }
        return a
    }

    /// `http2: {remove, set, add, settings, siblings, reset_sibling, goaway, data_after_end_stream}`.
    func http2Request(_ node: Node, _ field: String) throws(CatalogError) -> H2Request {
        let f = try fields(node, field, allowed: ["remove", "set", "add", "settings", "siblings", "reset_sibling", "goaway",
                                                  "data_after_end_stream"])
        var r = H2Request()
        r.remove = try f.strings("remove")
        r.set = try headerEdits(f["set"], f.path("set"))
        r.add = try headerEdits(f["add"], f.path("add"))
        if let s = f["settings"] {
            guard case let .mapping(m) = s else { throw error(s, f.path("settings"), "expected a mapping of SETTINGS identifier to value, e.g. {4: 1024}") }
            for (k, v) in m {
                let p = "\(f.path("settings")).\(k.scalar?.string ?? "")"
                r.settings.append(H2Setting(id: UInt16(try int(k, p, range: 1...0xFFFF)), value: UInt32(try int(v, p, range: 0...0xFFFF_FFFF))))
            }
        }
        r.siblings = try f.int("siblings", range: 0...100) ?? 0
        r.resetSibling = try f.int("reset_sibling", range: 0...0xFFFF_FFFF).map { UInt32($0) }
        r.goAway = try f.int("goaway", range: 0...0xFFFF_FFFF).map { UInt32($0) }
        if let d = f["data_after_end_stream"] { r.dataAfterEndStream = try payload(d, f.path("data_after_end_stream")) }
        for e in r.set + r.add where e.name.isEmpty {
            throw error(node, field, "a header field needs a name")
        }
        return r
    }

    /// Edits of a request (`method`, `target`) or response (`status`, `reason`) head; both take
    /// `version`, `remove`, `set` and `add`.
    func headEdits(_ node: Node, _ field: String, request: Bool) throws(CatalogError) -> HeadEdits {
        let lineKeys = request ? ["method", "target"] : ["status", "reason"]
        let f = try fields(node, field, allowed: lineKeys + ["version", "remove", "set", "add"])
        var edits = HeadEdits()
        if request {
            edits.method = try f.string("method")
            edits.target = try f.string("target")
        } else {
            edits.status = try f.int("status", range: 100...999)
            edits.reason = try f.string("reason")
        }
        if let v = try f.string("version") {
            guard let version = HTTPVersion(Substring(v)) else {
                throw error(f["version"], f.path("version"), "\"\(v)\" is not an HTTP version; write HTTP/1.0, HTTP/1.1 ...")
            }
            edits.version = version
        }
        edits.remove = try f.strings("remove")
        edits.set = try headerEdits(f["set"], f.path("set"))
        edits.add = try headerEdits(f["add"], f.path("add"))
        // Odd names are allowed on purpose; line breaks are not (they would forge other lines: use raw).
        for e in edits.set + edits.add where e.name.isEmpty || e.name.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" }) {
            throw error(node, field, "\"\(e.name)\" cannot be a header name (empty, or with a colon or line break); use raw for such heads")
        }
        return edits
    }

    /// A mapping `Name: value` (for `set`), or a list of one-key mappings (for `add`, where a name may
    /// repeat). Values are strings or payloads.
    private func headerEdits(_ node: Node?, _ field: String) throws(CatalogError) -> [HeaderEdit] {
        guard let node else { return [] }
        var pairs: [(Node, Node)] = []
        switch node {
        case let .mapping(m):
            pairs = m.map { ($0.key, $0.value) }
        case let .sequence(items):
            for (i, item) in items.enumerated() {
                guard case let .mapping(m) = item, m.count == 1 else {
                    throw error(item, "\(field)[\(i)]", "expected a one-key mapping Name: value")
                }
                pairs.append((m.first!.key, m.first!.value))
            }
        default:
            throw error(node, field, "expected a mapping of header name to value, or a list of such one-key mappings")
        }
        var out: [HeaderEdit] = []
        for (k, v) in pairs {
            let name = try string(k, field)
            let value: Payload = isNull(v) ? .utf8("") : try payload(v, "\(field).\(name)")
            out.append(HeaderEdit(name: name, value: value))
        }
        return out
    }

    static let ruleKeys = ["verdict", "status", "opened", "closed", "timeout", "headers", "not_headers", "absent", "result"]

    /// `expect.handshake`: a list of rules, the first match wins.
    func handshakeExpectation(_ node: Node, _ field: String) throws(CatalogError) -> HandshakeExpectation {
        var rules: [HandshakeRule] = []
        for (i, item) in try sequence(node, field).enumerated() {
            let p = "\(field)[\(i)]"
            let f = try fields(item, p, allowed: NodeReader.ruleKeys, required: ["verdict"])
            let v = try f.requiredString("verdict")
            guard let verdict = Behavior(rawValue: v), verdict != .unimplemented else {
                throw error(f["verdict"], f.path("verdict"), "unknown verdict \"\(v)\"; valid: FAILED, INFORMATIONAL, NON-STRICT, OK")
            }
            var rule = HandshakeRule(verdict: verdict)
            if let s = f["status"] {
                let items: [Node] = if case .sequence = s { try sequence(s, f.path("status")) } else { [s] }
                var patterns: [StatusPattern] = []
                for (j, n) in items.enumerated() { patterns.append(try statusPattern(n, "\(f.path("status"))[\(j)]")) }
                rule.status = patterns
            }
            rule.opened = try f.bool("opened")
            rule.closed = try f.bool("closed")
            rule.timeout = try f.bool("timeout")
            rule.headers = try headerTokens(f["headers"], f.path("headers"))
            rule.notHeaders = try headerTokens(f["not_headers"], f.path("not_headers"))
            rule.absent = try f.strings("absent")
            rule.result = try f.string("result")
            if rule.status == nil && rule.opened == nil && rule.closed == nil && rule.timeout == nil
                && rule.headers.isEmpty && rule.notHeaders.isEmpty && rule.absent.isEmpty {
                throw error(item, p, "a rule needs a condition: status, opened, closed, timeout, headers, not_headers or absent")
            }
            rules.append(rule)
        }
        guard !rules.isEmpty else { throw error(node, field, "list at least one rule, e.g. - {verdict: OK, status: 4xx}") }
        return HandshakeExpectation(rules: rules)
    }

    /// `{Name: element, ...}`.
    private func headerTokens(_ node: Node?, _ field: String) throws(CatalogError) -> [HeaderToken] {
        guard let node else { return [] }
        guard case let .mapping(m) = node else { throw error(node, field, "expected a mapping of header name to list element") }
        var out: [HeaderToken] = []
        for (k, v) in m { out.append(HeaderToken(name: try string(k, field), token: try string(v, "\(field).\(k.scalar?.string ?? "")"))) }
        return out
    }

    /// `426` or a class such as `4xx`.
    private func statusPattern(_ node: Node, _ field: String) throws(CatalogError) -> StatusPattern {
        let text = try string(node, field)
        let bytes = Array(text.utf8)
        if bytes.count == 3, bytes[1...].allSatisfy({ $0 == UInt8(ascii: "x") }), (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(bytes[0]) {
            return .statusClass(Int(bytes[0] - UInt8(ascii: "0")))
        }
        if let n = Int(text), (100...599).contains(n) { return .code(n) }
        throw error(node, field, "\"\(text)\" is not a status; write a code such as 426 or a class such as 4xx")
    }
}
