import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a transport operation failed. Each case prints as one line that says what to check.
public enum TransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Nothing listens at `host:port` (the peer answered the SYN with a reset).
    case connectionRefused(host: String, port: Int)
    /// The TCP connection (or, with TLS, its handshake) did not complete in time.
    case connectTimeout(host: String, port: Int)
    /// The host name could not be resolved.
    case resolveFailed(host: String, reason: String)
    /// TLS setup or handshake failed: bad certificate or key file, untrusted peer, protocol error.
    case tlsFailure(String)
    /// The listener could not bind (address in use, permission, bad address).
    case bindFailed(host: String, port: Int, reason: String)
    /// No connection arrived before the deadline passed to `RawListener.accept(until:)`.
    case acceptTimeout
    /// The connection (or its output side) or the listener is already closed.
    case closed
    /// The peer reset the connection while we were writing.
    case connectionReset
    /// The waiting task was cancelled.
    case cancelled
    /// Any other socket error.
    case io(String)

    public var description: String {
        switch self {
        case .connectionRefused(let host, let port): "connection refused by \(host):\(port) (is the server running?)"
        case .connectTimeout(let host, let port): "connecting to \(host):\(port) timed out"
        case .resolveFailed(let host, let reason): "cannot resolve host '\(host)': \(reason)"
        case .tlsFailure(let reason): "TLS failure: \(reason)"
        case .bindFailed(let host, let port, let reason): "cannot listen on \(host):\(port): \(reason)"
        case .acceptTimeout: "no connection arrived before the deadline"
        case .closed: "the connection is closed"
        case .connectionReset: "the connection was reset by the peer"
        case .cancelled: "the operation was cancelled"
        case .io(let reason): "I/O error: \(reason)"
        }
    }
}

extension TransportError {
    /// Maps an error from a connect attempt (resolution, TCP connect, TLS handshake).
    static func connecting(_ error: any Error, host: String, port: Int) -> TransportError {
        if let error = error as? TransportError { return error }
        if let error = error as? NIOConnectionError {
            let causes = error.connectionErrors.map(\.error)
            if let own = causes.lazy.compactMap({ $0 as? TransportError }).first { return own }
            if causes.contains(where: { ($0 as? IOError)?.errnoCode == ECONNREFUSED }) {
                return .connectionRefused(host: host, port: port)
            }
            if causes.contains(where: { if case .connectTimeout = $0 as? ChannelError { true } else { false } }) {
                return .connectTimeout(host: host, port: port)
            }
            if causes.isEmpty, let dns = error.dnsAError ?? error.dnsAAAAError {
                return .resolveFailed(host: host, reason: "\(dns)")
            }
            if causes.isEmpty {
                return .resolveFailed(host: host, reason: "no addresses found")
            }
            return .io(causes.map { "\($0)" }.joined(separator: "; "))
        }
        if case .connectTimeout = error as? ChannelError { return .connectTimeout(host: host, port: port) }
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED {
            return .connectionRefused(host: host, port: port)
        }
        if let tls = TransportError.tls(error) { return tls }
        return .io("\(error)")
    }

    /// Maps an error from a write or half-close on an established connection.
    static func writing(_ error: any Error) -> TransportError {
        if let error = error as? TransportError { return error }
        if let error = error as? ChannelError {
            switch error {
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed, .eof: return .closed
            default: return .io("\(error)")
            }
        }
        if ConnectionEnd.isReset(error) { return .connectionReset }
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return .closed }
        if let tls = TransportError.tls(error) { return tls }
        return .io("\(error)")
    }

    /// A readable TLS failure, or nil when `error` is not a TLS error.
    static func tls(_ error: any Error) -> TransportError? {
        switch error {
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(let ssl): return .tlsFailure("handshake failed: \(ssl)")
            default: return .tlsFailure("\(error)")
            }
        case let error as NIOSSLExtraError: return .tlsFailure("\(error)")
        case let error as BoringSSLError: return .tlsFailure("\(error)")
        default: return nil
        }
    }
}
