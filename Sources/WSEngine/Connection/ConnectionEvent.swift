import NIOCore

/// Kinds of data message.
public enum MessageKind: Sendable, Hashable {
    case text, binary
    public var opcode: Opcode { self == .text ? .text : .binary }
}

/// What a `Connection` reports after consuming bytes.
public enum ConnectionEvent: Sendable, Hashable {
    /// A complete (reassembled, decompressed, validated) data message.
    case message(MessageKind, ByteBuffer)
    case ping(ByteBuffer)
    case pong(ByteBuffer)
    /// The peer's Close frame (code nil when its payload was empty).
    case closeReceived(CloseCode?, reason: ByteBuffer)
    /// The peer violated the protocol; the connection was failed and a Close with the violation's code
    /// was queued (RFC 6455 §7.1.7). No further events follow.
    case failed(ProtocolError)
    /// Every frame as received (header and payload size), for observers that log the wire; only
    /// reported when `Connection.reportFrames` is set.
    case frameReceived(FrameHeader)
}
