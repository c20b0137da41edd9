import WSTestSupport
import NIOCore
import Testing
import WSTransport

@Suite("How connections end")
struct ConnectionEndTests {
    @Test("half-close: the server sees peerClosed, can still write, and the client reads it",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"), arguments: Mode.allCases)
    func halfClose(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        try await pair.client.write("last words")
        await pair.client.shutdownOutput()
        #expect(pair.client.end == .localClosed)

        let atServer = await pair.server.receive(100)
        #expect(atServer.bytes == ByteBuffer(string: "last words"))
        #expect(atServer.stop == .end(.peerClosed))
        #expect(pair.server.end == .peerClosed)
        #expect(await pair.server.read(timeout: .seconds(1)) == .end(.peerClosed))  // sticky

        try await pair.server.write("reply after FIN")
        let atClient = await pair.client.receive(15)
        #expect(atClient.bytes == ByteBuffer(string: "reply after FIN"))

        await pair.server.close()
        #expect(await pair.client.readToEnd() == .end(.localClosed))  // the client's FIN came first
        await pair.close()
    }

    @Test("abort: the peer observes a reset", .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"),
          arguments: Mode.allCases)
    func abort(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        try await pair.client.write("ping")
        #expect(await pair.server.receive(4).bytes == ByteBuffer(string: "ping"))

        await pair.client.abort()
        #expect(pair.client.end == .localAborted)
        #expect(await pair.client.readToEnd() == .end(.localAborted))
        #expect(await pair.server.readToEnd() == .end(.peerReset))
        #expect(pair.server.end == .peerReset)
        await pair.close()
    }

    @Test("close: the peer observes an orderly close", .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"),
          arguments: Mode.allCases)
    func close(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        // A round trip first, so nothing unread (such as TLS session tickets) is left on the
        // client: closing a socket with unread input makes the kernel send an RST instead of a FIN.
        try await pair.client.write("ping")
        #expect(await pair.server.receive(4).bytes == ByteBuffer(string: "ping"))
        try await pair.server.write("pong")
        #expect(await pair.client.receive(4).bytes == ByteBuffer(string: "pong"))

        await pair.client.close()
        #expect(pair.client.end == .localClosed)
        #expect(await pair.client.readToEnd() == .end(.localClosed))
        #expect(await pair.server.readToEnd() == .end(.peerClosed))
        #expect(pair.server.end == .peerClosed)
        await pair.close()
    }

    @Test("writing after close fails with closed", .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"),
          arguments: Mode.allCases)
    func writeAfterClose(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        await pair.client.close()
        await #expect(throws: TransportError.closed) {
            try await pair.client.write("too late")
        }
        await pair.close()
    }

    @Test("writing after shutdownOutput fails with closed")
    func writeAfterShutdown() async throws {
        let pair = try await Pair.make(.plain)
        await pair.client.shutdownOutput()
        await #expect(throws: TransportError.closed) {
            try await pair.client.write("too late")
        }
        await pair.close()
    }
}
