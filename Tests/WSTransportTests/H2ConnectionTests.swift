import Foundation
import NIOCore
import NIOHTTP2
import NIOPosix
import Testing
import WSFrames
@testable import WSTransport
import WSTestSupport

/// WebSockets over HTTP/2 (RFC 8441) against a real server: Hypercorn with the echo app of
/// scripts/peers/hypercorn_echo.py, over h2c with prior knowledge. Runs where Hypercorn is
/// installed (on PATH, or in the interop venv that scripts/interop.sh makes).
@Suite("HTTP/2 transport: extended CONNECT against Hypercorn", .serialized, .timeLimit(.minutes(2)))
struct H2ConnectionTests {
    static let hypercorn = HypercornPeer.executable

    static func startHypercorn() async throws -> (Process, Int) {
        let peer = try await HypercornPeer.start()
        return (peer.process, peer.port)
    }

    static func connectRequest(port: Int, extra: [(String, String)] = []) -> [(name: String, value: String)] {
        [(":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "http"), (":path", "/"),
         (":authority", "127.0.0.1:\(port)"), ("sec-websocket-version", "13")] + extra.map { (name: $0.0, value: $0.1) }
    }

    @Test("SETTINGS_ENABLE_CONNECT_PROTOCOL is seen; a 200 opens the stream, which echoes a masked text frame byte for byte",
          .enabled(if: hypercorn != nil, "hypercorn is not installed"))
    func echoOverStream() async throws {
        let (server, port) = try await Self.startHypercorn()
        defer { server.terminate() }
        let h2 = try await H2Connection.connect(host: "127.0.0.1", port: port)
        #expect(await h2.peerEnablesConnectProtocol(by: .now + .seconds(5)) == true)
        let (response, stream) = try await h2.openStream(request: Self.connectRequest(port: port), deadline: .now + .seconds(5))
        #expect(response.status == 200, "\(response.fields)")
        #expect(response.value("sec-websocket-accept") == nil, "no Accept over HTTP/2")
        let hello = Frame(fin: true, opcode: .text, maskingKey: MaskingKey(0x12, 0x34, 0x56, 0x78), payload: ByteBuffer(string: "hello"))
        try await stream.write(FrameWriter.bytes(hello))
        var got: [UInt8] = []
        while got.count < 7 {
            guard case let .bytes(b) = await stream.read(timeout: .seconds(5)) else { break }
            got += b.readableBytesView
        }
        #expect(got == [0x81, 0x05] + Array("hello".utf8), "an unmasked text frame \"hello\" from the server")
        // Our Close, its Close, then its END_STREAM: the stream ends as TCP would.
        let close = Frame(fin: true, opcode: .close, maskingKey: MaskingKey(1, 2, 3, 4), payload: ByteBuffer(bytes: [0x03, 0xE8]))
        try await stream.write(FrameWriter.bytes(close))
        var ended: ConnectionEnd?
        for _ in 0..<10 {
            if case let .end(e) = await stream.read(timeout: .seconds(5)) { ended = e; break }
        }
        #expect(ended == .peerClosed)
        await h2.close()
    }

    @Test("A path the server does not serve as a WebSocket is answered, not opened: the answer's status is reported",
          .enabled(if: hypercorn != nil, "hypercorn is not installed"))
    func refusedWithoutProtocol() async throws {
        let (server, port) = try await Self.startHypercorn()
        defer { server.terminate() }
        let h2 = try await H2Connection.connect(host: "127.0.0.1", port: port)
        // A plain GET on a fresh stream: the echo app answers 404 (it serves WebSockets only).
        let get: [(name: String, value: String)] = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "127.0.0.1:\(port)")]
        let (response, stream) = try await h2.openStream(request: get, deadline: .now + .seconds(5))
        #expect(response.status == 404)
        await stream.abort()
        await h2.close()
    }
}

/// A bare HTTP/2 server (swift-nio-http2) whose SETTINGS do not enable extended CONNECT: the rule of
/// RFC 8441 §3 that a client checks before opening a WebSocket.
@Suite("HTTP/2 transport: a server without SETTINGS_ENABLE_CONNECT_PROTOCOL", .timeLimit(.minutes(1)))
struct H2WithoutConnectProtocolTests {
    @Test("Its first SETTINGS is seen and reported as not enabling the extended CONNECT")
    func settingsWithoutConnectProtocol() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: .init(), streamConfiguration: .init(),
                        inboundStreamInitializer: { $0.close() })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let h2 = try await H2Connection.connect(host: "127.0.0.1", port: port)
        #expect(await h2.peerEnablesConnectProtocol(by: .now + .seconds(5)) == false)
        await h2.close()
    }
}
