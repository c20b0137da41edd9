import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a TCP connection ended, from this side's point of view, and who ended it first.
public enum ConnectionEnd: Sendable, Hashable, CustomStringConvertible {
    /// The peer closed its side: a FIN (or, with TLS, a close_notify) arrived.
    case peerClosed
    /// The peer reset the connection (ECONNRESET / EPIPE).
    case peerReset
    /// We closed first: `close()` or `shutdownOutput()` sent our FIN.
    case localClosed
    /// We reset the connection with `abort()` (SO_LINGER 0, the peer sees an RST).
    case localAborted
    /// The connection failed for another reason (TLS error, unexpected socket error).
    case error(String)

    public var description: String {
        switch self {
        case .peerClosed: "closed by peer"
        case .peerReset: "reset by peer"
        case .localClosed: "closed by us"
        case .localAborted: "aborted by us"
        case .error(let reason): "failed: \(reason)"
        }
    }

    /// True for the errors a TCP reset surfaces as.
    static func isReset(_ error: any Error) -> Bool {
        guard let error = error as? IOError else { return false }
        return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE
    }

    /// The end that a socket or TLS error means.
    static func from(_ error: any Error) -> ConnectionEnd {
        if isReset(error) { return .peerReset }
        if let tls = TransportError.tls(error), case .tlsFailure(let reason) = tls { return .error("TLS: \(reason)") }
        return .error("\(error)")
    }
}

/// The result of one `RawConnection.read(until:)`.
public enum ReadResult: Sendable, Hashable {
    /// The next chunk of bytes, as one read from the socket (or one TLS flush) delivered it.
    case bytes(ByteBuffer)
    /// The inbound stream is over; every later read returns the same value. Carries the first end
    /// observed on this connection, which may be our own (for example after `close()`).
    case end(ConnectionEnd)
    /// Nothing arrived before the deadline (or the waiting task was cancelled).
    case timeout
}
