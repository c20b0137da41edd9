import NIOCore

/// A sans-I/O WebSocket connection after the opening handshake: bytes in → events, and bytes out.
/// It never touches a socket or a clock; the caller feeds what it read with `receive(_:)`, drains
/// `nextEvent()`, and writes whatever `takeOutput()` returns. Both roles, fail-fast validation
/// (frames, UTF-8 per chunk, close payloads), permessage-deflate with bounded decompression,
/// automatic pongs and the closing handshake.
public struct Connection: Sendable {
    public let configuration: ConnectionConfiguration
    public private(set) var state: ConnectionState = .open
    /// The Close we sent (code, reason), if any.
    public private(set) var sentClose: ClosePayload?
    /// The Close the peer sent, if any.
    public private(set) var receivedClose: ClosePayload?
    /// Report `.frameReceived` for every incoming frame header.
    public var reportFrames = false

    private var parser: FrameParser
    private var encoder: FrameEncoder
    /// A class (zlib state cannot be copied): a `Connection` must be driven from one place only.
    private let codec: DeflateCodec?
    private var output = ByteBuffer()
    private var events: [ConnectionEvent] = []
    private var eventIndex = 0

    // The frame being received and the message being assembled.
    private var frame: FrameHeader?
    private var message: MessageAssembly?
    private var controlPayload = ByteBuffer()

    private struct MessageAssembly: Sendable {
        var kind: MessageKind
        var compressed: Bool
        var payload = ByteBuffer()
        var utf8 = UTF8Validator()
    }

    public init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
        var parserConfig = FrameParser.Configuration(role: configuration.role)
        if configuration.deflate == nil {
            parserConfig.maxFrameSize = UInt64(configuration.maximumFrameSize)
            parserConfig.maxMessageSize = UInt64(configuration.maximumMessageSize)
        } else {
            // Only the decompressed size of a compressed message counts, and incompressible data
            // grows a little when deflated: the wire may carry slightly more than the limit. The
            // parser gets deflate's worst-case growth on top (it still bounds a peer that sends
            // endless empty blocks); uncompressed frames are held to the exact limits in `handle`.
            parserConfig.maxFrameSize = Self.deflatedBound(configuration.maximumFrameSize)
            parserConfig.maxMessageSize = Self.deflatedBound(configuration.maximumMessageSize)
        }
        parserConfig.requireMinimalLength = configuration.requireMinimalLength
        parserConfig.allowedReservedBits = configuration.deflate == nil ? [] : [.rsv1]
        self.parser = FrameParser(configuration: parserConfig)
        self.encoder = FrameEncoder(role: configuration.role)
        self.codec = configuration.deflate.map {
            DeflateCodec(negotiated: $0, role: configuration.role,
                         maxDecompressedMessageSize: configuration.maximumMessageSize,
                         compressionLevel: configuration.compressionLevel)
        }
    }

    /// The most bytes `size` bytes can take once deflated (zlib's stored blocks add 5 bytes per
    /// 64 KiB; a margin of 1/16 plus 1 KiB also covers sync-flush markers between frames).
    static func deflatedBound(_ size: Int) -> UInt64 {
        let (bound, overflow) = UInt64(size).addingReportingOverflow(UInt64(size) / 16 + 1024)
        return overflow ? .max : bound
    }

    // MARK: Input

    /// Feeds bytes read from the peer. Nothing is parsed yet: `nextEvent()` parses lazily, one event
    /// at a time, so that a caller reacting to an event (echoing a message) acts before a later frame
    /// in the same read can fail the connection — the order a peer observes matches the order it sent.
    public mutating func receive(_ bytes: ByteBuffer) {
        guard state == .open || state == .closeSent else { return }
        parser.append(bytes)
    }

    /// The next event, parsing buffered input as far as needed to produce it; nil when more bytes are needed.
    public mutating func nextEvent() -> ConnectionEvent? {
        if eventIndex == events.count {
            events.removeAll(keepingCapacity: true)
            eventIndex = 0
            do {
                while events.isEmpty, state == .open || state == .closeSent, let event = try parser.nextEvent() {
                    try handle(event)
                }
            } catch {
                fail(error)
            }
            guard !events.isEmpty else { return nil }
        }
        defer { eventIndex += 1 }
        return events[eventIndex]
    }

    private mutating func handle(_ event: FrameParserEvent) throws(ProtocolError) {
        switch event {
        case let .header(header):
            frame = header
            if reportFrames { events.append(.frameReceived(header)) }
            if header.opcode.isControl {
                controlPayload.clear()
            } else if header.opcode != .continuation {
                message = MessageAssembly(kind: header.opcode == .text ? .text : .binary,
                                          compressed: header.rsv.contains(.rsv1))
            }
            if codec != nil, !header.opcode.isControl, let msg = message, !msg.compressed {
                try checkUncompressedSize(header, soFar: msg.payload.readableBytes)
            }
        case let .payload(chunk, frameComplete):
            guard let header = frame else { return }
            if header.opcode.isControl {
                var chunk = chunk
                controlPayload.writeBuffer(&chunk)
                if frameComplete { try handleControl(header.opcode, offset: parser.streamOffset) }
            } else {
                try handleData(chunk, fin: header.fin && frameComplete, offset: parser.streamOffset - chunk.readableBytes)
            }
            if frameComplete { frame = nil }
        }
    }

    /// With permessage-deflate the parser's limits are loosened for compressed data (see `init`);
    /// an uncompressed frame is checked here against the exact limits, as the parser would have.
    private func checkUncompressedSize(_ header: FrameHeader, soFar: Int) throws(ProtocolError) {
        let lengthOffset = parser.streamOffset - header.headerLength + (header.lengthEncoding == .short ? 1 : 2)
        if header.payloadLength > UInt64(configuration.maximumFrameSize) {
            throw ProtocolError(.frameTooLarge(length: header.payloadLength, limit: UInt64(configuration.maximumFrameSize)),
                                offset: lengthOffset)
        }
        let size = UInt64(soFar) + header.payloadLength
        if size > UInt64(configuration.maximumMessageSize) {
            throw ProtocolError(.messageTooLarge(size: size, limit: UInt64(configuration.maximumMessageSize)),
                                offset: lengthOffset)
        }
    }

    private mutating func handleData(_ chunk: ByteBuffer, fin: Bool, offset: Int) throws(ProtocolError) {
        guard var msg = message else { return }
        message = nil  // keep the payload buffer uniquely referenced: appending must not copy it
        var data = chunk
        if msg.compressed, let codec {
            do { data = try codec.decompress(chunk: chunk, isFinal: fin) } catch {
                // zlib failing for local reasons is not the peer's fault, but the message is lost all the same.
                throw ProtocolError(error.protocolViolation ?? .invalidCompressedData(error.description), offset: offset)
            }
        }
        if msg.payload.readableBytes + data.readableBytes > configuration.maximumMessageSize {
            throw ProtocolError(.messageTooLarge(size: UInt64(msg.payload.readableBytes + data.readableBytes),
                                                 limit: UInt64(configuration.maximumMessageSize)), offset: offset)
        }
        if msg.kind == .text, configuration.validateUTF8 {
            let before = msg.utf8.bytesSeen
            if let bad = msg.utf8.validate(data) {
                // Uncompressed: point at the offending byte on the wire; compressed: at the chunk.
                let wire = msg.compressed ? offset : offset + (bad - before)
                throw ProtocolError(.invalidUTF8InText(messageOffset: bad), offset: wire)
            }
            if fin, let bad = msg.utf8.finish() {
                throw ProtocolError(.invalidUTF8InText(messageOffset: bad), offset: offset + data.readableBytes)
            }
        }
        msg.payload.writeImmutableBuffer(data)
        if fin {
            // Also after our Close: the peer may finish what it was sending before it answers
            // (RFC 6455 §5.5.1; Autobahn 7.1.6 records echoes that arrive after its Close).
            events.append(.message(msg.kind, msg.payload))
            message = nil
        } else {
            message = msg
        }
    }

    private mutating func handleControl(_ opcode: Opcode, offset: Int) throws(ProtocolError) {
        let payload = controlPayload
        switch opcode {
        case .ping:
            events.append(.ping(payload))
            // Our Close must be the last frame we send (§5.5.1): no pong once closing.
            if configuration.autoReplyPing, state == .open { send(Frame(opcode: .pong, payload: payload)) }
        case .pong:
            events.append(.pong(payload))
        case .close:
            let close: ClosePayload
            switch ClosePayload.parse(payload) {
            case let .success(parsed): close = parsed
            case let .failure(violation): throw ProtocolError(violation, offset: offset - payload.readableBytes)
            }
            receivedClose = close
            events.append(.closeReceived(close.code, reason: close.reason))
            if state == .open {
                // Echo the peer's code (RFC 6455 §5.5.1); an empty Close is answered with an empty one.
                let reply = ClosePayload(code: close.code, reason: ByteBuffer())
                sentClose = reply
                send(Frame(opcode: .close, payload: reply.encode()))
            }
            state = .closed
        default:
            break
        }
    }

    private mutating func fail(_ error: ProtocolError) {
        events.append(.failed(error))
        if state == .open {
            let close = ClosePayload(code: error.closeCode, reason: ByteBuffer())
            sentClose = close
            send(Frame(opcode: .close, payload: close.encode()))
        }
        state = .failed
    }

    // MARK: Output

    /// Queues a text or binary message (compressed when permessage-deflate is active), optionally
    /// fragmented into frames of at most `fragmentSize` payload bytes.
    public mutating func send(_ kind: MessageKind, _ payload: ByteBuffer, fragmentSize: Int? = nil) {
        guard state == .open else { return }
        var body = payload
        var rsv: ReservedBits = []
        if let codec, let compressed = try? codec.compress(message: payload) {
            body = compressed
            rsv = .rsv1
        }
        let size = max(1, fragmentSize ?? Int.max)
        var opcode = kind.opcode
        repeat {
            let n = min(size, body.readableBytes)
            let part = body.readSlice(length: n)!
            send(Frame(fin: body.readableBytes == 0, rsv: rsv, opcode: opcode, payload: part))
            opcode = .continuation
            rsv = []
        } while body.readableBytes > 0
    }

    public mutating func sendPing(_ payload: ByteBuffer = ByteBuffer()) {
        guard state == .open else { return }
        send(Frame(opcode: .ping, payload: payload))
    }

    public mutating func sendPong(_ payload: ByteBuffer = ByteBuffer()) {
        guard state == .open else { return }
        send(Frame(opcode: .pong, payload: payload))
    }

    /// Starts the closing handshake (code nil sends an empty Close).
    public mutating func close(code: CloseCode? = .normalClosure, reason: String = "") {
        guard state == .open else { return }
        let close = ClosePayload(code: code, reason: ByteBuffer(string: reason))
        sentClose = close
        send(Frame(opcode: .close, payload: close.encode()))
        state = .closeSent
    }

    /// Queues any frame as given, valid or not (the harness's deliberate violations go through here);
    /// a client masks it with a fresh key unless the frame carries its own.
    public mutating func send(_ frame: Frame) {
        encoder.encode(frame, into: &output)
    }

    /// Queues raw bytes unchanged.
    public mutating func sendRaw(_ bytes: ByteBuffer) {
        var bytes = bytes
        output.writeBuffer(&bytes)
    }

    /// Bytes to write to the peer, in order; empties the queue.
    public mutating func takeOutput() -> ByteBuffer? {
        guard output.readableBytes > 0 else { return nil }
        defer { output = ByteBuffer() }
        return output
    }

    /// True once the WebSocket is over and TCP should be closed by this side: a server closes right
    /// after the closing handshake or after failing; a client waits for the server to close TCP first.
    public var shouldCloseTCP: Bool {
        switch state {
        case .open, .closeSent: false
        case .closed, .failed: configuration.role == .server
        }
    }
}
