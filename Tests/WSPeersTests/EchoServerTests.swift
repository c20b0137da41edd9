import WSTestSupport
import NIOCore
import Testing
import WSEngine
import WSPeers
import WSTransport

/// The bundled echo server over real sockets on 127.0.0.1, with `WebSocketSession` as the client.
@Suite(.timeLimit(.minutes(1))) struct EchoServerTests {
    @Test func echoesTextAndBinaryUpTo16MiB() async throws {
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        #expect(session.deflate == nil)
        for size in [0, 1, 125, 126, 65_535, 65_536, 1 << 20] {
            let binary = pattern(size)
            #expect(try await session.roundTrip(.binary, binary) == .event(.message(.binary, binary)), "binary \(size)")
            let text = textPayload(size)
            #expect(try await session.roundTrip(.text, text) == .event(.message(.text, text)), "text \(size)")
        }
        let big = 16 << 20
        let binary = pattern(big)
        #expect(try await session.roundTrip(.binary, binary) == .event(.message(.binary, binary)), "binary 16 MiB")
        let text = textPayload(big)
        #expect(try await session.roundTrip(.text, text) == .event(.message(.text, text)), "text 16 MiB")
        await session.close()
        await running.stop()
        #expect(running.log.lines.isEmpty)
    }

    @Test func echoesFragmentedMessagesWithInterleavedPings() async throws {
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        let text = textPayload(10_000)
        session.withConnection { $0.send(.text, text, fragmentSize: 999) }
        try await session.flush()
        #expect(await session.nextEvent() == .event(.message(.text, text)))

        // Hand-built fragments with a ping between them: the pong comes first, then the whole message.
        session.withConnection { connection in
            connection.send(Frame(fin: false, opcode: .binary, bytes: [1, 2]))
            connection.send(Frame(opcode: .ping, bytes: Array("mid".utf8)))
            connection.send(Frame(fin: false, opcode: .continuation, bytes: []))
            connection.send(Frame(opcode: .continuation, bytes: [3]))
        }
        try await session.flush()
        #expect(await session.nextEvent() == .event(.pong(ByteBuffer(string: "mid"))))
        #expect(await session.nextEvent() == .event(.message(.binary, ByteBuffer(bytes: [1, 2, 3]))))
        await session.close()
        await running.stop()
    }

    @Test func answersPings() async throws {
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        for payload in [ByteBuffer(), ByteBuffer(string: "ping"), pattern(125)] {
            session.withConnection { $0.sendPing(payload) }
            try await session.flush()
            #expect(await session.nextEvent() == .event(.pong(payload)))
        }
        await session.close()
        await running.stop()
    }

    @Test func clientInitiatedCloseIsEchoedAndTheServerClosesTCPFirst() async throws {
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        await session.close(code: .goingAway, reason: "done")
        #expect(session.connection.state == .closed)
        #expect(session.connection.sentClose == ClosePayload(code: .goingAway, reason: "done"))
        #expect(session.connection.receivedClose?.code == .goingAway)
        #expect(session.raw.end == .peerClosed, "RFC 6455 §7.1.1: the server closes TCP first")
        await running.stop()
    }

    @Test func messagesSentJustBeforeTheCloseAreStillEchoed() async throws {
        // Autobahn 7.1.6: the echoes arrive after our Close and before the server's.
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        session.withConnection { connection in
            connection.send(.binary, pattern(256 << 10))
            connection.send(.text, ByteBuffer(string: "Hello World!"))
            connection.close(code: .normalClosure)
        }
        try await session.flush()
        var received: [Received] = []
        for _ in 0..<3 { received.append(await session.nextEvent()) }
        #expect(received == [.event(.message(.binary, pattern(256 << 10))),
                             .event(.message(.text, ByteBuffer(string: "Hello World!"))),
                             .event(.closeReceived(.normalClosure, reason: ByteBuffer()))])
        await session.finish()
        #expect(session.raw.end == .peerClosed)
        await running.stop()
    }

    @Test func violationFailsTheConnectionWithItsCode() async throws {
        let running = try await RunningEchoServer.start()
        let session = try await WebSocketSession.connect(to: running.url)
        session.withConnection { $0.send(Frame(opcode: .text, bytes: [0x61, 0xFF])) }
        try await session.flush()
        #expect(await session.nextEvent() == .event(.closeReceived(.invalidPayloadData, reason: ByteBuffer())))
        await session.finish()
        // The failing server closes TCP right after its Close (§7.1.7); our answering Close may then
        // meet a closed socket, so the end is a FIN or, when that answer arrived first, a reset.
        #expect(session.raw.end == .peerClosed || session.raw.end == .peerReset)
        await running.stop()
        #expect(running.log.lines.contains { $0.contains("invalid UTF-8") })
    }

    @Test func echoesWithPermessageDeflate() async throws {
        let running = try await RunningEchoServer.start(deflate: true)
        let options = WebSocketClientOptions(deflate: ClientDeflateConfig(clientNoContextTakeover: true))
        let session = try await WebSocketSession.connect(to: running.url, options: options)
        let negotiated = try #require(session.deflate)
        #expect(negotiated.clientNoContextTakeover)
        #expect(session.response.headers.firstValue("Sec-WebSocket-Extensions")?.hasPrefix("permessage-deflate") == true)
        for payload in [textPayload(0), textPayload(5), textPayload(300_000)] {
            #expect(try await session.roundTrip(.text, payload) == .event(.message(.text, payload)))
        }
        let random = pattern(200_000)
        session.withConnection { $0.send(.binary, random, fragmentSize: 4_096) }
        try await session.flush()
        #expect(await session.nextEvent() == .event(.message(.binary, random)))
        // Compression really happened on the wire: far fewer bytes went out than the texts hold.
        #expect(session.raw.stats.bytesWritten < 300_000)
        await session.close()
        await running.stop()
    }

    @Test func understandsAClientThatKeepsItsContextDespiteTheHint() async throws {
        // Autobahn's client offers client_no_context_takeover but keeps its LZ77 window unless the
        // response asks otherwise (every 12.x/13.x case failed with "distance too far back").
        let running = try await RunningEchoServer.start(deflate: true)
        let session = try await WebSocketSession.connect(to: running.url, options: WebSocketClientOptions(deflate: .autobahn))
        #expect(session.response.headers.firstValue("Sec-WebSocket-Extensions") == "permessage-deflate")
        let compressor = DeflateCodec(negotiated: NegotiatedDeflate(clientNoContextTakeover: false), role: .client,
                                      maxDecompressedMessageSize: .max)
        let message = textPayload(2_000)
        var sizes: [Int] = []
        for _ in 0..<3 {
            let compressed = try compressor.compress(message: message)
            sizes.append(compressed.readableBytes)
            session.withConnection { $0.send(Frame(rsv: .rsv1, opcode: .text, payload: compressed)) }
            try await session.flush()
            let echo = await session.nextEvent()
            #expect(echo == .event(.message(.text, message)))
        }
        #expect(sizes[1] < sizes[0], "later copies refer back to the first")
        await session.close()
        await running.stop()
    }

    @Test(.enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func echoesOverTLS() async throws {
        let fixture = try TLSFixture.get()
        let running = try await RunningEchoServer.start(tls: fixture.serverConfiguration)
        #expect(running.url.secure)
        let session = try await WebSocketSession.connect(to: running.url, options: WebSocketClientOptions(tls: fixture.trustingClient))
        #expect(session.raw.usesTLS)
        let payload = textPayload(100_000)
        #expect(try await session.roundTrip(.text, payload) == .event(.message(.text, payload)))
        await session.close()
        #expect(session.connection.state == .closed)
        await running.stop()
    }

    @Test(.enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func failedTLSHandshakeDoesNotStopTheServer() async throws {
        let fixture = try TLSFixture.get()
        let running = try await RunningEchoServer.start(tls: fixture.serverConfiguration)
        // Plain text to a TLS port: that handshake fails on the server.
        let plain = try await RawConnection.connect(host: "127.0.0.1", port: running.server.port)
        try await plain.write(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        _ = await plain.readAll()
        await plain.close()
        // The next (proper) client is still served.
        let options = WebSocketClientOptions(tls: fixture.trustingClient, handshakeTimeout: .seconds(10))
        let session = try await WebSocketSession.connect(to: running.url, options: options)
        #expect(try await session.roundTrip(.text, ByteBuffer(string: "still here")) == .event(.message(.text, ByteBuffer(string: "still here"))))
        await session.close()
        await running.stop()
        #expect(running.log.lines.contains { $0.contains("incoming connection failed") })
    }

    @Test func keepsServingOthersAfterAClientResetsMidFrame() async throws {
        let running = try await RunningEchoServer.start()
        let other = try await WebSocketSession.connect(to: running.url)
        let resetter = try await WebSocketSession.connect(to: running.url)
        // Header and half the payload of a 1000-byte frame, then RST.
        var frame = ByteBuffer()
        FrameWriter.write(Frame(opcode: .binary, maskingKey: MaskingKey(1, 2, 3, 4), payload: pattern(1_000)), into: &frame)
        try await resetter.raw.write(frame.getSlice(at: frame.readerIndex, length: 500)!)
        await resetter.raw.abort()

        #expect(try await other.roundTrip(.text, ByteBuffer(string: "alive")) == .event(.message(.text, ByteBuffer(string: "alive"))))
        let fresh = try await WebSocketSession.connect(to: running.url)
        #expect(try await fresh.roundTrip(.binary, pattern(70_000)) == .event(.message(.binary, pattern(70_000))))
        await other.close()
        await fresh.close()
        await running.stop()
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var name: String
        var request: String
        var status: Int
        var testDescription: String { name }
    }

    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    static let badRequests: [BadRequest] = [
        BadRequest(name: "no Upgrade", request: "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n", status: 400),
        BadRequest(name: "no key", request: "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n", status: 400),
        BadRequest(name: "bare LF", request: "GET / HTTP/1.1\nHost: x\n\n", status: 400),
        BadRequest(name: "version 8", request: "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 8\r\n\r\n", status: 426),
        BadRequest(name: "no version", request: "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\n\r\n", status: 426),
    ]

    @Test(arguments: badRequests)
    func rejectsInvalidHandshakes(_ bad: BadRequest) async throws {
        let running = try await RunningEchoServer.start()
        let raw = try await RawConnection.connect(host: "127.0.0.1", port: running.server.port)
        try await raw.write(ByteBuffer(string: bad.request))
        var (answer, end) = await raw.readAll()
        #expect(end == .end(.peerClosed), "the server closes after the rejection")
        var parser = HTTPHeadParser(kind: .response)
        let head = try #require(try parser.feed(&answer))
        #expect(head.status == bad.status)
        if bad.status == 426 { #expect(head.headers.firstValue("Sec-WebSocket-Version") == "13") }
        #expect(String(buffer: answer).contains("rejected"), "the body says why")
        await raw.close()
        await running.stop()
        #expect(running.log.lines.count == 1)
    }
}
