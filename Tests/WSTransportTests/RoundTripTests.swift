import WSTestSupport
import NIOCore
import Testing
import WSTransport

@Suite("Transport round trips")
struct RoundTripTests {
    @Test("bytes go both ways", .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"),
          arguments: Mode.allCases)
    func roundTrip(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        #expect(pair.client.usesTLS == (mode == .tls))
        #expect(pair.server.usesTLS == (mode == .tls))
        #expect(pair.client.remoteAddress?.port == pair.listener.port)
        #expect(pair.server.localAddress?.port == pair.listener.port)
        #expect(pair.server.remoteAddress?.port == pair.client.localAddress?.port)

        try await pair.client.write("hello from the client")
        let atServer = await pair.server.receive(21)
        #expect(atServer.bytes == ByteBuffer(string: "hello from the client"))

        try await pair.server.write("and back from the server")
        let atClient = await pair.client.receive(24)
        #expect(atClient.bytes == ByteBuffer(string: "and back from the server"))
        #expect(pair.client.end == nil)
        #expect(pair.server.end == nil)
        await pair.close()
    }

    @Test("TLS without verification, when asked for explicitly",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func insecureTLS() async throws {
        let fixture = try TLSFixture.get()
        let listener = try await RawListener.bind(tls: fixture.serverConfiguration)
        async let accepted = listener.accept(until: .now + .seconds(30))
        let client = try await RawConnection.connect(
            host: "127.0.0.1", port: listener.port, tls: TLSClientConfiguration(insecure: true))
        let server = try await accepted
        try await client.write("x")
        #expect(await server.receive(1).bytes == ByteBuffer(string: "x"))
        await client.close()
        await server.close()
        await listener.close()
    }

    @Test("TLS verifies the certificate against the server name given for SNI",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func serverName() async throws {
        let fixture = try TLSFixture.get()
        // The certificate names only "localhost", so connecting to the IP address needs the name.
        let listener = try await RawListener.bind(tls: fixture.dnsOnlyServerConfiguration)

        async let accepted = listener.accept(until: .now + .seconds(30))
        let good = try await RawConnection.connect(
            host: "127.0.0.1", port: listener.port,
            tls: TLSClientConfiguration(caFile: fixture.caPath, serverName: "localhost"))
        #expect(good.usesTLS)
        await good.close()
        await (try accepted).close()

        for serverName in ["not-this-host.example", nil] {
            do {
                let bad = try await RawConnection.connect(
                    host: "127.0.0.1", port: listener.port,
                    tls: TLSClientConfiguration(caFile: fixture.caPath, serverName: serverName))
                Issue.record("connected with server name \(serverName ?? "nil") to a certificate for localhost")
                await bad.close()
            } catch {
                guard case .tlsFailure(let reason) = error else {
                    Issue.record("expected tlsFailure, got \(error)")
                    continue
                }
                #expect(!reason.isEmpty)
            }
        }
        await listener.close()
    }

    @Test("by host name: connecting to localhost verifies against the DNS name",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func hostName() async throws {
        let fixture = try TLSFixture.get()
        let listener = try await RawListener.bind(tls: fixture.dnsOnlyServerConfiguration)
        async let accepted = listener.accept(until: .now + .seconds(30))
        // "localhost" may resolve to ::1 first; the listener is on 127.0.0.1 only, so this also
        // exercises falling back to the next address.
        let client = try await RawConnection.connect(host: "localhost", port: listener.port, tls: fixture.trustingClient)
        let server = try await accepted
        try await client.write("over TLS by name")
        #expect(await server.receive(16).bytes == ByteBuffer(string: "over TLS by name"))
        await client.close()
        await server.close()
        await listener.close()
    }

    @Test("a client that trusts no CA of ours fails with tlsFailure, and so does the listener's accept",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"))
    func untrustedCertificate() async throws {
        let fixture = try TLSFixture.get()
        let listener = try await RawListener.bind(tls: fixture.serverConfiguration)
        async let serverSide = listener.acceptResult(until: .now + .seconds(30))
        do {
            let client = try await RawConnection.connect(host: "127.0.0.1", port: listener.port,
                                                         tls: TLSClientConfiguration(caFile: fixture.otherCAPath))
            Issue.record("connected although the client trusts only an unrelated CA")
            await client.close()
        } catch {
            guard case .tlsFailure(let reason) = error else {
                Issue.record("expected tlsFailure, got \(error)")
                return
            }
            #expect(error.description.hasPrefix("TLS failure: "))
            #expect(!reason.isEmpty)
            #expect(!error.description.contains("\n"))
        }
        let accepted = await serverSide
        guard case .failure(.tlsFailure) = accepted else {
            Issue.record("the listener should report the failed handshake, got \(accepted)")
            return
        }
        await listener.close()
    }

    @Test("unreadable certificate or key files are a tlsFailure at bind")
    func missingCertificate() async {
        let tls = TLSServerConfiguration(certificatePath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem")
        await #expect(throws: TransportError.self) {
            _ = try await RawListener.bind(tls: tls)
        }
        do {
            _ = try await RawListener.bind(tls: tls)
        } catch {
            guard case .tlsFailure(let reason) = error else {
                Issue.record("expected tlsFailure, got \(error)")
                return
            }
            #expect(reason.contains("/nonexistent/cert.pem"))
        }
    }
}
