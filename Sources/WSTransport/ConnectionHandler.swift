import NIOCore
import NIOSSL
import NIOTLS  // TLSUserEvent; a dependency of NIOSSL (not yet declared in Package.swift)

/// Last handler in the pipeline: it records plaintext reads and writes, feeds reads to the
/// connection's mailbox, issues socket reads on demand, and reports when the connection is ready
/// (TCP established, and the TLS handshake done when there is TLS).
///
/// Why a hand-written handler rather than `NIOAsyncChannel`: we need reads timestamped when they
/// arrive (not when consumed), a read that can time out without ending the stream, the exact
/// flush points of each write, and FIN, RST and TLS errors told apart, which is easier to see
/// here than through the async channel's stream.
/// Back-pressure: the channel runs with autoRead off; a new socket read is issued after each
/// read burst only while the mailbox holds less than `readAheadLimit` bytes, and the consumer
/// re-issues it when it drains the mailbox below that.
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: ConnectionState
    private let usesTLS: Bool
    private let ready: EventLoopPromise<Void>
    private var isReady = false
    private var isActivated = false

    /// Succeeds when the connection can carry application bytes; fails if it never will.
    var readyFuture: EventLoopFuture<Void> { self.ready.futureResult }

    init(state: ConnectionState, usesTLS: Bool, ready: EventLoopPromise<Void>) {
        self.state = state
        self.usesTLS = usesTLS
        self.ready = ready
    }

    private func becomeReady() {
        guard !self.isReady else { return }
        self.isReady = true
        self.ready.succeed(())
    }

    private func failReady(_ error: any Error) {
        guard !self.isReady else { return }
        self.isReady = true
        self.ready.fail(error)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.activate(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.failReady(ChannelError.ioOnClosedChannel)
    }

    func channelActive(context: ChannelHandlerContext) {
        self.activate(context: context)
        context.fireChannelActive()
    }

    private func activate(context: ChannelHandlerContext) {
        guard !self.isActivated else { return }
        self.isActivated = true
        self.state.markEstablished()
        context.read()  // with TLS this also drives the handshake (autoRead is off)
        if !self.usesTLS { self.becomeReady() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.state.received(self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Pushed reads were handled before this returns: nothing is queued, so read on.
        if self.state.isPushing || self.state.inbound.hasRoom() { context.read() }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case TLSUserEvent.handshakeCompleted:
            self.becomeReady()
        case ChannelEvent.inputClosed:
            // A FIN, or with TLS a close_notify; the socket edge already noted a bare FIN.
            self.state.finishInbound(.peerClosed)
        default:
            break
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A FIN without close_notify: TLS reports it as an error, but for us it is the peer closing
        // TCP, which arrives next as inputClosed or channelInactive.
        if case .uncleanShutdown = error as? NIOSSLError { return }
        self.failReady(error)
        self.state.finishInbound(ConnectionEnd.from(error))
        _ = context.channel.closeSocket(reset: false)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failReady(ChannelError.eof)
        // Nothing observed before the socket went away: the peer's FIN closed a connection whose
        // output we had already shut, which NIO reports only as inactive.
        self.state.finishInbound(.peerClosed)
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = self.unwrapOutboundIn(data)
        // An empty write is only a barrier (`RawConnection.writesDone`), not traffic.
        if buffer.readableBytes > 0 { self.state.wrote(buffer) }
        context.write(data, promise: promise)
    }
}

/// Builds the pipeline of one connection: socket edge, optional TLS, connection handler.
enum ConnectionPipeline {
    /// Must run on the channel's event loop (a channel initializer).
    static func install(on channel: any Channel, tls: NIOSSLHandler?,
                        options: ConnectionOptions) throws -> (ConnectionState, EventLoopFuture<Void>) {
        let state = ConnectionState(options: options, channel: channel)
        let handler = ConnectionHandler(state: state, usesTLS: tls != nil, ready: channel.eventLoop.makePromise())
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(SocketEdgeHandler(state: state))
        if let tls { try pipeline.addHandler(tls) }
        try pipeline.addHandler(handler)
        return (state, handler.readyFuture)
    }
}
