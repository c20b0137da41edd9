import NIOCore
import Testing
import WSEngine
import WSTransport

/// `WebSocketSession` in both roles over real sockets: opening failures, closing initiated by the
/// server, and resets in the middle of a frame.
@Suite(.timeLimit(.minutes(1))) struct WebSocketSessionTests {
    /// A listener and the server session of the one client that connects to it.
    static func accepted(_ listener: RawListener, options: WebSocketServerOptions = .init()) async throws -> WebSocketSession {
        let raw = try await listener.accept(until: .now + .seconds(30))
        return try await WebSocketSession.accept(raw, options: options)
    }

    static func url(_ listener: RawListener, _ target: String = "/") -> WebSocketURL {
        WebSocketURL(secure: false, host: "127.0.0.1", port: listener.port, target: target)
    }

    @Test func refusedConnectionIsAClearTransportError() async throws {
        let listener = try await RawListener.bind()
        let port = listener.port
        await listener.close()
        do {
            _ = try await WebSocketSession.connect(to: WebSocketURL(secure: false, host: "127.0.0.1", port: port))
            Issue.record("connected to a closed port")
        } catch {
            guard case let .transport(transport) = error else { Issue.record("unexpected \(error)"); return }
            #expect(transport == .connectionRefused(host: "127.0.0.1", port: port))
            #expect(error.description.contains("refused"))
        }
    }

    @Test func silentServerHitsTheHandshakeDeadline() async throws {
        let listener = try await RawListener.bind()
        let timeout = Duration.milliseconds(300)
        async let silent = listener.accept(until: .now + .seconds(30))
        do {
            _ = try await WebSocketSession.connect(to: Self.url(listener), options: WebSocketClientOptions(handshakeTimeout: timeout))
            Issue.record("a server that never answers completed the handshake")
        } catch {
            guard case let .handshakeTimeout(limit) = error else { Issue.record("unexpected \(error)"); return }
            #expect(limit == timeout)
            #expect(error.description.contains("no complete opening handshake"))
        }
        // The server saw the request, and the client dropped the connection after giving up.
        let server = try await silent
        let (request, _) = await server.readAll()
        #expect(String(buffer: request).hasPrefix("GET / HTTP/1.1\r\n"))
        #expect(server.end == .peerReset || server.end == .peerClosed)
        await server.close()
        await listener.close()
    }

    @Test func silentClientHitsTheServersHandshakeDeadline() async throws {
        let listener = try await RawListener.bind()
        let client = try await RawConnection.connect(host: "127.0.0.1", port: listener.port)
        let raw = try await listener.accept(until: .now + .seconds(30))
        do {
            _ = try await WebSocketSession.accept(raw, options: WebSocketServerOptions(handshakeTimeout: .milliseconds(200)))
            Issue.record("accepted a client that sent nothing")
        } catch {
            guard case .handshakeTimeout = error else { Issue.record("unexpected \(error)"); return }
        }
        await raw.close()
        await client.close()
        await listener.close()
    }

    @Test func serverInitiatedCloseIsEchoedAndTheServerClosesTCP() async throws {
        let listener = try await RawListener.bind()
        async let serverSide: WebSocketSession = {
            let session = try await Self.accepted(listener)
            try await session.send(.text, ByteBuffer(string: "hello"))
            await session.close(code: .goingAway, reason: "bye")
            return session
        }()
        let client = try await WebSocketSession.connect(to: Self.url(listener, "/chat?room=1"))
        #expect(await client.nextEvent() == .event(.message(.text, ByteBuffer(string: "hello"))))
        #expect(await client.nextEvent() == .event(.closeReceived(.goingAway, reason: ByteBuffer(string: "bye"))))
        #expect(client.connection.state == .closed)
        await client.finish()
        #expect(client.raw.end == .peerClosed)
        let server = try await serverSide
        #expect(server.request.target == "/chat?room=1")
        #expect(server.connection.state == .closed)
        #expect(server.connection.receivedClose == ClosePayload(code: .goingAway))
        #expect(server.raw.end == .localClosed)
        await listener.close()
    }

    @Test func serverThatResetsMidFrameEndsTheClientsSessionWithPeerReset() async throws {
        let listener = try await RawListener.bind()
        async let serverSide: Void = {
            let session = try await Self.accepted(listener)
            var frame = ByteBuffer()
            FrameWriter.write(Frame(opcode: .binary, payload: pattern(1_000)), into: &frame)
            try await session.raw.write(frame.getSlice(at: frame.readerIndex, length: 300)!)
            await session.raw.abort()
        }()
        let client = try await WebSocketSession.connect(to: Self.url(listener))
        try await serverSide
        #expect(await client.nextEvent() == .ended(.peerReset))
        await client.raw.close()
        await listener.close()
    }

    @Test func clientThatResetsMidFrameEndsTheServersSessionWithPeerReset() async throws {
        let listener = try await RawListener.bind()
        async let serverSide = Self.accepted(listener)
        let client = try await WebSocketSession.connect(to: Self.url(listener))
        let server = try await serverSide
        var frame = ByteBuffer()
        FrameWriter.write(Frame(opcode: .text, maskingKey: MaskingKey(9, 8, 7, 6), payload: textPayload(1_000)), into: &frame)
        try await client.raw.write(frame.getSlice(at: frame.readerIndex, length: 10)!)
        await client.raw.abort()
        #expect(await server.nextEvent() == .ended(.peerReset))
        await server.raw.close()
        await listener.close()
    }

    @Test func framesInTheSameReadAsTheHandshakeAreKept() async throws {
        let listener = try await RawListener.bind()
        async let serverSide: Void = {
            let raw = try await listener.accept(until: .now + .seconds(30))
            // Read the request, then answer with the 101 and a first message in one write.
            var parser = HTTPHeadParser(kind: .request)
            var head: HTTPHead?
            while head == nil, case var .bytes(chunk) = await raw.read(timeout: .seconds(30)) { head = try parser.feed(&chunk) }
            let accepted = try ServerHandshake.validate(request: try #require(head)).get()
            var out = ServerHandshake.response(for: accepted)
            FrameWriter.write(Frame(opcode: .text, bytes: Array("early".utf8)), into: &out)
            try await raw.write(out)
            _ = await raw.readAll()
            await raw.close()
        }()
        let client = try await WebSocketSession.connect(to: Self.url(listener))
        #expect(await client.nextEvent() == .event(.message(.text, ByteBuffer(string: "early"))))
        await client.raw.close()
        try await serverSide
        await listener.close()
    }

    @Test func serverDeclinesDeflateWhenNotConfigured() async throws {
        let listener = try await RawListener.bind()
        async let serverSide = Self.accepted(listener)
        let client = try await WebSocketSession.connect(to: Self.url(listener), options: WebSocketClientOptions(deflate: .autobahn))
        let server = try await serverSide
        #expect(client.deflate == nil && server.deflate == nil)
        #expect(server.request.headers.firstValue("Sec-WebSocket-Extensions") != nil, "the client offered it")
        await client.raw.close()
        await server.raw.close()
        await listener.close()
    }
}
