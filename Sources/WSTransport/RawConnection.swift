import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection in either role, with byte-exact writes and a record of all traffic.
///
/// It knows nothing about WebSocket: it moves bytes, tells when and how the stream ended, and
/// remembers what went through. One task should read at a time; writes may come from any task.
/// Dropping the last reference closes the socket.
public final class RawConnection: Sendable {
    let channel: any Channel
    let state: ConnectionState
    /// True when the bytes travel inside TLS (records and reads are then plaintext).
    public let usesTLS: Bool
    public let localAddress: SocketAddress?
    public let remoteAddress: SocketAddress?
    /// The HTTP/2 connection this stream belongs to, kept alive with it; nil over TCP and for a
    /// stream a client opened on our listener.
    let h2: H2Connection?
    /// The header blocks of a stream a client opened on our HTTP/2 listener; nil otherwise.
    let acceptedHeads: H2StreamHeads?
    /// True for a WebSocket carried by an HTTP/2 stream (RFC 8441) rather than by TCP, in either role.
    public var isHTTP2Stream: Bool { self.h2 != nil || self.acceptedHeads != nil }

    init(channel: any Channel, state: ConnectionState, usesTLS: Bool, h2: H2Connection? = nil, acceptedHeads: H2StreamHeads? = nil) {
        self.channel = channel
        self.state = state
        self.usesTLS = usesTLS
        self.h2 = h2
        self.acceptedHeads = acceptedHeads
        self.localAddress = channel.localAddress
        self.remoteAddress = channel.remoteAddress
    }

    deinit {
        // isActive is safe from any thread; checking it avoids touching a loop that may be gone.
        if self.channel.isActive { self.channel.close(promise: nil) }
    }

    /// Opens a connection to `host:port`; with `tls`, returns once the TLS handshake is done.
    /// - Parameter connectTimeout: bounds the TCP connect and the TLS handshake together.
    public static func connect(
        host: String,
        port: Int,
        tls: TLSClientConfiguration? = nil,
        connectTimeout: Duration = .seconds(10),
        options: ConnectionOptions = ConnectionOptions(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(TransportError) -> RawConnection {
        let sslContext = try tls?.makeContext()
        let serverHostname = tls?.serverHostname(connectingTo: host)
        let deadline = NIODeadline.now() + TimeAmount(connectTimeout)
        // Happy eyeballs may try several addresses, each on its own channel; keep what each
        // channel's pipeline holds so the winner's can be picked without a racy pipeline lookup.
        let installed = NIOLockedValueBox<[ObjectIdentifier: (ConnectionState, EventLoopFuture<Void>)]>([:])
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(connectTimeout))
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tlsHandler: NIOSSLClientHandler?
                    do {
                        tlsHandler = try sslContext.map { try NIOSSLClientHandler(context: $0, serverHostname: serverHostname) }
                    } catch {
                        throw TransportError.tlsFailure("cannot start TLS for \(serverHostname ?? host): \(error)")
                    }
                    let pipeline = try ConnectionPipeline.install(on: channel, tls: tlsHandler, options: options)
                    installed.withLockedValue { $0[ObjectIdentifier(channel)] = pipeline }
                }
            }

        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            throw .connecting(error, host: host, port: port)
        }

        // Wait for readiness (immediate for TCP; the handshake for TLS) within what is left of the timeout.
        guard let (state, ready) = installed.withLockedValue({ $0[ObjectIdentifier(channel)] }) else {
            channel.close(promise: nil)
            throw .io("connected channel has no pipeline installed")
        }
        // Readiness and the timer both run on the channel's event loop, so the timer sees a connection
        // that became ready in time and leaves it alone, however late the awaiting task resumes.
        let outcome = NIOLockedValueBox((ready: false, timedOut: false))
        ready.whenComplete { _ in outcome.withLockedValue { $0.ready = true } }
        let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
            let fire = outcome.withLockedValue { o -> Bool in
                if o.ready { return false }
                o.timedOut = true
                return true
            }
            if fire { channel.close(promise: nil) }
        }
        defer { timer.cancel() }
        do {
            try await withTaskCancellationHandler {
                try await ready.get()
            } onCancel: {
                channel.close(promise: nil)
            }
            return RawConnection(channel: channel, state: state, usesTLS: sslContext != nil)
        } catch {
            channel.close(promise: nil)
            if outcome.withLockedValue({ $0.timedOut }) { throw .connectTimeout(host: host, port: port) }
            if Task.isCancelled { throw .cancelled }
            throw .connecting(error, host: host, port: port)
        }
    }

    /// Writes exactly these bytes and returns once the kernel has them.
    ///
    /// - Parameters:
    ///   - chop: cut the bytes into pieces of this many bytes; each piece is its own write and
    ///     flush (its own TLS record with TLS), so it leaves in its own TCP segment unless the
    ///     socket is backed up. Without it, the whole buffer is one write.
    ///   - delay: pause between pieces; the next piece is written only after the previous one
    ///     reached the kernel. With `.zero`, the pieces go back to back, `piecesPerTurn` per
    ///     event-loop turn (each still its own flush), so thousands of pieces do not hold the loop.
    public func write(_ bytes: ByteBuffer, chop: Int? = nil, delay: Duration = .zero) async throws(TransportError) {
        precondition(chop.map { $0 > 0 } ?? true, "chop must be positive")
        guard bytes.readableBytes > 0 else { return }
        let pieces = Self.pieces(of: bytes, size: chop ?? bytes.readableBytes)
        if delay <= .zero || pieces.count == 1 {
            let channel = self.channel
            var start = 0
            while start < pieces.count {
                let batch = pieces[start..<min(start + Self.piecesPerTurn, pieces.count)]
                let written = channel.eventLoop.flatSubmit {
                    // Only the last piece needs a promise: a failure fails every later write too.
                    for piece in batch.dropLast() { channel.writeAndFlush(piece, promise: nil) }
                    return channel.writeAndFlush(batch[batch.endIndex - 1])
                }
                do { try await written.get() } catch { throw .writing(error) }
                start = batch.endIndex
            }
            return
        }
        for (index, piece) in pieces.enumerated() {
            if index > 0 {
                do { try await Task.sleep(for: delay) } catch { throw .cancelled }
            }
            do { try await self.channel.writeAndFlush(piece).get() } catch { throw .writing(error) }
        }
    }

    /// Pieces of a chopped write handed to the event loop at once (see `write`).
    static let piecesPerTurn = 64

    /// Slices (sharing storage, no copy) of `size` bytes; the last may be shorter.
    static func pieces(of bytes: ByteBuffer, size: Int) -> [ByteBuffer] {
        var rest = bytes
        var pieces: [ByteBuffer] = []
        pieces.reserveCapacity((bytes.readableBytes + size - 1) / size)
        while let piece = rest.readSlice(length: min(size, rest.readableBytes)), piece.readableBytes > 0 {
            pieces.append(piece)
        }
        return pieces
    }

    /// The next chunk of bytes read (as the socket, or TLS, delivered it), the end of the stream,
    /// or `.timeout` if nothing came before `deadline`.
    public func read(until deadline: ContinuousClock.Instant) async -> ReadResult {
        await self.state.inbound.take(until: NIODeadline(deadline), timerLoop: self.channel.eventLoop) ?? .timeout
    }

    /// `read(until: .now + timeout)`.
    public func read(timeout: Duration) async -> ReadResult {
        await self.read(until: .now + timeout)
    }

    /// The event loop that runs this connection's I/O. An actor that owns the connection can run on
    /// it (`eventLoop.executor`), so that a read, the work it causes and the writes that follow
    /// happen on one thread, with no hop between threads (the round-trip cases' hot path).
    public var eventLoop: any EventLoop { self.channel.eventLoop }

    /// Push delivery: from now on every read, then the end of the stream, is handed to `consumer`
    /// on the event loop as soon as it arrives, instead of waiting for `read(until:)` (which must
    /// not be used afterwards). Reads already queued are handed over first, in order. Socket reads
    /// go on after each delivery, so the consumer paces the peer by handling what it gets at once.
    /// Must be called on the event loop.
    public func deliverReads(to consumer: @escaping @Sendable (ReadResult) -> Void) {
        self.channel.eventLoop.preconditionInEventLoop()
        self.state.startPushing(to: consumer)
        self.channel.read()
    }

    /// Writes without waiting, on the event loop (where `deliverReads` consumers run): each call
    /// is one write; `flush` sends everything written so far in one go. `promise` succeeds once the
    /// kernel has the bytes.
    public func writeNow(_ bytes: ByteBuffer, flush: Bool, promise: EventLoopPromise<Void>? = nil) {
        self.channel.eventLoop.preconditionInEventLoop()
        self.channel.write(bytes, promise: promise)
        if flush { self.channel.flush() }
    }

    /// Flushes what `writeNow` wrote without flushing. Must be called on the event loop.
    public func flushNow() {
        self.channel.eventLoop.preconditionInEventLoop()
        self.channel.flush()
    }

    /// Returns once every write issued before it has reached the kernel (or failed).
    public func writesDone() async {
        // Writes complete in order: an empty one completes after all earlier ones.
        _ = try? await self.channel.writeAndFlush(ByteBuffer()).get()
    }

    /// `close()` for code on the event loop: after every write issued so far has reached the
    /// kernel. The future succeeds once the socket is closed.
    public func closeWhenWritten() -> EventLoopFuture<Void> {
        let channel = self.channel
        let usesTLS = self.usesTLS
        self.state.observe(.localClosed)
        let done = channel.eventLoop.makePromise(of: Void.self)
        channel.writeAndFlush(ByteBuffer()).whenComplete { _ in
            let shut = usesTLS ? channel.close(mode: .output) : channel.eventLoop.makeSucceededVoidFuture()
            shut.whenComplete { _ in
                channel.closeSocket(reset: false).whenComplete { _ in done.succeed() }
            }
        }
        return done.futureResult
    }

    /// Half-close: sends our FIN (after a close_notify with TLS) and keeps reading.
    public func shutdownOutput() async {
        self.state.observe(.localClosed)
        _ = try? await self.channel.close(mode: .output).get()
    }

    /// A stream a client opened on our HTTP/2 listener: its request's header fields as received
    /// (the server read them as the HTTP/1.1 request they stand for); nil otherwise.
    public var http2RequestFields: [(String, String)]? { self.acceptedHeads?.request }
    /// The header fields our answer went out as on that stream (a 101 as a 200), once sent.
    public var http2AnswerFields: [(String, String)]? { self.acceptedHeads?.answer }

    /// A stream a client opened on our HTTP/2 listener: answers its request with exactly these
    /// header fields in one HEADERS frame (forbidden ones included: a client-role case's answer),
    /// with END_STREAM when `endStream`; what is written afterwards goes out as DATA.
    public func writeHTTP2Answer(_ fields: [(name: String, value: String)], endStream: Bool) async throws(TransportError) {
        guard self.acceptedHeads != nil else { throw .io("not a stream opened on an HTTP/2 listener") }
        do {
            try await self.channel.triggerUserOutboundEvent(H2ServerStreamHandler.VerbatimAnswer(fields: fields, endStream: endStream)).get()
        } catch {
            throw .io("cannot send the HTTP/2 answer: \(error)")
        }
    }

    /// HTTP/2 only: ends our side of the stream (END_STREAM after what was written), the orderly
    /// end RFC 8441 §5 gives a WebSocket once its closing handshake is done. Unlike a TCP close it
    /// leaves the stream open for the peer to end its side, and is not noted as our closing first.
    public func endStream() {
        guard self.isHTTP2Stream else { return }
        self.channel.close(mode: .output, promise: nil)
    }

    /// Orderly close: pending writes, then (with TLS) close_notify, then FIN. Does not wait for the
    /// peer's close_notify. Reads afterwards return `.end`.
    public func close() async {
        self.state.observe(.localClosed)
        if self.usesTLS {
            _ = try? await self.channel.close(mode: .output).get()
        }
        _ = try? await self.channel.closeSocket(reset: false).get()
    }

    /// Resets the connection: SO_LINGER {1, 0} and close, so the peer gets an RST and unsent data
    /// is dropped. With TLS, no close_notify is sent.
    public func abort() async {
        self.state.observe(.localAborted)
        _ = try? await self.channel.closeSocket(reset: true).get()
    }

    /// Every read and write so far, in order, within the recording limits.
    public var records: [WireRecord] { self.state.records }
    /// Counters over all reads and writes.
    public var stats: WireStats { self.state.stats }
    /// The first end observed: who closed TCP first, or nil while it is open both ways.
    public var end: ConnectionEnd? { self.state.end }
    /// Bytes read from the socket but not yet returned by `read`.
    public var bufferedByteCount: Int { self.state.inbound.queuedWeight }
}
