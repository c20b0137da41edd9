import ArgumentParser
import Foundation
import WSConformance
import WSTransport

/// What `test-server` will do, from its options and an optional Autobahn spec file.
struct ServerRunPlan {
    struct Server {
        var url: String
        var options: RunOptions
        /// Spec protocol options that wsconform does not apply (recorded in the results).
        var ignoredOptions: [String]
    }

    var servers: [Server]
    var cases: [TestCase]
    var outdir: URL
    var patterns: (include: [String], exclude: [String], syntax: PatternSyntax)
    var warnings: [String]
    /// `--max-message-size`: the server's declared limit (section 25).
    var maxMessageSize: Int?
    /// `--connections`: how many connections section 27.8 holds (its default when not given).
    var connections = CatalogParameter.defaultConnections

    static func make(_ cmd: TestServerCommand, catalog: CaseCatalog) throws -> ServerRunPlan {
        var spec: FuzzingClientSpec?
        if let path = cmd.spec {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw ValidationError("cannot read the spec file \(path): \(error.localizedDescription)")
            }
            do { spec = try AutobahnSpecParser.parseClient(data) } catch {
                throw CaseFileFailure("\(path): \(error)")
            }
            for key in spec!.ignoredKeys { Log.info("\(path): key \"\(key)\" is ignored (as Autobahn ignores it)") }
        }

        let chosen = try PlanSelection(catalog: catalog, cases: cmd.cases, exclude: cmd.exclude, specCases: spec?.cases,
                                       specExclude: spec?.excludeCases ?? [], role: .serverUnderTest)

        var base = RunOptions(jobs: cmd.jobs, agent: cmd.agent, agentExclusions: spec?.excludeAgentCases ?? [],
                              serverCommand: cmd.serverCmd)
        base.http2 = cmd.http2
        base.caseOptions.dataDirectory = catalog.dataDirectory
        // Section 25 has the server echo messages of its own limit: the harness must take them.
        if let limit = cmd.maxMessageSize {
            base.caseOptions.maximumMessageSize = max(base.caseOptions.maximumMessageSize, limit + 1)
        }
        if let t = cmd.timeout { base.caseOptions.caseTimeout = .milliseconds(Int((t * 1000).rounded())) }
        var ignoredGlobal: [String] = []
        if let spec { ignoredGlobal = apply(spec.options, to: &base.caseOptions) }

        var servers: [Server] = []
        if let spec, !spec.servers.isEmpty {
            if cmd.url != nil { Log.info("the spec lists servers, so the URL argument is not used (as in Autobahn)") }
            for s in spec.servers {
                var o = base
                o.agent = cmd.agent ?? s.agent
                o.caseOptions.origin = s.origin
                o.caseOptions.subprotocols = s.protocols
                let ignored = ignoredGlobal + apply(s.options, to: &o.caseOptions)
                o.tls = tls(cmd, serverName: s.hostname)
                servers.append(Server(url: s.url, options: o, ignoredOptions: ignored))
            }
        } else if let url = cmd.url {
            var o = base
            o.tls = tls(cmd, serverName: nil)
            servers.append(Server(url: url, options: o, ignoredOptions: ignoredGlobal))
        } else {
            throw ValidationError("the spec lists no servers; give the server's URL as an argument")
        }
        // Every URL is checked now, before the first server runs and before --out is touched.
        for s in servers {
            do { _ = try WebSocketURL(s.url) } catch { throw ValidationError(error.description) }
        }
        let outdir = URL(fileURLWithPath: cmd.out ?? spec?.outdir ?? "reports/servers")
        var cases = chosen.selection.cases
        var warnings = chosen.selection.warnings
        if cmd.http2 {
            // A case's own handshake is HTTP/1.1 octets (sections 20-22): it has no HTTP/2 form.
            let own = cases.filter { $0.handshakeStep != nil && $0.http2Request == nil }
            if !own.isEmpty {
                cases.removeAll { c in own.contains { $0.id == c.id } }
                warnings.append("--http2: \(own.count) case\(own.count == 1 ? "" : "s") with an HTTP/1.1 handshake of \(own.count == 1 ? "its" : "their") own left out (section \(Set(own.map(\.id.section)).sorted().map(String.init).joined(separator: ", ")))")
            }
        } else {
            // Section 28 (RFC 8441) exists only over HTTP/2: an HTTP/1.1 run leaves it out, and
            // says so only when the patterns named such cases rather than everything.
            let h2Only = cases.filter { $0.http2Request != nil }
            if !h2Only.isEmpty {
                cases.removeAll { $0.http2Request != nil }
                if chosen.patterns.include != ["*"] {
                    warnings.append("\(h2Only.count) RFC 8441 case\(h2Only.count == 1 ? "" : "s") left out: section 28 runs only with --http2")
                }
            }
        }
        // The selection's own warnings were printed when it was made; these are the protocol's.
        for w in warnings.dropFirst(chosen.selection.warnings.count) { Log.info(w) }
        var plan = ServerRunPlan(servers: servers, cases: cases, outdir: outdir,
                                 patterns: chosen.patterns, warnings: warnings, maxMessageSize: cmd.maxMessageSize)
        if let n = cmd.connections { plan.connections = n }
        return plan
    }

    /// TLS: verify by default (Autobahn does not verify unless the spec names a `hostname`; here
    /// that takes --insecure).
    private static func tls(_ cmd: TestServerCommand, serverName: String?) -> TLSClientConfiguration {
        TLSClientConfiguration(caFile: cmd.ca, insecure: cmd.insecure, serverName: serverName)
    }

    /// Applies the Autobahn protocol options that mean something here; returns the others' names.
    static func apply(_ options: [String: JSONValue], to o: inout CaseRunOptions) -> [String] {
        var ignored: [String] = []
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            switch (key, value) {
            case let ("failByDrop", .bool(b)): o.failByDrop = b
            case let ("openHandshakeTimeout", .number(s)) where s > 0: o.openHandshakeTimeout = seconds(s)
            case let ("closeHandshakeTimeout", .number(s)) where s > 0: o.closeHandshakeTimeout = seconds(s)
            case let ("serverConnectionDropTimeout", .number(s)) where s > 0: o.serverConnectionDropTimeout = seconds(s)
            case let ("maxMessagePayloadSize", .number(n)) where n > 0: o.maximumMessageSize = Int(n)
            default:
                ignored.append(key)
                Log.info("spec option \"\(key)\" is not applied by wsconform")
            }
        }
        return ignored
    }

    private static func seconds(_ s: Double) -> Duration { .milliseconds(Int((s * 1000).rounded())) }

    /// The options as recorded in results.json.
    func recordedOptions(_ server: Server) -> [(String, OrderedJSON)] {
        let o = server.options
        let c = o.caseOptions
        func secs(_ d: Duration) -> OrderedJSON { .double(Double(CaseResultJSON.milliseconds(d)) / 1000) }
        return [
            ("cases", .array(patterns.include.map(OrderedJSON.string))),
            ("exclude", .array(patterns.exclude.map(OrderedJSON.string))),
            ("patternSyntax", .string(patterns.syntax.rawValue)),
            ("selected", .int(cases.count)),
            ("jobs", .int(o.jobs)),
            ("http2", .bool(o.http2)),
            ("agent", .optional(o.agent)),
            ("caseTimeoutSeconds", c.caseTimeout.map(secs) ?? .null),
            ("openHandshakeTimeoutSeconds", secs(c.openHandshakeTimeout)),
            ("closeHandshakeTimeoutSeconds", secs(c.closeHandshakeTimeout)),
            ("serverConnectionDropTimeoutSeconds", secs(c.serverConnectionDropTimeout)),
            ("failByDrop", .bool(c.failByDrop)),
            ("chopDelayMicroseconds", .int(CaseResultJSON.milliseconds(c.chopDelay * 1000))),
            ("maximumMessageSize", .int(c.maximumMessageSize)),
            ("serverMaxMessageSize", .optional(maxMessageSize)),
            ("connections", .int(connections)),
            ("tls", .object([("insecure", .bool(o.tls?.insecure ?? false)), ("ca", .optional(o.tls?.caFile)),
                             ("serverName", .optional(o.tls?.serverName))])),
            ("ignoredSpecOptions", .array(server.ignoredOptions.map(OrderedJSON.string))),
            ("serverCommand", .optional(o.serverCommand)),
        ]
    }
}
