import Foundation
import WSEngine

/// Plain-text output for `wsconform cases list|show|validate`; the CLI only prints these strings.
public enum CatalogText {
    /// One line per case, under a heading per section: `  6.4.1    Fail fast on ...`.
    public static func list(_ catalog: CaseCatalog, cases: [TestCase]? = nil) -> String {
        let chosen = cases ?? catalog.cases
        let width = (chosen.map { $0.id.description.count }.max() ?? 0) + 2
        var out: [String] = []
        var section: Int?
        for c in chosen {
            if c.id.section != section {
                section = c.id.section
                let n = chosen.filter { $0.id.section == c.id.section }.count
                if !out.isEmpty { out.append("") }
                out.append("\(c.id.section)  \(catalog.section(c.id.section)?.title ?? "") (\(n) case\(n == 1 ? "" : "s"))")
            }
            out.append("  " + c.id.description.padding(toLength: width, withPad: " ", startingAt: 0) + c.title)
        }
        out.append("")
        out.append(cases == nil ? counts(catalog) : "\(chosen.count) case\(chosen.count == 1 ? "" : "s")")
        return out.joined(separator: "\n")
    }

    /// The catalog's size in one line, the one source of the numbers the READMEs quote:
    /// `635 cases: 517 of Autobahn (sections 1-13), 118 of wsconform's own (sections 20-26); 615 test a server, 535 a client.`
    public static func counts(_ catalog: CaseCatalog) -> String {
        let autobahn = catalog.cases.filter { $0.id.section <= autobahnSections.upperBound }
        let own = Set(catalog.cases.map(\.id.section).filter { $0 > autobahnSections.upperBound })
        let span = own.isEmpty ? "" : " (sections \(own.min()!)-\(own.max()!))"
        let servers = catalog.cases.filter { $0.tests(.serverUnderTest) }.count
        let clients = catalog.cases.filter { $0.tests(.clientUnderTest) }.count
        return "\(catalog.cases.count) cases: \(autobahn.count) of Autobahn (sections \(autobahnSections.lowerBound)-\(autobahnSections.upperBound)), "
            + "\(catalog.cases.count - autobahn.count) of wsconform's own\(span); \(servers) test a server, \(clients) a client."
    }

    /// The sections that hold Autobahn|Testsuite's cases, with their Autobahn ids.
    public static let autobahnSections = 1...13

    /// Everything about one case.
    public static func show(_ c: TestCase, in catalog: CaseCatalog) -> String {
        var out: [String] = ["\(c.id)  \(c.title)"]
        var where_ = "Section \(c.id.section) \(catalog.section(c.id.section)?.title ?? "")"
        if let sub = catalog.subsectionTitle(for: c.id) { where_ += " / \(sub)" }
        out.append(where_)
        if !c.rfc.isEmpty { out.append("RFC: " + c.rfc.joined(separator: ", ")) }
        out.append("Defined at \(c.source)")
        out.append("")
        out.append("What is sent:")
        out.append(indent(c.description))
        out.append("")
        out.append("Expected:")
        out.append(indent(c.expectationText))
        if !c.notes.isEmpty {
            out.append("")
            out.append("Notes:")
            for n in c.notes { out.append(indent("- " + n)) }
        }
        out.append("")
        out.append("Steps:")
        for (i, s) in c.steps.enumerated() { out.append("  \(i + 1). " + describe(s, in: c)) }
        out.append("")
        out.append("Verdict:")
        if let h = c.expect.handshake {
            out.append("  Handshake (first matching rule): " + h.rules.map(\.description).joined(separator: "; ") + "; FAILED otherwise")
            if !h.acceptsOpening {
                out.append("  No rule accepts a completed handshake: nothing after it is judged.")
                if !c.roles.elementsEqual(CaseRole.allCases) { out.append("  tests only a " + (c.roles == [.serverUnderTest] ? "server" : "client")) }
                return out.joined(separator: "\n")
            }
            out.append("  Once open:")
        }
        switch c.expect.source {
        case let .events(outcomes):
            for o in outcomes {
                out.append("  \(o.behavior) if " + (o.events.isEmpty ? "no event is recorded" : "the events are exactly \(eventListText(o.events))"))
            }
            out.append("  FAILED otherwise")
        case let .echo(type, length):
            out.append("  OK if the first message is \(type) with \(length) octets (content not compared)")
        case .roundTrips:
            out.append("  OK if every round trip echoes correctly in time")
        }
        let close = c.expect.close
        out.append("  close: " + (close.eitherEndpoint ? "either side may close first" : "the \(close.closedByHarness ? "harness" : "peer") closes first") + "; peer codes accepted: "
            + close.codes.map(String.init).joined(separator: ", ") + " or none" + (close.requireClean ? "; must be clean" : "")
            + (close.nonStrictCodes.isEmpty ? "" : "; NON-STRICT with " + close.nonStrictCodes.map(String.init).joined(separator: ", ")))
        var flags: [String] = []
        if c.expect.wrongEndpointIsFatal { flags.append("wrong closing side fails the case") }
        if c.expect.wrongCodeFailsBehavior { flags.append("wrong close code fails the case") }
        if c.expect.informational != nil { flags.append("always INFORMATIONAL") }
        if let f = c.expect.harnessFrames {
            flags.append("harness self-check: sends " + f.keys.sorted().map { "\(f[$0]!) \(Opcode(rawValue: $0))" }.joined(separator: ", ") + " frames")
        }
        if !c.autoClose { flags.append("no auto-close") }
        if c.roles != CaseRole.allCases { flags.append("tests only a " + (c.roles == [.serverUnderTest] ? "server" : "client")) }
        if let why = c.notApplicableReason { flags.append(why) }
        if let a = c.autoFragmentSize { flags.append("auto-fragment \(a)") }
        if c.reportTime { flags.append("reports duration") }
        if let d = c.deflate {
            flags.append("permessage-deflate \(d.required ? "required" : "optional"); offer: \(d.offerHeader); as server: "
                + d.answers.map(\.description).joined(separator: " / "))
        }
        for f in flags { out.append("  " + f) }
        return out.joined(separator: "\n")
    }

    /// Validates a directory of case files (or single files) and says what is wrong.
    /// `ok` is false when there are errors; `text` lists them one per line, or a summary.
    public static func validate(paths: [URL]) -> (ok: Bool, text: String) {
        do throws(CatalogErrors) {
            let catalog: CaseCatalog
            var isDirectory: ObjCBool = false
            if paths.count == 1, FileManager.default.fileExists(atPath: paths[0].path, isDirectory: &isDirectory), isDirectory.boolValue {
                catalog = try CatalogLoader.load(directory: paths[0])
            } else {
                catalog = try CatalogLoader.load(files: paths, dataDirectory: nil)
            }
            // Single files have no data directory: their datasets are not checked.
            return catalog.dataDirectory == nil ? (true, okText(catalog)) : checkDatasets(of: catalog)
        } catch {
            let n = error.errors.count
            return (false, error.description + "\n\(n) error\(n == 1 ? "" : "s")")
        }
    }

    /// Validates the catalog built into wsconform, datasets included.
    public static func validateBuiltin() -> (ok: Bool, text: String) {
        do throws(CatalogErrors) {
            let (ok, text) = checkDatasets(of: try CatalogLoader.loadBuiltin())
            return (ok, ok ? text + " (built in)" : text)
        } catch {
            let n = error.errors.count
            return (false, error.description + "\n\(n) error\(n == 1 ? "" : "s")")
        }
    }

    /// Loads every dataset the cases use (from the catalog's data directory, or the built-in copies).
    private static func checkDatasets(of catalog: CaseCatalog) -> (ok: Bool, text: String) {
        var missing: [String] = []
        let used = Set(catalog.cases.compactMap(\.datasetName))
        for name in used.sorted() {
            do {
                _ = try Dataset.named(name)?.load(dataDirectory: catalog.dataDirectory)
            } catch {
                missing.append("\(error)")
            }
        }
        return missing.isEmpty ? (true, okText(catalog)) : (false, missing.joined(separator: "\n"))
    }

    private static func okText(_ catalog: CaseCatalog) -> String {
        "OK: \(catalog.cases.count) cases in \(catalog.sections.count) sections"
    }

    static func describe(_ s: Step, in c: TestCase) -> String {
        switch s {
        case let .frame(f):
            var parts = ["frame \(f.opcode)"]
            if !f.fin { parts.append("FIN clear") }
            if f.rsv.rawValue != 0 { parts.append("rsv=\(f.rsv.rawValue)") }
            parts.append(f.payload.count == 0 ? "empty" : "\(f.payload.count) octets: \(f.payload)")
            if let e = f.lengthEncoding { parts.append("length field \(e)") }
            if let d = f.declaredLength { parts.append("declared length \(d)") }
            if f.mask != .auto { parts.append("mask \(f.mask)") }
            if let ch = f.chop { parts.append("written \(ch) octet\(ch == 1 ? "" : "s") at a time") }
            if f.sync { parts.append("own write") }
            return parts.joined(separator: ", ")
        case let .frameBegin(b):
            return "frame header \(b.opcode)\(b.fin ? "" : ", FIN clear")\(b.rsv.rawValue != 0 ? ", rsv=\(b.rsv.rawValue)" : ""), "
                + "announcing \(b.length) octets"
        case let .frameData(p):
            return "frame data \(p.count) octets: \(p)"
        case let .message(m):
            let frames = m.plan(autoFragmentSize: c.autoFragmentSize).count
            return "message \(m.type), \(m.payload.count) octets: \(m.payload)" + (frames > 1 ? ", in \(frames) frames" : "")
                + (m.sync ? ", own writes" : "")
        case let .close(cl):
            switch cl.body {
            case let .code(code, reason): return "close \(code)" + (reason.count > 0 ? ", reason \(reason)" : "")
            case let .raw(p): return p.count == 0 ? "close with an empty payload" : "close with the payload \(p)"
            }
        case let .raw(r):
            return "raw \(r.bytes.count) octets: \(r.bytes)" + (r.chop.map { ", \($0) at a time" } ?? "")
        case let .barrier(b):
            return "barrier \(b.tag ?? "") (\(b.mode.rawValue), at most \(format(b.timeout)))"
        case let .await(a):
            return "await \(a.event) (at most \(format(a.timeout)))"
        case let .pause(d):
            return "wait \(format(d))"
        case let .guardTimer(g):
            return g.kind == .killAfter ? "guard: fail the connection (Close 1001) after \(format(g.after))"
                : "guard: send an empty Close after \(format(g.after))"
        case let .roundTrips(r):
            let what: String
            switch r.source {
            case let .payload(p): what = "\(p.count)-octet \(r.type) messages (\(p))"
            case let .dataset(w): what = "\(r.type) messages of \(w.size) \(w.unit.rawValue) of \(w.dataset)"
            }
            return "\(r.count) round trips of \(what), comparing " + (r.compare == .typeAndLength ? "type and length" : "type, length and SHA-1")
        case let .handshake(h):
            var parts: [String]
            switch h.message {
            case let .request(e): parts = ["handshake: the harness's request"] + describe(e)
            case let .response(e): parts = ["handshake: the harness's 101 response"] + describe(e)
            case let .raw(p): parts = ["handshake: \(p.count) raw octets: \(p)"]
            case let .http2(r): parts = describe(r)
            case let .http2Answer(a): parts = describe(a)
            }
            if let c = h.crowd {
                parts.insert("after opening and holding \(c.count) connections" + (c.send.count > 0 ? " that each sent \(c.send.count) octets" : ""), at: 0)
            }
            if let ch = h.chop { parts.append("written \(ch) octet\(ch == 1 ? "" : "s") at a time") }
            if let p = h.pace { parts.append("\(CatalogText.format(p)) apart") }
            if !h.frames.isEmpty { parts.append("followed in the same write by \(h.frames.count) frame\(h.frames.count == 1 ? "" : "s")") }
            return parts.joined(separator: ", ")
        }
    }

    private static func describe(_ e: HeadEdits) -> [String] {
        var parts: [String] = []
        if let m = e.method { parts.append("method \(m)") }
        if let t = e.target { parts.append("target \(t)") }
        if let v = e.version { parts.append("version \(v)") }
        if let s = e.status { parts.append("status \(s)\(e.reason.map { " \($0)" } ?? "")") }
        if !e.remove.isEmpty { parts.append("without " + e.remove.joined(separator: ", ")) }
        for h in e.set { parts.append("\(h.name) set to " + (h.value.count > 60 ? "\(h.value.count) octets" : "\"\(h.text)\"")) }
        for h in e.add { parts.append("\(h.name): " + (h.value.count > 60 ? "\(h.value.count) octets" : "\"\(h.text)\"") + " added") }
        return parts
    }

    private static func describe(_ r: H2Request) -> [String] {
        var parts = [r.siblings > 0 ? "after opening \(r.siblings) sibling WebSocket\(r.siblings == 1 ? "" : "s") on the connection" : nil,
                     r.resetSibling.map { "after resetting one more mid-message with RST_STREAM \(H2Expectation.codeName($0))" },
                     "handshake: the harness's extended CONNECT over HTTP/2"].compactMap { $0 }
        if !r.remove.isEmpty { parts.append("without " + r.remove.joined(separator: ", ")) }
        for h in r.set { parts.append("\(h.name) set to \"\(h.text)\"") }
        for h in r.add { parts.append("\(h.name): \"\(h.text)\" added last") }
        if !r.settings.isEmpty { parts.append("the harness's SETTINGS add " + r.settings.map { "\($0.id)=\($0.value)" }.joined(separator: ", ")) }
        if let g = r.goAway { parts.append("once open, the harness sends GOAWAY \(H2Expectation.codeName(g))") }
        if let d = r.dataAfterEndStream { parts.append("once open, the harness ends its stream and then sends DATA of \(d.count) octets on it") }
        return parts
    }

    private static func describe(_ a: H2Answer) -> [String] {
        var parts = ["handshake: the harness's answer over HTTP/2 (HEADERS, sent as written)"]
        if let s = a.status { parts.append(":status \(s)") }
        if !a.remove.isEmpty { parts.append("without " + a.remove.joined(separator: ", ")) }
        for h in a.set { parts.append("\(h.name) set to \"\(h.text)\"") }
        for h in a.add { parts.append("\(h.name): \"\(h.text)\" added last") }
        if a.endStream { parts.append("with END_STREAM") }
        return parts
    }

    /// `1s`, `0.5s`, `480s`.
    package static func format(_ d: Duration) -> String {
        let (s, atto) = d.components
        if atto == 0 { return "\(s)s" }
        let ms = Int(s) * 1000 + Int(atto / 1_000_000_000_000_000)
        return ms % 1000 == 0 ? "\(ms / 1000)s" : (ms < 1000 ? "\(ms)ms" : "\(Double(ms) / 1000)s")
    }

    private static func indent(_ s: String) -> String { "  " + s }
}
