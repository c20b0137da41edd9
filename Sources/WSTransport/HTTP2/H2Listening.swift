import NIOCore
import NIOHTTP2
import NIOSSL

/// The pipeline of one connection accepted by an HTTP/2 listener (`RawListener.bind(http2:)`):
/// optional TLS (ALPN h2), the HTTP/2 connection advertising SETTINGS_ENABLE_CONNECT_PROTOCOL
/// (RFC 8441 §3), and for every stream the client opens a `RawConnection` delivered to `accept()`,
/// its extended CONNECT presented as an HTTP/1.1 upgrade (`H2ServerStreamHandler`).
enum H2Listening {
    static func install(on channel: any Channel, tls: NIOSSLContext?, options: ConnectionOptions,
                        incoming: Mailbox<Result<RawConnection, TransportError>>) throws {
        // The connection reads on its own: its streams are paced by HTTP/2 flow control instead.
        try channel.syncOptions?.setOption(.autoRead, value: true)
        let sync = channel.pipeline.syncOperations
        if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        // Empty DATA frames are legal (RFC 9113 §6.1): a client under test that sends several is
        // not cut off by NIO's DoS heuristic (GOAWAY after 2).
        connection.maximumSequentialEmptyDataFrames = .max
        // Header blocks are checked by us, not by NIO: a client-role case answers with fields HTTP/2
        // forbids (RFC 9113 §8.2.2) to see that the client refuses them, and an extended CONNECT is
        // judged by `ExtendedConnect.validateRequest` (H2ServerStreamHandler) before anything sees it.
        connection.headerBlockValidation = .disabled
        // A 1 MiB stream window: with the default 64 KiB a client's large messages wait for a
        // WINDOW_UPDATE every 32 KiB (section 9's 16 MiB echoes took 2.5 times as long).
        connection.initialSettings = [HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
                                      HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16),
                                      HTTP2Setting(parameter: .enableConnectProtocol, value: 1),
                                      HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20)]
        let usesTLS = tls != nil
        _ = try sync.configureHTTP2Pipeline(
            mode: .server, connectionConfiguration: connection, streamConfiguration: NIOHTTP2Handler.StreamConfiguration(),
            inboundStreamInitializer: { stream in
                stream.eventLoop.makeCompletedFuture {
                    let state = ConnectionState(options: options, channel: stream)
                    let handler = ConnectionHandler(state: state, usesTLS: false, ready: stream.eventLoop.makePromise())
                    let heads = H2StreamHeads()
                    try stream.pipeline.syncOperations.addHandler(H2ServerStreamHandler(state: state, heads: heads))
                    try stream.pipeline.syncOperations.addHandler(handler)
                    handler.readyFuture.whenComplete { result in
                        switch result {
                        case .success: incoming.put(.success(RawConnection(channel: stream, state: state, usesTLS: usesTLS, acceptedHeads: heads)))
                        case let .failure(error): incoming.put(.failure(.io("incoming HTTP/2 stream failed: \(error)")))
                        }
                    }
                }
            })
        // A connection error (no HTTP/2 preface: an HTTP/1.1 client, say) ends the connection rather
        // than leaving the client waiting for an answer that will never come.
        try sync.addHandler(H2ConnectionErrorCloser())
    }
}

/// Closes an HTTP/2 connection on a connection error; errors of one stream (which swift-nio-http2
/// also reports here, as `StreamError`, after resetting that stream) leave its siblings alone.
final class H2ConnectionErrorCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !(error is NIOHTTP2Errors.StreamError) { context.close(promise: nil) }
        context.fireErrorCaught(error)
    }
}
