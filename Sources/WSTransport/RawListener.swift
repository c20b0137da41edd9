import NIOCore
import NIOPosix
import NIOSSL

/// A listening socket that hands out `RawConnection`s (server role), optionally TLS-terminated.
public final class RawListener: Sendable {
    private let serverChannel: any Channel
    private let incoming: Mailbox<Result<RawConnection, TransportError>>
    public let host: String
    /// The bound port (the one the system chose when binding port 0).
    public let port: Int
    public let usesTLS: Bool

    private init(serverChannel: any Channel, incoming: Mailbox<Result<RawConnection, TransportError>>,
                 host: String, port: Int, usesTLS: Bool) {
        self.serverChannel = serverChannel
        self.incoming = incoming
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    deinit {
        if self.serverChannel.isActive { self.serverChannel.close(promise: nil) }
    }

    /// Listens on `host:port`. Binds the loopback address unless told otherwise, so a harness run
    /// is not reachable from the network by accident; port 0 picks a free port.
    public static func bind(
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: TLSServerConfiguration? = nil,
        options: ConnectionOptions = ConnectionOptions(),
        backlog: Int32 = 256,
        http2: Bool = false,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(TransportError) -> RawListener {
        let sslContext = try tls?.makeContext(alpn: http2 ? ["h2"] : [])
        let incoming = Mailbox<Result<RawConnection, TransportError>>()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                if http2 {
                    return channel.eventLoop.makeCompletedFuture {
                        try H2Listening.install(on: channel, tls: sslContext, options: options, incoming: incoming)
                    }
                }
                return channel.eventLoop.makeCompletedFuture {
                    let tlsHandler = sslContext.map { NIOSSLServerHandler(context: $0) }
                    let (state, ready) = try ConnectionPipeline.install(on: channel, tls: tlsHandler, options: options)
                    ready.whenComplete { result in
                        switch result {
                        case .success:
                            incoming.put(.success(RawConnection(channel: channel, state: state, usesTLS: sslContext != nil)))
                        case .failure(let error):
                            incoming.put(.failure(TransportError.tls(error) ?? .io("incoming connection failed: \(error)")))
                        }
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw .bindFailed(host: host, port: port, reason: "\(error)")
        }
        guard let boundPort = channel.localAddress?.port else {
            channel.close(promise: nil)
            throw .bindFailed(host: host, port: port, reason: "no local address after bind")
        }
        return RawListener(serverChannel: channel, incoming: incoming, host: host, port: boundPort,
                           usesTLS: sslContext != nil)
    }

    /// The next accepted connection, ready to use (TLS handshake done).
    ///
    /// Throws `.tlsFailure` when an incoming TLS handshake failed (the listener keeps running, so
    /// calling again waits for the next client), `.acceptTimeout` at the deadline, `.closed` once
    /// the listener is closed, `.cancelled` if the task is cancelled. One task may wait at a time.
    public func accept(until deadline: ContinuousClock.Instant? = nil) async throws(TransportError) -> RawConnection {
        let limit = deadline.map { NIODeadline($0) } ?? .distantFuture
        guard let next = await self.incoming.take(until: limit, timerLoop: self.serverChannel.eventLoop) else {
            throw Task.isCancelled ? .cancelled : .acceptTimeout
        }
        return try next.get()
    }

    /// Stops listening. Connections already handed out stay open; accepted ones nobody took are closed.
    public func close() async {
        _ = try? await self.serverChannel.close().get()
        self.incoming.finish(.failure(.closed))
        for case .success(let connection) in self.incoming.drain() {
            await connection.close()
        }
    }
}
