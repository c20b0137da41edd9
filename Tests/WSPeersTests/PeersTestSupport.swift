import Foundation
import NIOCore
import WSEngine
import WSPeers
import WSTransport

/// An `EchoServer` on a free port of 127.0.0.1, running in a task until `stop()`.
struct RunningEchoServer: Sendable {
    let server: EchoServer
    let task: Task<Void, Never>
    let log: LockedLines

    var url: WebSocketURL { WebSocketURL(secure: server.options.tls != nil, host: "127.0.0.1", port: server.port) }

    static func start(deflate: Bool = false, tls: TLSServerConfiguration? = nil,
                      maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize) async throws -> RunningEchoServer {
        let server = try await EchoServer.bind(.init(port: 0, tls: tls, deflate: deflate, maximumMessageSize: maximumMessageSize))
        let log = LockedLines()
        let task = Task { await server.run { log.append($0) } }
        return RunningEchoServer(server: server, task: task, log: log)
    }

    /// Stops accepting; cancelling the task ends the sessions still open, and `run` returns.
    func stop() async {
        await server.close()
        task.cancel()
        await task.value
    }
}

/// Lines collected from `@Sendable` callbacks.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}

/// What a session received, up to the first event that is not a message, pong or ping.
enum Received: Equatable {
    case event(ConnectionEvent)
    case ended(ConnectionEnd)
    case timeout
}

extension WebSocketSession {
    /// The next event, or how the wait ended; `within` bounds the wait (never asserted on).
    func nextEvent(within timeout: Duration = .seconds(30)) async -> Received {
        switch await next(until: .now + timeout) {
        case let .event(event): .event(event)
        case let .ended(end): .ended(end)
        case .timeout: .timeout
        }
    }

    /// Sends a message and returns what came back first.
    func roundTrip(_ kind: MessageKind, _ payload: ByteBuffer) async throws -> Received {
        try await send(kind, payload)
        return await nextEvent()
    }

    /// Reads until the connection ends (events are dropped); returns how it ended.
    func readToEnd(within timeout: Duration = .seconds(30)) async -> Received {
        let deadline = ContinuousClock.now + timeout
        while true {
            switch await next(until: deadline) {
            case .event: continue
            case let .ended(end): return .ended(end)
            case .timeout: return .timeout
            }
        }
    }
}

extension RawConnection {
    /// Everything the peer sends until it closes (or `timeout` passes without the end).
    func readAll(within timeout: Duration = .seconds(30)) async -> (ByteBuffer, ReadResult) {
        let deadline = ContinuousClock.now + timeout
        var all = ByteBuffer()
        while true {
            let result = await read(until: deadline)
            guard case var .bytes(chunk) = result else { return (all, result) }
            all.writeBuffer(&chunk)
        }
    }
}

/// `count` bytes of a pattern that does not repeat at any power-of-two period.
func pattern(_ count: Int) -> ByteBuffer {
    var buffer = ByteBuffer(bytes: (0..<251).map { UInt8($0) })
    while buffer.readableBytes < count {
        var copy = buffer
        buffer.writeBuffer(&copy)
    }
    return buffer.getSlice(at: 0, length: count)!
}

/// Valid UTF-8 text of exactly `count` bytes mixing 1- to 4-byte characters.
func textPayload(_ count: Int) -> ByteBuffer {
    let unit = "aκ€🎉 wsconform "
    var text = String(repeating: unit, count: count / unit.utf8.count + 1)
    while text.utf8.count > count { text.removeLast() }
    while text.utf8.count < count { text += "." }
    return ByteBuffer(string: text)
}
