import WSTestSupport
import NIOCore
import NIOPosix
import Testing
import WSTransport

/// Plain TCP or TLS, for tests that must hold for both.
enum Mode: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case plain
    case tls

    var testDescription: String { self.rawValue }

    func serverTLS() throws -> TLSServerConfiguration? {
        self == .tls ? try TLSFixture.get().serverConfiguration : nil
    }

    func clientTLS() throws -> TLSClientConfiguration? {
        self == .tls ? try TLSFixture.get().trustingClient : nil
    }
}

/// A listener with one client connected to it and the server side of that connection.
struct Pair: Sendable {
    let listener: RawListener
    let client: RawConnection
    let server: RawConnection

    static func make(_ mode: Mode, client clientOptions: ConnectionOptions = ConnectionOptions(),
                     server serverOptions: ConnectionOptions = ConnectionOptions(),
                     group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> Pair {
        let listener = try await RawListener.bind(tls: try mode.serverTLS(), options: serverOptions, group: group)
        async let accepted = listener.accept(until: .now + .seconds(30))
        let client = try await RawConnection.connect(
            host: "127.0.0.1", port: listener.port, tls: try mode.clientTLS(),
            connectTimeout: .seconds(30), options: clientOptions, group: group)
        let server = try await accepted
        return Pair(listener: listener, client: client, server: server)
    }

    func close() async {
        await self.client.close()
        await self.server.close()
        await self.listener.close()
    }
}

/// What a connection delivered until `count` bytes arrived, the stream ended, or it went quiet.
struct Received {
    var bytes = ByteBuffer()
    var reads = 0
    /// `.end` or `.timeout` if reading stopped before `count` bytes.
    var stop: ReadResult?
}

extension RawConnection {
    /// Reads until `count` bytes arrived (or the end, or `quiet` without any bytes).
    func receive(_ count: Int, quiet: Duration = .seconds(20)) async -> Received {
        var received = Received()
        while received.bytes.readableBytes < count {
            switch await self.read(timeout: quiet) {
            case .bytes(var chunk):
                received.reads += 1
                received.bytes.writeBuffer(&chunk)
            case let other:
                received.stop = other
                return received
            }
        }
        return received
    }

    /// Reads and discards bytes until the stream ends; returns how it ended.
    func readToEnd(quiet: Duration = .seconds(20)) async -> ReadResult {
        while true {
            let result = await self.read(timeout: quiet)
            if case .bytes = result { continue }
            return result
        }
    }

    func write(_ string: String, chop: Int? = nil, delay: Duration = .zero) async throws(TransportError) {
        try await self.write(ByteBuffer(string: string), chop: chop, delay: delay)
    }
}

/// `count` bytes of a pattern that does not repeat at any power-of-two period.
func patternBuffer(_ count: Int) -> ByteBuffer {
    var buffer = ByteBuffer(bytes: (0..<251).map { UInt8($0) })
    while buffer.readableBytes < count {
        var copy = buffer
        buffer.writeBuffer(&copy)
    }
    return buffer.getSlice(at: 0, length: count)!
}

extension RawListener {
    /// `accept(until:)` as a value, for `async let`.
    func acceptResult(until deadline: ContinuousClock.Instant) async -> Result<RawConnection, TransportError> {
        do {
            return .success(try await self.accept(until: deadline))
        } catch {
            return .failure(error)
        }
    }
}
