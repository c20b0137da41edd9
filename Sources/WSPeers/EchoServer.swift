import NIOCore
import WSEngine
import WSTransport

/// The bundled echo server: a strict RFC 6455/7692 endpoint built on the engine. It echoes every text
/// and binary message with the same type, answers pings, completes closing handshakes and fails the
/// connection on every violation the engine detects. It is the default peer of the conformance runs.
public final class EchoServer: Sendable {
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var tls: TLSServerConfiguration?
        /// Accept permessage-deflate offers.
        public var deflate: Bool
        public var maximumMessageSize: Int
        /// Sent as the `Server` header, so Autobahn names the agent after it.
        public var serverName: String
        /// zlib level of the echoes. 1 by default: a reference peer should not make compression
        /// cases slow, and any level is valid permessage-deflate.
        public var compressionLevel: Int
        /// Serve WebSockets over HTTP/2 (RFC 8441) instead of HTTP/1.1: h2c with prior knowledge,
        /// or ALPN h2 with TLS.
        public var http2: Bool

        public init(host: String = "127.0.0.1", port: Int = 9001, tls: TLSServerConfiguration? = nil,
                    deflate: Bool = false, maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
                    serverName: String = "wsconform-echo-server", compressionLevel: Int = 1, http2: Bool = false) {
            self.host = host
            self.port = port
            self.tls = tls
            self.deflate = deflate
            self.maximumMessageSize = maximumMessageSize
            self.serverName = serverName
            self.compressionLevel = compressionLevel
            self.http2 = http2
        }
    }

    public let options: Options
    public let listener: RawListener
    public var port: Int { listener.port }

    private init(options: Options, listener: RawListener) {
        self.options = options
        self.listener = listener
    }

    /// Binds the listening socket (127.0.0.1 unless another host is given).
    public static func bind(_ options: Options) async throws(TransportError) -> EchoServer {
        let listener = try await RawListener.bind(host: options.host, port: options.port, tls: options.tls, http2: options.http2)
        return EchoServer(options: options, listener: listener)
    }

    /// Accepts connections until the listener is closed, each served by its own task.
    /// `log` receives one line per connection problem (never the hot path).
    public func run(log: @escaping @Sendable (String) -> Void = { _ in }) async {
        await withDiscardingTaskGroup { group in
            while true {
                let raw: RawConnection
                do throws(TransportError) {
                    raw = try await listener.accept()
                } catch {
                    // Only the end of the listener ends the server; one client's failed TLS
                    // handshake (or any other per-connection error) must not stop it.
                    if error == .closed || error == .cancelled || Task.isCancelled { return }
                    if error != .acceptTimeout { log("incoming connection failed: \(error)") }
                    continue
                }
                group.addTask { await self.serve(raw, log: log) }
            }
        }
    }

    public func close() async { await listener.close() }

    var sessionOptions: WebSocketServerOptions {
        WebSocketServerOptions(deflate: options.deflate ? ServerDeflateConfig() : nil,
                               extraHeaders: [("Server", options.serverName)],
                               maximumMessageSize: options.maximumMessageSize,
                               compressionLevel: options.compressionLevel)
    }

    func serve(_ raw: RawConnection, log: @Sendable (String) -> Void) async {
        let session: WebSocketSession
        do { session = try await WebSocketSession.accept(raw, options: sessionOptions) } catch {
            log("handshake from \(raw.remoteAddress.map { "\($0)" } ?? "?") failed: \(error)")
            await raw.close()
            return
        }
        await Echo.run(session, log: log)
    }
}

/// The echo loop shared by the bundled server and client.
enum Echo {
    /// Idle bound: a peer that says nothing for this long is dropped (it cannot hold a task forever).
    static let idleTimeout: Duration = .seconds(300)

    static func run(_ session: sending WebSocketSession, log: (String) -> Void) async {
        if case let .failed(why) = await PushedEcho.run(session, limit: .idle(idleTimeout)) {
            log("failed the connection: \(why)")
        }
    }
}
