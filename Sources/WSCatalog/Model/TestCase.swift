/// Where something was written: a file and a 1-based line (and column).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One conformance case: what the harness sends and what it expects, never how (the runner decides
/// how to write bytes and keep time). Field meanings are specified in Cases/README.md.
public struct TestCase: Sendable, Hashable, Identifiable {
    public var id: CaseID
    public var title: String
    /// What the case does, in words.
    public var description: String
    /// What a conforming peer does, in words.
    public var expectationText: String
    /// RFC references such as "RFC 6455 §5.5.2".
    public var rfc: [String]
    /// Where wsconform knowingly differs from Autobahn, or facts worth knowing.
    public var notes: [String]
    public var steps: [Step]
    public var expect: Expectation
    /// Autobahn's "finish when done": after each recorded event, if the events equal every expected
    /// outcome list and the harness should close first, it sends Close with the first expected code.
    /// False reproduces Autobahn's `suppressClose`.
    public var autoClose: Bool
    /// Split every `message` step without its own `fragment_size` (and every round-trip message,
    /// after compression) into frames of this many octets (Autobahn's `autoFragmentSize`).
    public var autoFragmentSize: Int?
    public var deflate: DeflateSpec?
    /// Show the duration in reports (9.x, 12.x, 13.x).
    public var reportTime: Bool
    /// Show compression ratios in reports (12.x, 13.x).
    public var reportCompressionRatio: Bool
    /// The peers this case tests (`roles`; default both). `test-server` runs the cases for servers.
    public var roles: [CaseRole]
    /// Run-time values the case uses (`requires`), e.g. the peer's declared message size limit.
    public var parameters: [CatalogParameter]
    /// Those of `parameters` the catalog was loaded without: the case is not applicable.
    public var missingParameters: [CatalogParameter]
    public var source: SourceLocation

    public init(id: CaseID, title: String, description: String, expectationText: String, rfc: [String] = [],
                notes: [String] = [], steps: [Step], expect: Expectation, autoClose: Bool = true,
                autoFragmentSize: Int? = nil, deflate: DeflateSpec? = nil, reportTime: Bool = false,
                reportCompressionRatio: Bool = false, roles: [CaseRole] = CaseRole.allCases,
                parameters: [CatalogParameter] = [], missingParameters: [CatalogParameter] = [], source: SourceLocation) {
        self.id = id
        self.title = title
        self.description = description
        self.expectationText = expectationText
        self.rfc = rfc
        self.notes = notes
        self.steps = steps
        self.expect = expect
        self.autoClose = autoClose
        self.autoFragmentSize = autoFragmentSize
        self.deflate = deflate
        self.reportTime = reportTime
        self.reportCompressionRatio = reportCompressionRatio
        self.roles = roles
        self.parameters = parameters
        self.missingParameters = missingParameters
        self.source = source
    }

    /// True when the case tests this kind of peer.
    public func tests(_ role: CaseRole) -> Bool { roles.contains(role) }

    /// Why the case cannot run with the values given, nil when it can.
    public var notApplicableReason: String? {
        guard !missingParameters.isEmpty else { return nil }
        return "Not applicable: the case needs " + missingParameters.map { "\($0.option) (\($0.rawValue))" }.joined(separator: ", ")
            + ", the peer's own configured value, and none was given."
    }

    /// The case's own opening handshake, if it writes one (its first step).
    public var handshakeStep: HandshakeStep? {
        if case let .handshake(h)? = steps.first { return h }
        return nil
    }

    /// The case's own extended CONNECT over HTTP/2 (section 28), if it has one: it runs only with
    /// `test-server --http2`.
    public var http2Request: H2Request? {
        if case let .http2(r)? = handshakeStep?.message { return r }
        return nil
    }

    /// The case's own answer to a client's extended CONNECT (section 28.9), if it has one: it runs
    /// only with `test-client --http2`.
    public var http2Answer: H2Answer? {
        if case let .http2Answer(a)? = handshakeStep?.message { return a }
        return nil
    }

    /// True for a case that runs only over HTTP/2 (its own extended CONNECT or answer to one).
    public var needsHTTP2: Bool { http2Request != nil || http2Answer != nil }

    /// The first guard timer of the given kind, if any (used for Autobahn's WAITSECS texts).
    public func guardTimer(_ kind: GuardStep.Kind) -> Duration? {
        for step in steps {
            if case let .guardTimer(g) = step, g.kind == kind { return g.after }
        }
        return nil
    }

    /// The verdict rests on time: a series of round trips within a budget, or a duration the
    /// reports show (`report_time`: 9.x, 12.x, 13.x and the round trips of 24). Such a case never
    /// shares the peer with another case: the scheduler lets running cases finish, runs it alone,
    /// then goes on (Cases/README.md, "Running cases at the same time").
    public var runsAlone: Bool { reportTime || roundTrips != nil }

    /// The `round_trips` step, if any.
    public var roundTrips: RoundTripsStep? {
        for step in steps { if case let .roundTrips(r) = step { return r } }
        return nil
    }

    /// The dataset its `round_trips` step sends, if any.
    public var datasetName: String? {
        if case let .dataset(w) = roundTrips?.source { return w.dataset }
        return nil
    }
}
