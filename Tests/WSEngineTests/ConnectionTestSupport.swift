import NIOCore
import WSEngine

/// A client and a server `Connection` wired back to back in memory. `pump()` moves bytes both ways
/// until neither side has output left, collecting each side's events; with `echo` the server
/// answers every message with the same message, as an echo server would.
struct LinkedConnections {
    var client: Connection
    var server: Connection
    var clientEvents: [ConnectionEvent] = []
    var serverEvents: [ConnectionEvent] = []
    var echo = false

    init(client: ConnectionConfiguration = ConnectionConfiguration(role: .client),
         server: ConnectionConfiguration = ConnectionConfiguration(role: .server), echo: Bool = false) {
        precondition(client.role == .client && server.role == .server)
        self.client = Connection(configuration: client)
        self.server = Connection(configuration: server)
        self.echo = echo
    }

    /// Both ends negotiated permessage-deflate with `negotiated`.
    init(deflate negotiated: NegotiatedDeflate, maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
         echo: Bool = false) {
        self.init(client: ConnectionConfiguration(role: .client, maximumMessageSize: maximumMessageSize, deflate: negotiated),
                  server: ConnectionConfiguration(role: .server, maximumMessageSize: maximumMessageSize, deflate: negotiated),
                  echo: echo)
    }

    mutating func pump() {
        var moved = true
        while moved {
            moved = false
            if let bytes = client.takeOutput() {
                server.receive(bytes)
                moved = true
            }
            while let event = server.nextEvent() {
                serverEvents.append(event)
                if echo, case let .message(kind, payload) = event { server.send(kind, payload) }
            }
            if let bytes = server.takeOutput() {
                client.receive(bytes)
                moved = true
            }
            while let event = client.nextEvent() { clientEvents.append(event) }
        }
    }
}

extension Connection {
    /// Feeds `bytes` in pieces ending at `cuts` (offsets into `bytes`), then the rest, draining
    /// events after every piece; returns the events and how many pieces had been fed when each came.
    mutating func receive(_ bytes: ByteBuffer, cuts: [Int]) -> [(event: ConnectionEvent, piecesFed: Int)] {
        var result: [(ConnectionEvent, Int)] = []
        var start = 0
        for (index, end) in (cuts + [bytes.readableBytes]).enumerated() {
            receive(bytes.getSlice(at: bytes.readerIndex + start, length: end - start)!)
            start = end
            while let event = nextEvent() { result.append((event, index + 1)) }
        }
        return result
    }

    /// Feeds `bytes` in one piece and returns every event it produced.
    mutating func events(receiving bytes: ByteBuffer) -> [ConnectionEvent] {
        receive(bytes)
        return drainEvents()
    }

    mutating func drainEvents() -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        while let event = nextEvent() { events.append(event) }
        return events
    }

    /// The frames this connection queued, as its peer parses them (permessage-deflate's RSV1 allowed).
    mutating func takeFrames() -> [Frame] {
        guard let bytes = takeOutput() else { return [] }
        return ConnectionWire.frames(bytes, sentBy: configuration.role)
    }
}

enum ConnectionWire {
    static let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// The wire form of frames as `sender` sends them: masked with a fixed key from a client.
    static func bytes(_ frames: [Frame], from sender: Role = .client, violations: FrameViolations = .none) -> ByteBuffer {
        var out = ByteBuffer()
        for var frame in frames {
            frame.maskingKey = sender == .client ? key : nil
            FrameWriter.write(frame, violations: violations, into: &out)
        }
        return out
    }

    static func bytes(_ frame: Frame, from sender: Role = .client, violations: FrameViolations = .none) -> ByteBuffer {
        bytes([frame], from: sender, violations: violations)
    }

    /// Parses a whole stream written by `sender`; a parse error is a test bug, so it traps.
    static func frames(_ bytes: ByteBuffer, sentBy sender: Role) -> [Frame] {
        var parser = FrameParser(configuration: .init(role: sender.peer, allowedReservedBits: [.rsv1]))
        parser.append(bytes)
        var frames: [Frame] = []
        do {
            while let frame = try parser.nextFrame() { frames.append(frame) }
        } catch {
            preconditionFailure("connection wrote an unparsable stream: \(error)")
        }
        precondition(parser.bufferedBytes == 0, "connection wrote a partial frame")
        return frames
    }

    static func text(_ string: String, fin: Bool = true) -> Frame {
        Frame(fin: fin, opcode: .text, payload: ByteBuffer(string: string))
    }

    static func close(_ code: CloseCode?, reason: String = "") -> Frame {
        Frame(opcode: .close, payload: ClosePayload(code: code, reason: ByteBuffer(string: reason)).encode())
    }
}

extension Frame {
    /// The close payload of a Close frame, parsed; nil for other frames or invalid payloads.
    var closePayload: ClosePayload? {
        guard opcode == .close, case let .success(close) = ClosePayload.parse(payload) else { return nil }
        return close
    }
}

extension ConnectionEvent {
    var failure: ProtocolError? {
        if case let .failed(error) = self { error } else { nil }
    }

    var messageText: String? {
        if case let .message(.text, payload) = self { String(buffer: payload) } else { nil }
    }
}

/// Payload bytes that do not repeat at any power-of-two period (so bugs in offsets show).
func connectionPattern(_ count: Int, seed: UInt8 = 0) -> ByteBuffer {
    ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: ($0 % 251) &+ Int(seed)) })
}
