/// The main verdict (Autobahn's `behavior`), with Autobahn's exact spelling as raw value.
public enum Behavior: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = "OK"
    case nonStrict = "NON-STRICT"
    case failed = "FAILED"
    case informational = "INFORMATIONAL"
    case unimplemented = "UNIMPLEMENTED"

    public var description: String { rawValue }
}

/// The closing-handshake verdict (Autobahn's `behaviorClose`).
public enum CloseBehavior: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = "OK"
    case wrongCode = "WRONG CODE"
    case unclean = "UNCLEAN"
    case failedByClient = "FAILED BY CLIENT"
    case failed = "FAILED"
    case informational = "INFORMATIONAL"

    public var description: String { rawValue }
}
