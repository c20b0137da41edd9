import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS

/// One HTTP/2 connection to a server, on which WebSockets open as streams with extended CONNECT
/// (RFC 8441): cleartext with prior knowledge (h2c) for `ws://`, TLS with ALPN `h2` for `wss://`.
/// Each WebSocket is a `RawConnection` over its stream, so the runner above moves octets over it as
/// over TCP. Header validation is off: the harness sends and reports header fields as they are.
public final class H2Connection: Sendable {
    let channel: any Channel
    let multiplexer: NIOHTTP2Handler.StreamMultiplexer
    private let peer: H2PeerState
    let tap: H2WireTap
    public let usesTLS: Bool

    private init(channel: any Channel, multiplexer: NIOHTTP2Handler.StreamMultiplexer, peer: H2PeerState, tap: H2WireTap, usesTLS: Bool) {
        self.channel = channel
        self.multiplexer = multiplexer
        self.peer = peer
        self.tap = tap
        self.usesTLS = usesTLS
    }

    deinit {
        if self.channel.isActive { self.channel.close(promise: nil) }
    }

    /// Connects and sends the connection preface; with TLS, returns once ALPN chose `h2`.
    /// `settings` are added to the harness's own SETTINGS (values NIO accepts: it checks its own).
    public static func connect(host: String, port: Int, tls: TLSClientConfiguration? = nil,
                               connectTimeout: Duration = .seconds(10), settings: [(id: UInt16, value: UInt32)] = [],
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws(TransportError) -> H2Connection {
        let sslContext = try tls?.makeContext(alpn: ["h2"])
        let serverHostname = tls?.serverHostname(connectingTo: host)
        let peer = H2PeerState()
        let tap = H2WireTap()
        let installed = NIOLockedValueBox<[ObjectIdentifier: (NIOHTTP2Handler.StreamMultiplexer, EventLoopFuture<Void>)]>([:])
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let ready = channel.eventLoop.makePromise(of: Void.self)
                    let sync = channel.pipeline.syncOperations
                    if let sslContext {
                        try sync.addHandler(try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                        try sync.addHandler(ALPNCheck(ready: ready))
                    } else {
                        ready.succeed(())
                    }
                    try sync.addHandler(tap)
                    var connection = NIOHTTP2Handler.ConnectionConfiguration()
                    connection.headerBlockValidation = .disabled
                    connection.contentLengthValidation = .disabled
                    // Empty DATA frames are legal (RFC 9113 §6.1): a server under test that sends
                    // several must be judged, not cut off by NIO's DoS heuristic (GOAWAY after 2).
                    connection.maximumSequentialEmptyDataFrames = .max
                    connection.initialSettings = [HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
                                                  HTTP2Setting(parameter: .maxHeaderListSize, value: 1 << 16)]
                    for extra in settings {
                        connection.initialSettings.removeAll { $0.parameter == HTTP2SettingsParameter(extensionSetting: Int(extra.id)) }
                        connection.initialSettings.append(HTTP2Setting(parameter: HTTP2SettingsParameter(extensionSetting: Int(extra.id)), value: Int(extra.value)))
                    }
                    let multiplexer = try sync.configureHTTP2Pipeline(
                        mode: .client, connectionConfiguration: connection,
                        streamConfiguration: NIOHTTP2Handler.StreamConfiguration(),
                        inboundStreamInitializer: { $0.close() })  // a server push is refused
                    try sync.addHandler(H2RootHandler(peer: peer))
                    installed.withLockedValue { $0[ObjectIdentifier(channel)] = (multiplexer, ready.futureResult) }
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw .connecting(error, host: host, port: port)
        }
        guard let (multiplexer, ready) = installed.withLockedValue({ $0[ObjectIdentifier(channel)] }) else {
            channel.close(promise: nil)
            throw .io("connected channel has no HTTP/2 pipeline installed")
        }
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(connectTimeout)) { channel.close(promise: nil) }
        defer { timer.cancel() }
        do {
            try await ready.get()
        } catch {
            channel.close(promise: nil)
            if case let .some(.tlsFailure(why)) = error as? TransportError { throw .tlsFailure(why) }
            throw .connecting(error, host: host, port: port)
        }
        return H2Connection(channel: channel, multiplexer: multiplexer, peer: peer, tap: tap, usesTLS: sslContext != nil)
    }

    /// The server's SETTINGS_ENABLE_CONNECT_PROTOCOL once its first SETTINGS frame arrived (false
    /// when that frame did not carry it); nil when none arrived by `deadline` or the connection ended.
    public func peerEnablesConnectProtocol(by deadline: ContinuousClock.Instant) async -> Bool? {
        await self.peer.settings(by: deadline, on: self.channel.eventLoop)
    }

    /// Opens a stream with `request` as its HEADERS (pseudo-header fields first, sent as given) and
    /// waits for the answer's HEADERS until `deadline`. The stream is returned whatever the answer
    /// says: it is the caller's to judge (a 2xx opens the WebSocket) and to close.
    public func openStream(request: [(name: String, value: String)], deadline: ContinuousClock.Instant,
                           options: ConnectionOptions = ConnectionOptions()) async throws(TransportError) -> (H2Response, RawConnection) {
        let headers = HPACKHeaders(request.map { ($0.name, $0.value) })
        let promise = self.channel.eventLoop.makePromise(of: H2Response.self)
        let made = NIOLockedValueBox<ConnectionState?>(nil)
        let stream: any Channel
        do {
            stream = try await self.multiplexer.createStreamChannel { channel in
                channel.eventLoop.makeCompletedFuture { () throws -> Void in
                    let state = ConnectionState(options: options, channel: channel)
                    let handler = ConnectionHandler(state: state, usesTLS: false, ready: channel.eventLoop.makePromise())
                    try channel.pipeline.syncOperations.addHandler(H2StreamEdgeHandler(state: state, request: headers, response: promise))
                    try channel.pipeline.syncOperations.addHandler(handler)
                    made.withLockedValue { $0 = state }
                }
            }.get()
        } catch {
            promise.fail(error)
            throw .io("cannot open an HTTP/2 stream: \(error)")
        }
        guard let state = made.withLockedValue({ $0 }) else { throw .io("the HTTP/2 stream has no pipeline") }
        let raw = RawConnection(channel: stream, state: state, usesTLS: self.usesTLS, h2: self)
        let timer = stream.eventLoop.scheduleTask(deadline: NIODeadline(deadline)) {
            promise.fail(TransportError.io("no answer to the extended CONNECT in time"))
        }
        defer { timer.cancel() }
        do {
            return (try await promise.futureResult.get(), raw)
        } catch let error as TransportError {
            stream.close(promise: nil)
            throw error
        } catch {
            stream.close(promise: nil)
            throw .io("\(error)")
        }
    }

    /// Sends GOAWAY and closes the connection.
    public func close() async {
        try? await self.channel.close()
    }
}

/// What the server said on stream 0: its first SETTINGS, and whether it sent GOAWAY.
final class H2PeerState: Sendable {
    private struct State {
        var enableConnectProtocol: Bool?
        var settingsSeen = false
        var waiters: [EventLoopPromise<Bool?>] = []
    }
    private let state = NIOLockedValueBox(State())

    func received(settings: HTTP2Settings) {
        let waiters = self.state.withLockedValue { s -> [EventLoopPromise<Bool?>] in
            guard !s.settingsSeen else { return [] }
            s.settingsSeen = true
            s.enableConnectProtocol = settings.first { $0.parameter == .enableConnectProtocol }.map { $0.value == 1 } ?? false
            defer { s.waiters = [] }
            return s.waiters
        }
        let value = self.state.withLockedValue { $0.enableConnectProtocol }
        for w in waiters { w.succeed(value) }
    }

    func ended() {
        let waiters = self.state.withLockedValue { s -> [EventLoopPromise<Bool?>] in
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.succeed(nil) }
    }

    func settings(by deadline: ContinuousClock.Instant, on loop: any EventLoop) async -> Bool? {
        let promise = loop.makePromise(of: Bool?.self)
        let known = self.state.withLockedValue { s -> Bool?? in
            if s.settingsSeen { return .some(s.enableConnectProtocol) }
            s.waiters.append(promise)
            return .none
        }
        if let known {
            promise.succeed(known)
            return known
        }
        let timer = loop.scheduleTask(deadline: NIODeadline(deadline)) { promise.succeed(nil) }
        defer { timer.cancel() }
        return (try? await promise.futureResult.get()) ?? nil
    }
}

/// Sees the frames of stream 0 that the HTTP/2 handler passes on (SETTINGS among them).
final class H2RootHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame

    private let peer: H2PeerState

    init(peer: H2PeerState) {
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case let .settings(.settings(values)) = self.unwrapInboundIn(data).payload {
            self.peer.received(settings: values)
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.peer.ended()
        context.fireChannelInactive()
    }
}

/// Fails the connection unless TLS negotiated `h2` with ALPN.
final class ALPNCheck: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let ready: EventLoopPromise<Void>

    init(ready: EventLoopPromise<Void>) {
        self.ready = ready
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case let TLSUserEvent.handshakeCompleted(negotiatedProtocol) = event {
            if negotiatedProtocol == "h2" {
                self.ready.succeed(())
            } else {
                self.ready.fail(TransportError.tlsFailure("the server did not choose h2 with ALPN (it chose \(negotiatedProtocol ?? "nothing"))"))
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.ready.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.ready.fail(ChannelError.eof)
        context.fireChannelInactive()
    }
}
