import NIOCore
import WSEngine
import WSJudge
import WSTransport

/// The HTTP/2 connection of an RFC 8441 case (section 28) while the case runs, and what is checked
/// on it once the case's WebSocket is over: each sibling WebSocket must still echo (a problem on one
/// stream must not reach the others), and the server's frames on the connection are recorded.
package struct H2CaseContext: Sendable {
    let connection: H2Connection
    let stream: RawConnection
    /// Taken while the stream is open (a closed stream channel no longer tells it).
    let streamID: UInt32?
    let siblings: [RawConnection]
    /// The case provoked a stream or connection error (DATA after END_STREAM): its RST_STREAM or
    /// GOAWAY may still be on its way when the stream has ended, so it is awaited a moment.
    var awaitsError = false

    /// How long a sibling may take to echo its message.
    static let echoTimeout: Duration = .seconds(2)
    /// How long a provoked RST_STREAM or GOAWAY may trail the end of the stream.
    static let errorTimeout: Duration = .seconds(1)

    /// Checks the siblings, closes them politely, records the server's frames, closes the connection.
    func finish() async -> H2Record {
        if awaitsError, let id = streamID {
            let until = ContinuousClock.now + Self.errorTimeout
            while connection.isOpen, connection.facts.resets[id] == nil, connection.facts.goAway == nil, ContinuousClock.now < until {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        var record = H2Record(siblings: siblings.count)
        record.connectionDropped = !connection.isOpen
        if record.connectionDropped, !siblings.isEmpty {
            record.siblingFailures.append("the server closed the whole HTTP/2 connection, and with it the \(siblings.count) sibling WebSocket\(siblings.count == 1 ? "" : "s") it had accepted, without a Close on any of them")
        }
        for (i, sibling) in siblings.enumerated() where !record.connectionDropped {
            if let failure = await Self.echo(on: sibling, text: "sibling \(i + 1)") {
                record.siblingFailures.append("sibling \(i + 1) \(failure)")
            }
            if record.siblingFailures.last?.hasPrefix("sibling \(i + 1) ") == true {
                await sibling.abort()
            } else {
                await OpenedConnection(raw: sibling, handshake: HandshakeRecord(completed: true), deflate: nil, leftover: ByteBuffer()).closeAsProbe()
            }
        }
        let facts = connection.facts
        record.connectProtocolValues = facts.connectProtocolValues
        record.streamReset = streamID.flatMap { facts.resets[$0] }
        record.goAway = facts.goAway
        record.windowUpdates = facts.connectionWindowUpdates + facts.streamWindowUpdates
        await connection.close()
        return record
    }

    /// Sends a masked text message and waits for the same text back; nil when it came, else what
    /// went wrong. Bounded by `echoTimeout` even when the write cannot go out (a connection whose
    /// flow-control window the server never reopens): the sibling is reset then, failing the write.
    static func echo(on raw: RawConnection, text: String) async -> String? {
        let deadline = ContinuousClock.now + echoTimeout
        let timer = Task {
            try await Task.sleep(until: deadline)
            await raw.abort()
        }
        defer { timer.cancel() }
        var out = ByteBuffer()
        FrameWriter.write(Frame(opcode: .text, maskingKey: .random(), bytes: Array(text.utf8)), into: &out)
        do { try await raw.write(out) } catch {
            return ContinuousClock.now >= deadline ? "could not be written to within \(echoTimeout) (the connection's flow-control window stayed shut)"
                : "could not be written to (\(error))"
        }
        var parser = FrameParser(configuration: .init(role: .client))
        while true {
            switch await raw.read(until: deadline) {
            case let .bytes(buffer):
                parser.append(buffer)
                do {
                    while let frame = try parser.nextFrame() {
                        if frame.opcode == .text, Array(frame.payload.readableBytesView) == Array(text.utf8) { return nil }
                        if frame.opcode == .close { return "was closed instead of echoing" }
                    }
                } catch {
                    return "sent an invalid frame (\(error))"
                }
            case let .end(end):
                return ContinuousClock.now >= deadline ? "did not echo within \(echoTimeout)" : "ended (\(end)) instead of echoing"
            case .timeout:
                return "did not echo within \(echoTimeout)"
            }
        }
    }
}
