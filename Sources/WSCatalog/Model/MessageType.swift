import WSEngine

/// The two data message types.
public enum MessageType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case text
    case binary

    /// The opcode of the message's first frame.
    public var opcode: Opcode { self == .text ? .text : .binary }

    /// Autobahn's `isBinary` flag.
    public var isBinary: Bool { self == .binary }

    public var description: String { rawValue }
}
