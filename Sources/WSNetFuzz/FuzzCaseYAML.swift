import WSCatalog
import WSEngine

/// Writes fuzzer-built cases as a catalog file (Cases/README.md schema). Only what
/// `FuzzCaseBuilder` produces is supported: `frame`, `close`, `await`, `wait` and `guard` steps,
/// event expectations. Payloads are written as hex, so the file is exact whatever the octets.
public enum FuzzCaseYAML {
    /// A whole file: `comments` (one `#` line each), the section header, then the cases.
    public static func file(section: Int, title: String, cases: [TestCase], comments: [String] = []) -> String {
        var out = comments.map { "# " + $0.replacingOccurrences(of: "\n", with: " ") }
        out.append("section: \(section)")
        out.append("title: \(quote(title))")
        out.append("cases:")
        for c in cases { out += lines(c) }
        return out.joined(separator: "\n") + "\n"
    }

    static func lines(_ c: TestCase) -> [String] {
        var out = ["  - id: \(quote(c.id.description))"]
        out.append("    title: \(quote(c.title))")
        out.append("    description: \(quote(c.description))")
        out.append("    expectation: \(quote(c.expectationText))")
        if !c.rfc.isEmpty { out.append("    rfc: [\(c.rfc.map(quote).joined(separator: ", "))]") }
        if !c.notes.isEmpty {
            out.append("    notes:")
            out += c.notes.map { "      - \(quote($0))" }
        }
        if c.roles != CaseRole.allCases { out.append("    roles: [\(c.roles.map(\.rawValue).joined(separator: ", "))]") }
        if !c.autoClose { out.append("    auto_close: false") }
        out.append("    steps:")
        out += c.steps.map { "      - " + step($0) }
        out.append("    expect:")
        out.append("      events:")
        for outcome in c.expect.outcomes {
            out.append("        \(outcome.behavior.rawValue):" + (outcome.events.isEmpty ? " []" : ""))
            out += outcome.events.map { "          - " + event($0) }
        }
        let close = c.expect.close
        out.append("      close: {closed_by: \(close.closedByHarness ? "harness" : "peer"), "
            + "codes: [\(close.codes.map { String($0.rawValue) }.joined(separator: ", "))], clean: \(close.requireClean)}")
        if c.expect.wrongEndpointIsFatal { out.append("      wrong_endpoint_is_fatal: true") }
        if c.expect.wrongCodeFailsBehavior { out.append("      wrong_code_fails: true") }
        return out
    }

    static func step(_ s: Step) -> String {
        switch s {
        case let .frame(f):
            var fields = ["opcode: \(opcode(f.opcode))"]
            if !f.fin { fields.append("fin: false") }
            if !f.rsv.isEmpty { fields.append("rsv: \(f.rsv.rawValue)") }
            fields.append("payload: \(payload(f.payload))")
            if let e = f.lengthEncoding { fields.append("length_encoding: \(encoding(e))") }
            if let d = f.declaredLength { fields.append("declared_length: \(d)") }
            if f.mask != .auto { fields.append("mask: \(quote(f.mask.description))") }
            if let chop = f.chop { fields.append("chop: \(chop)") }
            if f.sync { fields.append("sync: true") }
            return "frame: {\(fields.joined(separator: ", "))}"
        case let .close(c):
            switch c.body {
            case let .code(code, reason):
                return reason.count == 0 ? "close: {code: \(code.rawValue)}" : "close: {code: \(code.rawValue), reason: \(payload(reason))}"
            case let .raw(p):
                return "close: {payload: \(payload(p))}"
            }
        case let .await(a):
            return "await: {event: \(event(a.event)), timeout: \(CatalogText.format(a.timeout))}"
        case let .pause(d):
            return "wait: \(CatalogText.format(d))"
        case let .guardTimer(g):
            return "guard: {\(g.kind.rawValue): \(CatalogText.format(g.after))}"
        default:
            preconditionFailure("FuzzCaseYAML cannot write \(s.keyword) steps")
        }
    }

    static func event(_ e: ExpectedEvent) -> String {
        switch e {
        case let .message(type, p): "{\(type.rawValue): \(payload(p))}"
        case let .pong(p): "{pong: \(payload(p))}"
        case let .timeout(tag): "{timeout: \(quote(tag))}"
        case let .run(e, min, max): "{run: \(event(e)), min: \(min), max: \(max)}"
        }
    }

    /// `{hex: "..."}`, 48 octets per line: YAML folds the line breaks of a quoted scalar into
    /// spaces, which the hex reader skips.
    static func payload(_ p: Payload) -> String {
        let bytes = p.bytes()
        var rows: [String] = []
        var start = 0
        while start < bytes.count {
            rows.append(hexString(bytes[start..<min(start + 48, bytes.count)]))
            start += 48
        }
        return "{hex: \"\(rows.joined(separator: "\n              "))\"}"
    }

    static func opcode(_ o: Opcode) -> String {
        switch o {
        case .continuation: "continuation"
        case .text: "text"
        case .binary: "binary"
        case .close: "close"
        case .ping: "ping"
        case .pong: "pong"
        default: String(o.rawValue)
        }
    }

    static func encoding(_ e: LengthEncoding) -> String {
        switch e {
        case .short: "short"
        case .extended16: "extended16"
        case .extended64: "extended64"
        }
    }

    /// A YAML double-quoted scalar.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\x" + hexByte(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
