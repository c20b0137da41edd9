/// `results.json` as documented in docs/results-schema.md (schema `wsconform.results/1`): the
/// writer encodes it with `encoder`, the reports decode it. Keys added to the schema later are
/// optional here, so older files still load.
public struct ResultsDocument: Sendable, Codable {
    /// The schema written, and the only one read.
    public static let schema = "wsconform.results/1"

    /// How the model is written: members in the order declared, a nil member as `null` (the
    /// schema's keys are always there) except these, present only when they apply: a case's
    /// `clientCommand`, `concurrentRun`, `serverProcess`, `handshake.http2` and
    /// `roundTrips.mismatch`; an event's `octets` and `tag`; a payload preview's `text` or `hex`
    /// and `truncated`; a wire-log entry's `dir`, `octets`, `hex`, `frame` or `note`.
    public static let encoder = OrderedJSONEncoder(keysOmittedWhenNil: [
        "clientCommand", "concurrentRun", "serverProcess", "http2", "mismatch",
        "octets", "tag", "text", "hex", "truncated", "dir", "frame", "note",
    ])

    /// Must equal `ResultsDocument.schema`.
    public var schema: String
    public var run: RunInfo
    public var summary: RunSummary?
    public var cases: [CaseRecord]

    public init(run: RunInfo, summary: RunSummary?, cases: [CaseRecord]) {
        self.schema = Self.schema
        self.run = run
        self.summary = summary
        self.cases = cases
    }

    /// The file's text: compact JSON, each case on its own line (a third of the size of indented
    /// JSON, still greppable and diffable line by line). `caseLines`: the case objects already
    /// rendered (the journal's lines), written as they are in place of `cases`.
    public func text(caseLines: [String]? = nil) throws -> String {
        var head = self
        head.cases = []
        guard case var .object(members) = try Self.encoder.encode(head) else { return "" }
        let lines = try caseLines ?? cases.map { try Self.encoder.encode($0).render() }
        if let i = members.firstIndex(where: { $0.0 == "cases" }) {
            members[i].1 = .raw(lines.isEmpty ? "[]" : "[\n" + lines.joined(separator: ",\n") + "\n]")
        }
        return OrderedJSON.object(members).render() + "\n"
    }
}

/// `results.json`'s `run` object.
public struct RunInfo: Sendable, Codable {
    /// The tool that wrote the file.
    public struct Tool: Sendable, Codable {
        public var name: String
        public var version: String

        public init(name: String, version: String) { (self.name, self.version) = (name, version) }
    }

    /// The case catalog the run used.
    public struct Catalog: Sendable, Codable {
        public var digest: String?
        public var path: String?
        public var cases: Int?
        /// Section and subsection titles by number (`"6"`, `"6.4"`), for the sections run.
        public var sections: [String: String]?

        public init() {}
    }

    /// The machine the run ran on.
    public struct Host: Sendable, Codable {
        public var name: String?
        public var os: String?
        public var cpus: Int?

        public init() {}
    }

    public var tool: Tool?
    public var catalog: Catalog?
    public var agent: String
    public var target: String?
    public var harnessRole: String?
    /// The options as given (selection patterns, jobs, timeouts...), in the order the run gave them.
    public var options: OrderedJSON?
    public var started: String?
    public var ended: String?
    public var wallSeconds: Double?
    public var host: Host?
    public var stopped: String?

    /// True for a run whose WebSockets were HTTP/2 streams (RFC 8441, `test-server --http2`).
    public var overHTTP2: Bool { options?["http2"]?.boolValue == true }

    /// Run info for hand-made runs (tests, conversions); set the other fields as known.
    public init(agent: String, target: String? = nil) {
        self.agent = agent
        self.target = target
    }
}

/// `results.json`'s `summary` object.
public struct RunSummary: Sendable, Codable {
    public var cases: Int
    public var acceptable: Int
    public var failed: Int
    /// Cases per verdict word.
    public var behavior: [String: Int]?
    public var behaviorClose: [String: Int]?
    public var skipped: [String]?
    public var notRun: [String]?

    /// The counts; set the other fields as known.
    public init(cases: Int, acceptable: Int, failed: Int) {
        self.cases = cases
        self.acceptable = acceptable
        self.failed = failed
    }
}
