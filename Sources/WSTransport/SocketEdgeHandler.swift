import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// First handler in the pipeline, next to the socket and below TLS. It sees TCP as it is: a FIN
/// (input closed) and a reset (ECONNRESET/EPIPE on read or write) before TLS can reinterpret them,
/// and its context lets `close()`/`abort()` reach the socket without waiting on a TLS shutdown.
final class SocketEdgeHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let state: ConnectionState

    init(state: ConnectionState) {
        self.state = state
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent {
            self.state.observe(.peerClosed)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if ConnectionEnd.isReset(error) {
            self.state.observe(.peerReset)
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A reset found while writing fails the write and closes the channel without any
        // errorCaught, so the write's own result is the only place to see it. NIO fails pending
        // writes before it fires channelInactive, so this is observed first.
        let promise = promise ?? context.eventLoop.makePromise()
        promise.futureResult.whenFailure { [state] error in
            if ConnectionEnd.isReset(error) { state.observe(.peerReset) }
        }
        context.write(data, promise: promise)
    }
}

extension Channel {
    /// Closes the socket beneath any TLS handler: TLS would otherwise wait for the peer's
    /// close_notify. With `reset`, SO_LINGER {1, 0} first, so the close sends an RST.
    func closeSocket(reset: Bool) -> EventLoopFuture<Void> {
        self.eventLoop.flatSubmit { [self] in
            // An HTTP/2 stream: closing its channel resets the stream (RST_STREAM) unless it ended
            // cleanly; a plain close sends END_STREAM first.
            if let stream = try? self.pipeline.syncOperations.handler(type: H2StreamEdgeHandler.self) {
                if reset { stream.skipEndStream() }
                return self.close()
            }
            if let stream = try? self.pipeline.syncOperations.handler(type: H2ServerStreamHandler.self) {
                if reset { stream.skipEndStream() }
                return self.close()
            }
            guard let edge = try? self.pipeline.syncOperations.context(handlerType: SocketEdgeHandler.self) else {
                return self.close()  // handlers already removed: the channel is closing anyway
            }
            if reset, let socket = self as? any SocketOptionProvider {
                // On the event loop this applies synchronously, before the close below.
                _ = socket.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            }
            let promise = self.eventLoop.makePromise(of: Void.self)
            edge.close(promise: promise)
            return promise.futureResult
        }
    }
}
