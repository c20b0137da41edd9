/// What a client command (`test-client --client-cmd`) did for one case: kept in the case result so a
/// failing case shows the client's own words.
public struct ClientCommandRecord: Sendable, Hashable {
    /// The command line as run, placeholders filled in.
    public var command: String
    /// It opened `/runCase` for this case.
    public var connected: Bool
    /// Its exit status, nil when a signal ended it (or it could not be started).
    public var exitStatus: Int32?
    /// The signal that ended it, if any.
    public var signal: Int32?
    /// wsconform ended it at the case's deadline (SIGTERM, then SIGKILL).
    public var killed: Bool
    /// From the start of the command to its end.
    public var wallTime: Duration
    public var stdout: BoundedOutput
    public var stderr: BoundedOutput

    public init(command: String, connected: Bool, exitStatus: Int32?, signal: Int32?, killed: Bool, wallTime: Duration,
                stdout: BoundedOutput, stderr: BoundedOutput) {
        self.command = command
        self.connected = connected
        self.exitStatus = exitStatus
        self.signal = signal
        self.killed = killed
        self.wallTime = wallTime
        self.stdout = stdout
        self.stderr = stderr
    }

    /// One line: how the command ended.
    public var endDescription: String {
        if killed { return "killed by wsconform at the case deadline" }
        if let signal { return "ended by signal \(signal)" }
        if let exitStatus { return "exited with status \(exitStatus)" }
        return "could not be started"
    }
}

/// A stream's output kept within bounds: the first `headLimit` and the last `tailLimit` octets,
/// and how many were left out between them.
public struct BoundedOutput: Sendable, Hashable {
    public static let headLimit = 8192
    public static let tailLimit = 8192

    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    /// Octets dropped between head and tail.
    public private(set) var omitted = 0

    public init() {}

    public init(_ text: String) {
        append(Array(text.utf8))
    }

    public mutating func append(_ bytes: [UInt8]) {
        var rest = bytes[...]
        if head.count < Self.headLimit {
            let n = min(Self.headLimit - head.count, rest.count)
            head += rest.prefix(n)
            rest = rest.dropFirst(n)
        }
        guard !rest.isEmpty else { return }
        tail += rest
        if tail.count > Self.tailLimit {
            let excess = tail.count - Self.tailLimit
            omitted += excess
            tail.removeFirst(excess)
        }
    }

    /// The kept text (invalid UTF-8 replaced), with a marker where octets were left out.
    public var text: String {
        let h = String(decoding: head, as: UTF8.self)
        let t = String(decoding: tail, as: UTF8.self)
        return omitted > 0 ? h + "\n[… \(omitted) octets omitted …]\n" + t : h + t
    }

    public var isEmpty: Bool { head.isEmpty && tail.isEmpty }
}
