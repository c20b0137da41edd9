import NIOCore
import WSCatalog
import WSEngine
import WSJudge

/// Octets the endpoint wants written, in order, with Autobahn's write modes.
struct OutgoingWrite: Sendable {
    var bytes: ByteBuffer
    /// Write in pieces of this many octets, each its own write (Autobahn's `chopsize`).
    var chop: Int?
    /// Its own write, not merged with neighbours (Autobahn's `sync`).
    var sync: Bool
    /// The harness's own Close: its close-handshake timer starts once the frame is actually
    /// written, so a busy writer cannot eat into the peer's time to answer.
    var armsCloseTimer = false
}

/// The two timers the endpoint itself arms (guards and barriers belong to the case session).
enum EndpointTimer: Sendable, Hashable {
    /// The harness sent a Close and waits for the peer's (1 s by default).
    case closeHandshake
    /// Harness as client: the closing handshake is complete and the server should close TCP.
    case serverConnectionDrop
}

/// What the endpoint asks its driver to do or to know, in order. The endpoint itself never does I/O.
enum EndpointEffect: Sendable {
    case write(OutgoingWrite)
    /// Close TCP: `abort` resets it (pending writes dropped), otherwise a FIN after pending writes.
    case drop(abort: Bool)
    /// A complete, reassembled and decompressed data message (never after the harness failed).
    case message(MessageType, ByteBuffer)
    /// A pong (delivered even while closing, as Autobahn does).
    case pong(ByteBuffer)
    case startTimer(EndpointTimer)
    case cancelTimer(EndpointTimer)
    /// A row for the wire log.
    case log(WireLogEntry.Kind, WireLogEntry.Direction?)
}
