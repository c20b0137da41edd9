import Foundation
import WSResultFormat

/// Autobahn's `fuzzingclient.json`: the suite is the client and tests servers (autobahn.md §5.2).
public struct FuzzingClientSpec: Sendable, Hashable {
    public struct Server: Sendable, Hashable {
        /// `ws://` or `wss://` URL; its path and query go into the request line.
        public var url: String
        /// Name in the reports; nil means "the Server header of the handshake response".
        public var agent: String?
        /// TLS: verify the certificate for this name (and send it as SNI). Nil: no verification,
        /// as in Autobahn.
        public var hostname: String?
        public var origin: String?
        public var protocols: [String]
        /// Per-server protocol options, applied after the global ones.
        public var options: [String: JSONValue]
    }

    public var outdir: String
    /// May be empty: Autobahn then takes the server from `-w/--wsuri`.
    public var servers: [Server]
    public var options: [String: JSONValue]
    public var cases: [String]
    public var excludeCases: [String]
    public var excludeAgentCases: [AgentExclusion]
    /// Keys present but ignored (Autobahn ignores them too), e.g. `webport`.
    public var ignoredKeys: [String]

    /// Autobahn's client-side protocol option names (autobahn 0.10.9 `setProtocolOptions`). An unknown
    /// option crashes Autobahn; we reject it.
    public static let optionNames = [
        "version", "allowHixie76", "utf8validateIncoming", "acceptMaskedServerFrames", "maskClientFrames", "applyMask",
        "maxFramePayloadSize", "maxMessagePayloadSize", "autoFragmentSize", "failByDrop", "echoCloseCodeReason",
        "serverConnectionDropTimeout", "openHandshakeTimeout", "closeHandshakeTimeout", "tcpNoDelay",
        "perMessageCompressionOffers", "perMessageCompressionAccept", "autoPingInterval", "autoPingTimeout", "autoPingSize",
    ]

    static let keys = ["outdir", "servers", "options", "cases", "exclude-cases", "exclude-agent-cases"]
    static let serverKeys = ["url", "agent", "hostname", "origin", "protocols", "options"]
}

/// Autobahn's `fuzzingserver.json`: the suite is the server and tests clients.
public struct FuzzingServerSpec: Sendable, Hashable {
    /// Where to listen, e.g. `ws://127.0.0.1:9001` (`wss` needs `key` and `cert`).
    public var url: String
    public var outdir: String
    public var protocols: [String]
    public var options: [String: JSONValue]
    /// PEM files for `wss://`.
    public var key: String?
    public var cert: String?
    public var cases: [String]
    public var excludeCases: [String]
    public var excludeAgentCases: [AgentExclusion]
    public var ignoredKeys: [String]

    /// Autobahn's server-side protocol option names.
    public static let optionNames = [
        "versions", "allowHixie76", "webStatus", "utf8validateIncoming", "maskServerFrames", "requireMaskedClientFrames",
        "applyMask", "maxFramePayloadSize", "maxMessagePayloadSize", "autoFragmentSize", "failByDrop", "echoCloseCodeReason",
        "openHandshakeTimeout", "closeHandshakeTimeout", "tcpNoDelay", "perMessageCompressionAccept", "autoPingInterval",
        "autoPingTimeout", "autoPingSize", "serveFlashSocketPolicy", "flashSocketPolicy", "allowedOrigins", "maxConnections",
    ]

    static let keys = ["url", "outdir", "protocols", "options", "key", "cert", "cases", "exclude-cases", "exclude-agent-cases"]
}

/// A spec file problem, located by its JSON path (e.g. `servers[0].url`).
public struct SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Parses Autobahn spec files into typed values, with Autobahn's defaults.
public enum AutobahnSpecParser {
    public static func parseClient(_ data: Data) throws(SpecError) -> FuzzingClientSpec {
        let root = try object(try json(data), "")
        var spec = FuzzingClientSpec(outdir: "./reports/servers", servers: [], options: [:], cases: [], excludeCases: [],
                                     excludeAgentCases: [], ignoredKeys: root.keys.filter { !FuzzingClientSpec.keys.contains($0) }.sorted())
        if let v = root["outdir"] { spec.outdir = try string(v, "outdir") }
        if let v = root["servers"] {
            for (i, item) in try array(v, "servers").enumerated() {
                let p = "servers[\(i)]"
                let s = try object(item, p)
                for k in s.keys where !FuzzingClientSpec.serverKeys.contains(k) {
                    throw SpecError(path: "\(p).\(k)", message: "unknown server key; valid: \(FuzzingClientSpec.serverKeys.joined(separator: ", "))")
                }
                guard let u = s["url"] else { throw SpecError(path: p, message: "a server needs a url") }
                let url = try string(u, "\(p).url")
                try checkURL(url, "\(p).url")
                spec.servers.append(FuzzingClientSpec.Server(
                    url: url, agent: try s["agent"].map { (v) throws(SpecError) in try string(v, "\(p).agent") },
                    hostname: try s["hostname"].map { (v) throws(SpecError) in try string(v, "\(p).hostname") },
                    origin: try s["origin"].map { (v) throws(SpecError) in try string(v, "\(p).origin") },
                    protocols: try strings(s["protocols"], "\(p).protocols"),
                    options: try options(s["options"], "\(p).options", valid: FuzzingClientSpec.optionNames)))
            }
        }
        spec.options = try options(root["options"], "options", valid: FuzzingClientSpec.optionNames)
        try selection(root, &spec.cases, &spec.excludeCases, &spec.excludeAgentCases)
        return spec
    }

    public static func parseServer(_ data: Data) throws(SpecError) -> FuzzingServerSpec {
        let root = try object(try json(data), "")
        guard let u = root["url"] else { throw SpecError(path: "url", message: "missing; e.g. \"ws://127.0.0.1:9001\"") }
        let url = try string(u, "url")
        try checkURL(url, "url")
        var spec = FuzzingServerSpec(url: url, outdir: "./reports/clients", protocols: try strings(root["protocols"], "protocols"),
                                     options: try options(root["options"], "options", valid: FuzzingServerSpec.optionNames),
                                     key: nil, cert: nil, cases: [], excludeCases: [], excludeAgentCases: [],
                                     ignoredKeys: root.keys.filter { !FuzzingServerSpec.keys.contains($0) }.sorted())
        if let v = root["outdir"] { spec.outdir = try string(v, "outdir") }
        if let v = root["key"] { spec.key = try string(v, "key") }
        if let v = root["cert"] { spec.cert = try string(v, "cert") }
        if url.hasPrefix("wss://") && (spec.key == nil || spec.cert == nil) {
            throw SpecError(path: "url", message: "a wss:// url needs both key and cert")
        }
        try selection(root, &spec.cases, &spec.excludeCases, &spec.excludeAgentCases)
        return spec
    }

    // MARK: pieces

    private static func json(_ data: Data) throws(SpecError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            throw SpecError(path: "", message: "not valid JSON" + (JSONSyntax.location(of: data).map { " (\($0))" } ?? ""))
        }
    }

    private static func selection(_ root: [String: JSONValue], _ cases: inout [String], _ exclude: inout [String],
                                  _ agents: inout [AgentExclusion]) throws(SpecError) {
        guard let c = root["cases"] else { throw SpecError(path: "cases", message: "missing; e.g. [\"*\"] for all cases") }
        cases = try strings(c, "cases")
        exclude = try strings(root["exclude-cases"], "exclude-cases")
        if let e = root["exclude-agent-cases"] {
            for (agent, patterns) in try object(e, "exclude-agent-cases").sorted(by: { $0.key < $1.key }) {
                agents.append(AgentExclusion(agentPattern: agent, casePatterns: try strings(patterns, "exclude-agent-cases.\(agent)")))
            }
        }
    }

    private static func checkURL(_ url: String, _ path: String) throws(SpecError) {
        guard url.hasPrefix("ws://") || url.hasPrefix("wss://") else {
            throw SpecError(path: path, message: "\"\(url)\" is not a ws:// or wss:// URL")
        }
    }

    private static func options(_ v: JSONValue?, _ path: String, valid: [String]) throws(SpecError) -> [String: JSONValue] {
        guard let v else { return [:] }
        let o = try object(v, path)
        for k in o.keys.sorted() where !valid.contains(k) {
            throw SpecError(path: "\(path).\(k)", message: "unknown protocol option (Autobahn would crash); valid: \(valid.joined(separator: ", "))")
        }
        return o
    }

    private static func object(_ v: JSONValue, _ path: String) throws(SpecError) -> [String: JSONValue] {
        guard case let .object(o) = v else { throw SpecError(path: path, message: "expected an object, found \(v)") }
        return o
    }

    private static func array(_ v: JSONValue, _ path: String) throws(SpecError) -> [JSONValue] {
        guard case let .array(a) = v else { throw SpecError(path: path, message: "expected a list, found \(v)") }
        return a
    }

    private static func string(_ v: JSONValue, _ path: String) throws(SpecError) -> String {
        guard case let .string(s) = v else { throw SpecError(path: path, message: "expected a string, found \(v)") }
        return s
    }

    private static func strings(_ v: JSONValue?, _ path: String) throws(SpecError) -> [String] {
        guard let v else { return [] }
        var out: [String] = []
        for (i, item) in try array(v, path).enumerated() { out.append(try string(item, "\(path)[\(i)]")) }
        return out
    }
}

extension FuzzingClientSpec {
    /// The spec's case selection, with Autobahn's pattern rules.
    public func selection(in catalog: CaseCatalog) throws(PatternError) -> CaseSelection {
        try CaseSelection(catalog: catalog, include: cases, exclude: excludeCases, syntax: .autobahn)
    }
}

extension FuzzingServerSpec {
    /// The spec's case selection, with Autobahn's pattern rules.
    public func selection(in catalog: CaseCatalog) throws(PatternError) -> CaseSelection {
        try CaseSelection(catalog: catalog, include: cases, exclude: excludeCases, syntax: .autobahn)
    }
}
