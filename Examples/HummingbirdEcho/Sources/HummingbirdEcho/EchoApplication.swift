import Hummingbird
import HummingbirdWebSocket
import HummingbirdWSCompression
import Logging

/// A Hummingbird application whose route `/` upgrades to WebSocket and sends every message back as
/// it came (what Autobahn-style suites expect of a server), with permessage-deflate on.
public enum EchoApplication {
    /// The largest message accepted (section 9 sends up to 16 MiB); larger ones are refused.
    public static let maximumMessageSize = 16 << 20

    /// The application, listening on `127.0.0.1:port` (0: a free port, reported to `onServerRunning`).
    public static func make(port: Int = 0, logLevel: Logger.Level = .critical,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        webSocketRouter.ws("/") { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: maximumMessageSize) {
                switch message {
                case let .text(text): try await outbound.write(.text(text))
                case let .binary(buffer): try await outbound.write(.binary(buffer))
                }
            }
        }
        var logger = Logger(label: "HummingbirdEcho")
        logger.logLevel = logLevel
        // validateUTF8 is off by default in hummingbird-websocket; RFC 6455 §8.1 requires the check
        // (sections 6 and 7 fail 75 cases without it), so an echo server tested for conformance turns it on.
        let webSocket = WebSocketServerConfiguration(
            maxFrameSize: maximumMessageSize,
            extensions: [.perMessageDeflate(maxDecompressedFrameSize: maximumMessageSize)],
            validateUTF8: true
        )
        return Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter, configuration: .init(ws: webSocket)),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "Hummingbird"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
