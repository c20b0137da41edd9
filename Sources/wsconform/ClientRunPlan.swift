import ArgumentParser
import Foundation
import WSConformance
import WSTransport

/// What `test-client` will do, from its options and an optional Autobahn `fuzzingserver.json`.
struct ClientRunPlan {
    var host: String
    var port: Int
    var tls: TLSServerConfiguration?
    var cases: [TestCase]
    var agentExclusions: [AgentExclusion]
    var caseOptions: CaseRunOptions
    var subprotocols: [String]
    /// Serve over HTTP/2 (`--http2`).
    var http2 = false
    var outdir: URL
    var patterns: (include: [String], exclude: [String], syntax: PatternSyntax)
    /// Spec keys and protocol options wsconform does not apply.
    var ignored: [String]

    static func make(_ cmd: TestClientCommand, catalog: CaseCatalog) throws -> ClientRunPlan {
        var spec: FuzzingServerSpec?
        if let path = cmd.spec {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("cannot read the spec file \(path): \(error.localizedDescription)")
            }
            do { spec = try AutobahnSpecParser.parseServer(data) } catch {
                throw CaseFileFailure("\(path): \(error)")
            }
        }
        var ignored: [String] = []
        for key in spec?.ignoredKeys ?? [] {
            Log.info("spec key \"\(key)\" is ignored (as Autobahn ignores it)")
            ignored.append(key)
        }

        let chosen = try PlanSelection(catalog: catalog, cases: cmd.cases, exclude: cmd.exclude, specCases: spec?.cases,
                                       specExclude: spec?.excludeCases ?? [], role: .clientUnderTest)

        var o = CaseRunOptions(dataDirectory: catalog.dataDirectory)
        if let t = cmd.timeout { o.caseTimeout = .milliseconds(Int((t * 1000).rounded())) }
        if let spec {
            // The spec's options are Autobahn's server options; only these mean something here.
            var clientOnly = spec.options
            clientOnly.removeValue(forKey: "requireMaskedClientFrames")
            clientOnly.removeValue(forKey: "maskServerFrames")
            ignored += ServerRunPlan.apply(clientOnly, to: &o)
            for key in ["requireMaskedClientFrames", "maskServerFrames"] where spec.options[key] != nil {
                Log.info("spec option \"\(key)\" is not applied: the harness as server never masks and always requires masked client frames")
                ignored.append(key)
            }
        }

        // Where to listen: --listen, else the spec's url, else 127.0.0.1:9001.
        var host = "127.0.0.1"
        var port = 9001
        var secure = false
        if let listen = cmd.listen {
            (host, port) = try parseListen(listen)
        } else if let url = spec?.url {
            let u: WebSocketURL
            do { u = try WebSocketURL(url) } catch { throw ValidationError("spec url \(url): \(error)") }
            host = u.host
            port = u.port
            secure = u.secure
        }
        var tls: TLSServerConfiguration?
        if let cert = cmd.tlsCert ?? spec?.cert, let key = cmd.tlsKey ?? spec?.key {
            tls = TLSServerConfiguration(certificatePath: cert, privateKeyPath: key)
        } else if secure {
            throw ValidationError("the spec's url is wss:// but no certificate and key are given (spec cert/key or --tls-cert/--tls-key)")
        }
        let outdir = URL(fileURLWithPath: cmd.out ?? spec?.outdir ?? "reports/clients")
        var cases = chosen.selection.cases
        if cmd.http2 {
            // A case's own handshake answer is HTTP/1.1 octets (section 21): it has no HTTP/2 form.
            let own = cases.filter { $0.handshakeStep != nil && !$0.needsHTTP2 }
            if !own.isEmpty {
                cases.removeAll { c in own.contains { $0.id == c.id } }
                Log.info("--http2: \(own.count) case\(own.count == 1 ? "" : "s") with an HTTP/1.1 handshake of \(own.count == 1 ? "its" : "their") own left out (section \(Set(own.map(\.id.section)).sorted().map(String.init).joined(separator: ", ")))")
            }
        } else {
            // Section 28.9 (RFC 8441 answers) exists only over HTTP/2: an HTTP/1.1 run leaves it out,
            // and says so only when the patterns named such cases rather than everything.
            let h2Only = cases.filter(\.needsHTTP2)
            if !h2Only.isEmpty {
                cases.removeAll(where: \.needsHTTP2)
                if chosen.patterns.include != ["*"] {
                    Log.info("\(h2Only.count) RFC 8441 case\(h2Only.count == 1 ? "" : "s") left out: section 28 runs only with --http2")
                }
            }
        }
        return ClientRunPlan(host: host, port: port, tls: tls, cases: cases,
                             agentExclusions: spec?.excludeAgentCases ?? [], caseOptions: o, subprotocols: spec?.protocols ?? [],
                             http2: cmd.http2, outdir: outdir, patterns: chosen.patterns, ignored: ignored)
    }

    /// `HOST:PORT`, `[V6]:PORT` or `PORT`.
    static func parseListen(_ s: String) throws -> (String, Int) {
        func port(_ p: Substring) throws -> Int {
            guard let n = Int(p), (0...65535).contains(n) else { throw ValidationError("--listen \(s): \(p) is not a port number 0-65535") }
            return n
        }
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ValidationError("--listen \(s): write [ADDRESS]:PORT") }
            return (String(s[s.index(after: s.startIndex)..<close]), try port(rest.dropFirst()))
        }
        guard let colon = s.lastIndex(of: ":") else { return ("127.0.0.1", try port(Substring(s))) }
        let host = String(s[..<colon])
        return (host.isEmpty ? "127.0.0.1" : host, try port(s[s.index(after: colon)...]))
    }

    /// The options as recorded in results.json.
    func recordedOptions(jobs: Int, clientCommand: String?, agent: String?) -> [(String, OrderedJSON)] {
        let c = caseOptions
        func secs(_ d: Duration) -> OrderedJSON { .double(Double(CaseResultJSON.milliseconds(d)) / 1000) }
        return [
            ("cases", .array(patterns.include.map(OrderedJSON.string))),
            ("exclude", .array(patterns.exclude.map(OrderedJSON.string))),
            ("patternSyntax", .string(patterns.syntax.rawValue)),
            ("selected", .int(cases.count)),
            ("jobs", .int(jobs)),
            ("http2", .bool(http2)),
            ("agent", .optional(agent)),
            ("clientCommand", .optional(clientCommand)),
            ("listen", .string("\(host):\(port)")),
            ("caseTimeoutSeconds", c.caseTimeout.map(secs) ?? .null),
            ("openHandshakeTimeoutSeconds", secs(c.openHandshakeTimeout)),
            ("closeHandshakeTimeoutSeconds", secs(c.closeHandshakeTimeout)),
            ("failByDrop", .bool(c.failByDrop)),
            ("chopDelayMicroseconds", .int(CaseResultJSON.milliseconds(c.chopDelay * 1000))),
            ("maximumMessageSize", .int(c.maximumMessageSize)),
            ("tls", .object([("certificate", .optional(tls?.certificatePath)), ("key", .optional(tls?.privateKeyPath))])),
            ("subprotocols", .array(subprotocols.map(OrderedJSON.string))),
            ("ignoredSpecOptions", .array(ignored.map(OrderedJSON.string))),
        ]
    }
}
