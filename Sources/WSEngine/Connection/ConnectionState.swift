/// Where a connection is in its life (RFC 6455 §4, §7).
public enum ConnectionState: Sendable, Hashable {
    case open
    /// We sent a Close and wait for the peer's.
    case closeSent
    /// Both Close frames were exchanged: the WebSocket is closed; TCP should now end
    /// (the server closes first, RFC 6455 §7.1.1).
    case closed
    /// We failed the connection after a protocol violation; a Close was queued, further input is ignored.
    case failed
}
