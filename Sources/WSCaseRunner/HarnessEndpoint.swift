import NIOCore
import WSCatalog
import WSEngine
import WSJudge

/// The harness's own WebSocket endpoint after the opening handshake: a sans-I/O port of the state
/// machine Autobahn's fuzzer runs on (autobahn 0.10.9 `WebSocketProtocol`, autobahn.md §2–§3), so
/// that a peer scores the same here as there. Bytes go in through `receive`, actions come out as
/// `EndpointEffect`s; the caller owns sockets and clocks.
///
/// What it reproduces on purpose: the states OPEN → CLOSING → CLOSED; a Close in reply to the peer's
/// is always 1000; a violation by the peer fails the connection with Close 1002/1007 and parsing goes
/// on (a second failure while closing drops TCP); messages completing after the harness failed are
/// not delivered, pongs always are; pings are answered only while OPEN; raw frames are written in any
/// state but CLOSED, while messages, pings and state-changing Closes need OPEN. Deliberate difference:
/// close codes 1012–1014 (IANA-registered) are accepted from the peer.
struct HarnessEndpoint {
    enum State: Sendable { case open, closing, closed }

    let role: Role
    /// Fail connections by dropping TCP instead of sending a Close (Autobahn's `failByDrop`).
    let failByDrop: Bool
    /// Largest message the harness assembles; a larger one fails the connection with 1009.
    let maximumMessageSize: Int

    private(set) var state: State = .open
    /// Autobahn's flags, named as there.
    private(set) var closedByMe = false
    private(set) var failedByMe = false
    private(set) var droppedByMe = false
    private(set) var wasCloseHandshakeTimeout = false
    private(set) var wasServerConnectionDropTimeout = false
    /// The Close the harness sent (state-changing, replies included) and the peer's first Close.
    private(set) var closeSent: CloseRecord?
    private(set) var closeReceived: CloseRecord?
    /// Who sent the first Close.
    private(set) var closeInitiator: Endpoint?
    /// The first reason the harness failed the connection or gave up on it.
    private(set) var failure: HarnessFailureReason?
    /// Frames per opcode, both directions (Autobahn's tx/rxFrameStats).
    private(set) var sentFrames: [UInt8: Int] = [:]
    private(set) var receivedFrames: [UInt8: Int] = [:]
    /// Data-frame payload octets before and after compression, for compression ratios.
    private(set) var traffic = TrafficStats(outgoingAppOctets: 0, outgoingWebSocketOctets: 0,
                                            incomingAppOctets: 0, incomingWebSocketOctets: 0)

    let codec: DeflateCodec?
    var reader = PeerFrameReader()
    var effects: [EndpointEffect] = []
    /// Receiving state (Autobahn's `inside_message`, `current_frame`, message buffers).
    var frame: RawFrameHeader?
    var insideMessage = false
    var messageCompressed = false
    var messageIsBinary = false
    var validatingText = false
    var utf8 = UTF8Validator()
    var messageData = ByteBuffer()
    var messageSize = 0
    var controlData = ByteBuffer()
    var frameHead: [UInt8] = []
    var frameSize = 0
    var maskingKeys = MaskingKeyPool()
    /// The frame being streamed by `frameBegin`/`frameData`.
    private var streamKey: MaskingKey?
    private var streamOffset = 0

    init(role: Role, deflate: NegotiatedDeflate?, failByDrop: Bool = false, maximumMessageSize: Int = 256 << 20,
         compressionLevel: Int = 1, strictDeflate: Bool = false) {
        self.role = role
        self.failByDrop = failByDrop
        self.maximumMessageSize = maximumMessageSize
        self.codec = deflate.map {
            DeflateCodec(negotiated: $0, role: role, maxDecompressedMessageSize: maximumMessageSize,
                         compressionLevel: compressionLevel, inflatesWithNegotiatedWindow: strictDeflate)
        }
    }

    var isOpen: Bool { state == .open }

    mutating func takeEffects() -> [EndpointEffect] {
        defer { effects.removeAll(keepingCapacity: true) }
        return effects
    }

    // MARK: Sending

    /// Writes one frame exactly as described (Autobahn's `sendFrame`): no state check except that
    /// nothing is written once TCP is gone.
    mutating func sendFrame(opcode: Opcode, fin: Bool = true, rsv: ReservedBits = [], payload: ByteBuffer,
                            mask: MaskChoice = .auto, lengthEncoding: LengthEncoding? = nil, declaredLength: UInt64? = nil,
                            chop: Int? = nil, sync: Bool = false, armsCloseTimer: Bool = false) {
        guard state != .closed else { return }
        let key = resolve(mask)
        let frame = Frame(fin: fin, rsv: rsv, opcode: opcode, maskingKey: key, payload: payload)
        let bytes = FrameWriter.bytes(frame, violations: FrameViolations(lengthEncoding: lengthEncoding, declaredLength: declaredLength))
        countSent(opcode, payloadOctets: payload.readableBytes)
        effects.append(.log(.frame(opcode: opcode.rawValue, fin: fin, rsv: rsv.rawValue, maskingKey: key,
                                   payloadLength: declaredLength ?? UInt64(payload.readableBytes),
                                   head: Array(payload.readableBytesView.prefix(64))), .sent))
        effects.append(.write(OutgoingWrite(bytes: bytes, chop: chop, sync: sync, armsCloseTimer: armsCloseTimer)))
    }

    /// Writes only a frame header announcing `length` octets; `frameData` streams the payload.
    mutating func frameBegin(opcode: Opcode, fin: Bool, rsv: ReservedBits, length: UInt64, mask: MaskChoice) {
        guard state != .closed else { return }
        let key = resolve(mask)
        var bytes = ByteBuffer()
        FrameWriter.writeHeader(FrameHeader(fin: fin, rsv: rsv, opcode: opcode, maskingKey: key, payloadLength: length),
                                into: &bytes)
        streamKey = key
        streamOffset = 0
        countSent(opcode, payloadOctets: Int(clamping: length))
        effects.append(.log(.frame(opcode: opcode.rawValue, fin: fin, rsv: rsv.rawValue, maskingKey: key,
                                   payloadLength: length, head: []), .sent))
        effects.append(.write(OutgoingWrite(bytes: bytes, chop: nil, sync: true)))
    }

    /// The next chunk of the frame begun with `frameBegin`, as its own write.
    mutating func frameData(_ payload: ByteBuffer) {
        guard state != .closed else { return }
        var bytes = ByteBuffer()
        FrameWriter.writePayload(payload, maskingKey: streamKey, phase: streamOffset & 3, into: &bytes)
        streamOffset += payload.readableBytes
        effects.append(.write(OutgoingWrite(bytes: bytes, chop: nil, sync: true)))
    }

    /// Raw octets, unframed.
    mutating func sendRaw(_ bytes: ByteBuffer, chop: Int?, sync: Bool) {
        guard state != .closed else { return }
        effects.append(.write(OutgoingWrite(bytes: bytes, chop: chop, sync: sync)))
    }

    /// A whole message, compressed when permessage-deflate is in use, split like Autobahn's
    /// `sendMessage` (`MessageStep.plan`). Only while OPEN.
    mutating func sendMessage(_ type: MessageType, _ payload: ByteBuffer, fragmentSize: Int?, sync: Bool = false) {
        guard state == .open else { return }
        var body = payload
        var compressed = false
        if let codec {
            do {
                body = try codec.compress(message: payload)
                compressed = true
            } catch {
                failure = failure ?? .other("compressing a message failed: \(error)")
                dropConnection(abort: true)
                return
            }
        }
        traffic.outgoingAppOctets += payload.readableBytes
        for plan in MessageStep.plan(type: type, length: body.readableBytes, fragmentSize: fragmentSize, compressed: compressed) {
            let part = body.getSlice(at: body.readerIndex + plan.range.lowerBound, length: plan.range.count)!
            traffic.outgoingWebSocketOctets += part.readableBytes
            sendFrame(opcode: plan.opcode, fin: plan.fin, rsv: plan.compressed ? .rsv1 : [], payload: part, sync: sync)
        }
    }

    /// A ping, only while OPEN (Autobahn's `sendPing`).
    mutating func sendPing(_ payload: ByteBuffer) {
        guard state == .open else { return }
        sendFrame(opcode: .ping, payload: payload)
    }

    /// A state-changing Close (Autobahn's `sendCloseFrame`): ignored unless OPEN; when the harness
    /// starts the closing handshake it waits for the peer's Close (the `closeHandshake` timer, armed
    /// by the driver once the frame is written: `OutgoingWrite.armsCloseTimer`).
    mutating func sendClose(payload: [UInt8], isReply: Bool = false) {
        guard state == .open else { return }
        sendFrame(opcode: .close, payload: ByteBuffer(bytes: payload), armsCloseTimer: !isReply)
        state = .closing
        closedByMe = !isReply
        // Autobahn's closedByMe: set by whoever's Close the harness's Close answers or starts.
        closeInitiator = isReply ? .peer : .harness
        let code = payload.count >= 2 ? CloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1])) : nil
        closeSent = CloseRecord(code: code, reason: Array(payload.dropFirst(2)))
    }

    /// Fails the connection (Autobahn's `failConnection`): Close with `code` and `reason` while OPEN,
    /// a FIN while already closing, a reset with `failByDrop`.
    mutating func failConnection(code: CloseCode, reason: String, because why: HarnessFailureReason) {
        guard state != .closed else { return }
        failedByMe = true
        if failure == nil { failure = why }
        if failByDrop {
            dropConnection(abort: true)
        } else if state != .closing {
            sendClose(payload: closePayload(code, String(decoding: Array(reason.utf8.prefix(123)), as: UTF8.self)))
        } else {
            dropConnection(abort: false)
        }
    }

    /// Closes TCP from the harness's side (Autobahn's `dropConnection`).
    mutating func dropConnection(abort: Bool) {
        guard state != .closed else { return }
        droppedByMe = true
        state = .closed
        effects.append(.cancelTimer(.closeHandshake))
        effects.append(.cancelTimer(.serverConnectionDrop))
        effects.append(.drop(abort: abort))
    }

    /// TCP is gone (either side).
    mutating func connectionLost() {
        state = .closed
        effects.append(.cancelTimer(.closeHandshake))
        effects.append(.cancelTimer(.serverConnectionDrop))
    }

    /// The peer did not answer the harness's Close in time.
    mutating func closeHandshakeTimedOut() {
        guard state != .closed else { return }
        wasCloseHandshakeTimeout = true
        if failure == nil { failure = .closeHandshakeTimeout }
        dropConnection(abort: true)
    }

    /// Harness as client: the server did not close TCP after the closing handshake.
    mutating func serverConnectionDropTimedOut() {
        guard state != .closed else { return }
        wasServerConnectionDropTimeout = true
        if failure == nil { failure = .serverConnectionDropTimeout }
        dropConnection(abort: true)
    }

    /// Records a failure that is not the peer's fault (deadline, local errors) without acting.
    mutating func noteFailure(_ why: HarnessFailureReason) {
        if failure == nil { failure = why }
    }

    // MARK: Helpers

    func closePayload(_ code: CloseCode, _ reason: String) -> [UInt8] {
        [UInt8(code.rawValue >> 8), UInt8(code.rawValue & 0xFF)] + Array(reason.utf8)
    }

    private mutating func resolve(_ mask: MaskChoice) -> MaskingKey? {
        switch mask {
        case .auto: role.masksOutgoingFrames ? maskingKeys.take() : nil
        case .none: nil
        case .random: maskingKeys.take()
        case let .key(k): k
        }
    }

    private mutating func countSent(_ opcode: Opcode, payloadOctets: Int) {
        sentFrames[opcode.rawValue, default: 0] += 1
    }

    mutating func countReceived(_ opcode: UInt8) {
        receivedFrames[opcode, default: 0] += 1
    }

    mutating func addIncomingTraffic(wire: Int, app: Int) {
        traffic.incomingWebSocketOctets += wire
        traffic.incomingAppOctets += app
    }

    mutating func setClosing() { state = .closing }

    mutating func noteCloseReceived(_ record: CloseRecord) {
        if closeReceived == nil { closeReceived = record }
    }
}
