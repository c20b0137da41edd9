import Foundation
import NIOCore
import Testing
import WSFrames
@testable import WSTransport

/// WebSockets over HTTP/2 (RFC 8441) against a real server: Hypercorn with the echo app of
/// scripts/peers/hypercorn_echo.py, over h2c with prior knowledge. Runs where Hypercorn is
/// installed (on PATH, or in the interop venv that scripts/interop.sh makes).
@Suite("HTTP/2 transport: extended CONNECT against Hypercorn", .serialized, .timeLimit(.minutes(2)))
struct H2ConnectionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let hypercorn: String? = {
        let venv = root.appendingPathComponent(".build-interop/venv/bin/hypercorn").path
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/hypercorn" }
        return ([venv] + path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Starts Hypercorn on a free port; returns the process and the port once it accepts connections.
    static func startHypercorn() async throws -> (Process, Int) {
        let port = try freePort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(hypercorn))
        p.arguments = ["--bind", "127.0.0.1:\(port)", "hypercorn_echo:app"]
        p.currentDirectoryURL = root.appendingPathComponent("scripts/peers")
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<100 {
            if (try? await RawConnection.connect(host: "127.0.0.1", port: port, connectTimeout: .seconds(1))) != nil { return (p, port) }
            try await Task.sleep(for: .milliseconds(100))
        }
        p.terminate()
        throw H2TestError("hypercorn did not listen on \(port)")
    }

    static func freePort() throws -> Int {
        let listener = try ServerSocketProbe()
        return listener.port
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

struct H2TestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Binds a port and releases it: a port nothing listens on right now.
struct ServerSocketProbe {
    let port: Int
    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw H2TestError("cannot bind a probe socket") }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }
}
