import WSTestSupport
import NIOCore
import Testing
import WSTransport

@Suite("Connect failures and deadlines")
struct ConnectFailureTests {
    @Test("a port with no listener is refused")
    func refused() async throws {
        let listener = try await RawListener.bind()
        let port = listener.port
        await listener.close()
        do {
            _ = try await RawConnection.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(30))
            Issue.record("connected to a closed port")
        } catch {
            #expect(error == .connectionRefused(host: "127.0.0.1", port: port))
            #expect(error.description == "connection refused by 127.0.0.1:\(port) (is the server running?)")
        }
    }

    @Test("a host name that does not resolve is resolveFailed")
    func unresolvable() async {
        do {
            _ = try await RawConnection.connect(host: "no-such-host.invalid", port: 80, connectTimeout: .seconds(30))
            Issue.record("resolved a .invalid name")
        } catch {
            guard case .resolveFailed(let host, _) = error else {
                Issue.record("expected resolveFailed, got \(error)")
                return
            }
            #expect(host == "no-such-host.invalid")
        }
    }

    @Test("a TLS handshake nobody answers ends at the connect timeout",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func tlsHandshakeTimeout() async throws {
        let tls = try TLSFixture.get().trustingClient
        let silent = try await RawListener.bind()  // plain TCP, never accepted: the ClientHello goes unanswered
        do {
            let client = try await RawConnection.connect(
                host: "127.0.0.1", port: silent.port, tls: tls,
                connectTimeout: .milliseconds(300))
            Issue.record("a TLS connection completed without a TLS server")
            await client.close()
        } catch {
            #expect(error == .connectTimeout(host: "127.0.0.1", port: silent.port))
        }
        await silent.close()
    }

    @Test("a peer that never answers: read returns timeout, not before the deadline")
    func readTimeout() async throws {
        let listener = try await RawListener.bind()  // never accepted: the kernel completes the handshake alone
        let client = try await RawConnection.connect(host: "127.0.0.1", port: listener.port)
        let deadline = ContinuousClock.now + .milliseconds(200)
        #expect(await client.read(until: deadline) == .timeout)
        #expect(ContinuousClock.now >= deadline)
        #expect(client.end == nil)
        // The stream is not spent by a timeout: bytes sent later still arrive.
        let server = try await listener.accept(until: .now + .seconds(30))
        try await server.write("late")
        #expect(await client.receive(4).bytes == ByteBuffer(string: "late"))
        await client.close()
        await server.close()
        await listener.close()
    }

    @Test("a deadline already past returns queued bytes first, then timeout")
    func pastDeadline() async throws {
        let pair = try await Pair.make(.plain)
        try await pair.server.write("queued")
        #expect(await pair.client.receive(6).bytes == ByteBuffer(string: "queued"))
        #expect(await pair.client.read(until: .now - .seconds(1)) == .timeout)
        await pair.close()
    }

    @Test("cancelling a waiting read returns timeout")
    func cancelledRead() async throws {
        let pair = try await Pair.make(.plain)
        let reader = Task { await pair.client.read(timeout: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        #expect(await reader.value == .timeout)
        // The connection still works after the cancelled read.
        try await pair.server.write("ok")
        #expect(await pair.client.receive(2).bytes == ByteBuffer(string: "ok"))
        await pair.close()
    }

    @Test("accept gives up at its deadline, and reports closed after close")
    func acceptDeadline() async throws {
        let listener = try await RawListener.bind()
        await #expect(throws: TransportError.acceptTimeout) {
            _ = try await listener.accept(until: .now + .milliseconds(100))
        }
        await listener.close()
        await #expect(throws: TransportError.closed) {
            _ = try await listener.accept(until: .now + .seconds(30))
        }
    }

    @Test("binding a port in use fails with bindFailed")
    func bindInUse() async throws {
        let first = try await RawListener.bind()
        do {
            let second = try await RawListener.bind(port: first.port)
            Issue.record("bound the same port twice: \(second.port)")
            await second.close()
        } catch {
            guard case .bindFailed(let host, let port, _) = error else {
                Issue.record("expected bindFailed, got \(error)")
                return
            }
            #expect(host == "127.0.0.1")
            #expect(port == first.port)
        }
        await first.close()
    }
}
