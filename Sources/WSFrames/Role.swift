/// Which end of a WebSocket connection an engine object plays. It decides the mask direction:
/// clients mask every frame they send, servers never mask (RFC 6455 §5.1, §5.3).
public enum Role: Sendable, Hashable, CustomStringConvertible {
    case client
    case server

    /// The role of the other end.
    public var peer: Role { self == .client ? .server : .client }

    /// True when frames sent by this role must carry a masking key.
    public var masksOutgoingFrames: Bool { self == .client }

    /// True when frames received by this role must carry a masking key.
    public var expectsMaskedFrames: Bool { self == .server }

    public var description: String { self == .client ? "client" : "server" }
}
