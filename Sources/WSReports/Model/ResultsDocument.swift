import WSResultFormat

/// `results.json` as documented in docs/results-schema.md (schema `wsconform.results/1`): the
/// reading side. Keys added to the schema later are optional here, so older files still load.
public struct ResultsDocument: Sendable, Decodable {
    /// The only schema this reader understands.
    public static let schema = "wsconform.results/1"

    /// Must equal `ResultsDocument.schema`.
    public var schema: String
    public var run: RunInfo
    public var summary: RunSummary?
    public var cases: [CaseRecord]
}

/// `results.json`'s `run` object.
public struct RunInfo: Sendable, Decodable {
    /// The tool that wrote the file.
    public struct Tool: Sendable, Decodable {
        public var name: String
        public var version: String
    }

    /// The case catalog the run used.
    public struct Catalog: Sendable, Decodable {
        public var digest: String?
        public var path: String?
        public var cases: Int?
        /// Section and subsection titles by number (`"6"`, `"6.4"`), for the sections run.
        public var sections: [String: String]?
    }

    /// The machine the run ran on.
    public struct Host: Sendable, Decodable {
        public var name: String?
        public var os: String?
        public var cpus: Int?
    }

    public var tool: Tool?
    public var catalog: Catalog?
    public var agent: String
    public var target: String?
    public var harnessRole: String?
    public var options: JSONValue?
    public var started: String?
    public var ended: String?
    public var wallSeconds: Double?
    public var host: Host?
    public var stopped: String?

    /// True for a run whose WebSockets were HTTP/2 streams (RFC 8441, `test-server --http2`).
    public var overHTTP2: Bool {
        guard case let .object(o)? = options, case .bool(true)? = o["http2"] else { return false }
        return true
    }

    /// Run info for hand-made runs (tests, conversions).
    public init(agent: String, target: String? = nil) {
        self.agent = agent
        self.target = target
    }
}

/// `results.json`'s `summary` object.
public struct RunSummary: Sendable, Decodable {
    public var cases: Int
    public var acceptable: Int
    public var failed: Int
    public var behavior: [String: Int]?
    public var behaviorClose: [String: Int]?
    public var skipped: [String]?
    public var notRun: [String]?
}
