import NIOCore
import WSEngine

/// One WebSocket over a `RawConnection`: the opening handshake in either role, then the sans-I/O
/// `Connection` driven by socket reads. Used from one task at a time (it is not Sendable).
public final class WebSocketSession {
    public let raw: RawConnection
    public private(set) var connection: Connection
    /// The opening handshake as it went over the wire.
    public let request: HTTPHead
    public let response: HTTPHead
    public let subprotocol: String?
    public let deflate: NegotiatedDeflate?

    /// What `next(until:)` found.
    public enum Next: Sendable, Hashable {
        case event(ConnectionEvent)
        /// TCP ended (no more events will come).
        case ended(ConnectionEnd)
        case timeout
    }

    init(raw: RawConnection, connection: Connection, request: HTTPHead, response: HTTPHead,
         subprotocol: String?, deflate: NegotiatedDeflate?, leftover: ByteBuffer) {
        self.raw = raw
        self.connection = connection
        self.request = request
        self.response = response
        self.subprotocol = subprotocol
        self.deflate = deflate
        if leftover.readableBytes > 0 { self.connection.receive(leftover) }
    }

    // MARK: Opening

    /// Connects to `url` and performs the client's opening handshake.
    public static func connect(to url: WebSocketURL, options: WebSocketClientOptions = .init()) async throws(WebSocketOpenError) -> WebSocketSession {
        var tls = options.tls
        if url.secure, tls == nil { tls = TLSClientConfiguration() }
        if !url.secure { tls = nil }
        if options.http2 { return try await connectOverHTTP2(to: url, tls: tls, options: options) }
        let raw: RawConnection
        do {
            raw = try await RawConnection.connect(host: url.host, port: url.port, tls: tls, connectTimeout: options.connectTimeout)
        } catch { throw .transport(error) }
        do {
            return try await clientHandshake(raw: raw, url: url, options: options)
        } catch {
            await raw.abort()
            throw error
        }
    }

    private static func clientHandshake(raw: RawConnection, url: WebSocketURL,
                                        options: WebSocketClientOptions) async throws(WebSocketOpenError) -> WebSocketSession {
        let offer = options.deflate.map { ExtensionHeader.serialize([PerMessageDeflate.clientOffer($0)]) }
        let standardPort = url.port == (url.secure ? 443 : 80)
        let request = ClientHandshakeRequest(host: url.host, port: standardPort ? nil : url.port, path: url.target,
                                             subprotocols: options.subprotocols, extensions: offer,
                                             origin: options.origin, extraHeaders: options.extraHeaders)
        let deadline = ContinuousClock.now + options.handshakeTimeout
        do { try await raw.write(request.encode()) } catch { throw .transport(error) }
        var (head, leftover) = try await readHead(raw, kind: .response, deadline: deadline, timeout: options.handshakeTimeout)
        let accepted: AcceptedResponse
        do {
            accepted = try ClientHandshake.validate(response: head, for: request)
        } catch { throw .handshake(error) }
        let (config, negotiated) = try clientConfiguration(acceptedExtensions: accepted.extensions, options: options)
        head = accepted.head
        let session = WebSocketSession(raw: raw, connection: Connection(configuration: config), request: request.head,
                                       response: head, subprotocol: accepted.subprotocol, deflate: negotiated,
                                       leftover: leftover)
        leftover = ByteBuffer()
        return session
    }

    /// The client's connection configuration once the server answered: the permessage-deflate it
    /// accepted (checked against what was offered), over HTTP/1.1 and HTTP/2 alike.
    static func clientConfiguration(acceptedExtensions: String?, options: WebSocketClientOptions)
        throws(WebSocketOpenError) -> (ConnectionConfiguration, NegotiatedDeflate?) {
        var negotiated: NegotiatedDeflate?
        if let config = options.deflate, let value = acceptedExtensions {
            let offers: [ExtensionOffer]
            do { offers = try ExtensionHeader.parse([value]) } catch { throw .extensionHeader(error) }
            if let pmd = offers.first(where: { $0.name == PerMessageDeflateParameters.extensionName }) {
                do { negotiated = try PerMessageDeflate.acceptResponse(pmd, offered: config) } catch { throw .deflate(error) }
            }
        }
        let config = ConnectionConfiguration(role: .client, autoReplyPing: options.autoReplyPing,
                                             maximumMessageSize: options.maximumMessageSize,
                                             maximumFrameSize: options.maximumMessageSize, deflate: negotiated,
                                             compressionLevel: options.compressionLevel)
        return (config, negotiated)
    }

    /// Performs the server's opening handshake on an accepted connection. An invalid request is
    /// answered with the RFC's rejection (400/426/…) before the error is thrown.
    public static func accept(_ raw: RawConnection, options: WebSocketServerOptions = .init()) async throws(WebSocketOpenError) -> WebSocketSession {
        let deadline = ContinuousClock.now + options.handshakeTimeout
        let (head, leftover) = try await readHead(raw, kind: .request, deadline: deadline, timeout: options.handshakeTimeout)
        return try await accept(raw, request: head, leftover: leftover, options: options)
    }

    /// Performs the server's opening handshake for a request head already read from `raw` (a
    /// dispatcher that routes by path reads it first); `leftover` holds the octets that followed it.
    public static func accept(_ raw: RawConnection, request head: HTTPHead, leftover: ByteBuffer,
                              options: WebSocketServerOptions = .init()) async throws(WebSocketOpenError) -> WebSocketSession {
        let accepted: AcceptedRequest
        switch ServerHandshake.validate(request: head) {
        case let .success(a): accepted = a
        case let .failure(error):
            try? await raw.write(ServerHandshake.rejection(for: error))
            await raw.close()
            throw .handshake(error)
        }
        var extensions: String?
        var negotiated: NegotiatedDeflate?
        if let config = options.deflate, !accepted.extensionOffers.isEmpty,
           let offers = try? ExtensionHeader.parse(accepted.extensionOffers),
           let agreement = PerMessageDeflate.negotiate(offers: offers, config: config) {
            extensions = ExtensionHeader.serialize([agreement.response])
            negotiated = agreement.negotiated
        }
        let subprotocol = options.subprotocols.first { accepted.subprotocols.contains($0) }
        let response = ServerHandshake.response(for: accepted, subprotocol: subprotocol, extensions: extensions,
                                                extraHeaders: options.extraHeaders)
        do { try await raw.write(response) } catch { throw .transport(error) }
        var parser = HTTPHeadParser(kind: .response)
        var copy = response
        let responseHead = (try? parser.feed(&copy)) ?? nil
        let config = ConnectionConfiguration(role: .server, autoReplyPing: options.autoReplyPing,
                                             maximumMessageSize: options.maximumMessageSize,
                                             maximumFrameSize: options.maximumMessageSize, deflate: negotiated,
                                             compressionLevel: options.compressionLevel)
        return WebSocketSession(raw: raw, connection: Connection(configuration: config), request: head,
                                response: responseHead ?? HTTPHead(startLine: .response(version: .http1_1, status: 101, reason: "Switching Protocols")),
                                subprotocol: subprotocol, deflate: negotiated, leftover: leftover)
    }

    /// Reads one HTTP head; returns it with the bytes that followed it in the same reads.
    static func readHead(_ raw: RawConnection, kind: HTTPHeadParser.Kind, deadline: ContinuousClock.Instant,
                         timeout: Duration) async throws(WebSocketOpenError) -> (HTTPHead, ByteBuffer) {
        var parser = HTTPHeadParser(kind: kind)
        while true {
            switch await raw.read(until: deadline) {
            case var .bytes(chunk):
                let head: HTTPHead?
                do { head = try parser.feed(&chunk) } catch {
                    if kind == .request { try? await raw.write(ServerHandshake.rejection(for: error)); await raw.close() }
                    throw .handshake(error)
                }
                if let head { return (head, chunk) }
            case let .end(end): throw .closedDuringHandshake(end)
            case .timeout: throw .handshakeTimeout(timeout)
            }
        }
    }

    // MARK: Driving the connection

    /// Writes whatever the connection has queued.
    public func flush() async throws(TransportError) {
        while let out = connection.takeOutput() {
            try await raw.write(out)
        }
    }

    /// Flushes queued output, then returns the next event, reading from the socket as needed.
    public func next(until deadline: ContinuousClock.Instant) async -> Next {
        while true {
            if let event = connection.nextEvent() { return .event(event) }
            do { try await flush() } catch { return .ended(raw.end ?? .error("\(error)")) }
            switch await raw.read(until: deadline) {
            case let .bytes(chunk): connection.receive(chunk)
            case let .end(end): return .ended(end)
            case .timeout: return .timeout
            }
        }
    }

    /// Mutates the connection (send messages, pings, frames); call `flush()` afterwards.
    public func withConnection<T>(_ body: (inout Connection) throws -> T) rethrows -> T {
        try body(&connection)
    }

    public func send(_ kind: MessageKind, _ payload: ByteBuffer) async throws(TransportError) {
        connection.send(kind, payload)
        try await flush()
    }

    /// Ends TCP the way RFC 6455 §7.1.1 asks once the WebSocket is closed or failed: the server
    /// closes at once; the client waits (at most `timeout`) for the server to close first.
    public func finish(timeout: Duration = .seconds(1)) async {
        try? await flush()
        if connection.configuration.role == .client {
            let deadline = ContinuousClock.now + timeout
            loop: while true {
                switch await raw.read(until: deadline) {
                case .bytes: continue
                case .end, .timeout: break loop
                }
            }
        }
        await raw.close()
    }

    /// Runs the whole closing handshake from our side: sends Close, waits (bounded) for the peer's
    /// Close, then ends TCP as `finish` does. Events that arrive meanwhile are dropped.
    public func close(code: CloseCode? = .normalClosure, reason: String = "", timeout: Duration = .seconds(1)) async {
        connection.close(code: code, reason: reason)
        let deadline = ContinuousClock.now + timeout
        wait: while connection.state == .closeSent {
            switch await next(until: deadline) {
            case .event: continue
            case .ended, .timeout: break wait
            }
        }
        await finish(timeout: timeout)
    }
}
