import WSEngine

/// Which peer a case tests. Autobahn's sections run in both directions (the fuzzingclient tests
/// servers, the fuzzingserver tests clients); handshake cases only make sense in one.
public enum CaseRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The peer is a server; the harness is the client (`wsconform test-server`).
    case serverUnderTest = "server-under-test"
    /// The peer is a client; the harness is the server.
    case clientUnderTest = "client-under-test"

    /// The harness's own role when testing this kind of peer.
    public var harnessRole: Role { self == .serverUnderTest ? .client : .server }

    /// The case role that matches a harness role.
    public init(harness: Role) { self = harness == .client ? .serverUnderTest : .clientUnderTest }

    public var description: String { rawValue }
}

/// A value the catalog leaves to the user because it depends on the peer's configuration (section
/// 25). A case lists what it needs in `requires`; its strings may then use `{name}` like a `vary`
/// parameter. Without a value the case is loaded with `probeValue` (so that it can still be
/// validated and shown) and is not applicable: the runner skips it with a reason, unless the
/// parameter has a `defaultValue`, which is then used.
public enum CatalogParameter: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The peer's declared largest message, in octets (`--max-message-size`).
    case maxMessageSize = "max_message_size"
    /// How many connections section 27.8 holds open beside the case's own (`--connections`).
    case connections

    /// The command-line option that supplies the value.
    public var option: String {
        switch self {
        case .maxMessageSize: "--max-message-size"
        case .connections: "--connections"
        }
    }

    /// The value used to validate and show a case when the user gave none.
    public var probeValue: Int {
        switch self {
        case .maxMessageSize: 1024
        case .connections: Self.defaultConnections
        }
    }

    /// The value a case runs with when the user gave none; nil: the case is then not applicable
    /// (a server's own limit cannot be guessed; a count of connections to open can).
    public var defaultValue: Int? {
        switch self {
        case .maxMessageSize: nil
        case .connections: Self.defaultConnections
        }
    }

    /// Modest: any server should hold this many, and the harness opens them in well under a second.
    public static let defaultConnections = 100

    public var description: String { rawValue }
}
