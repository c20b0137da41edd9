import NIOCore
import WSEngine
import WSJudge

extension HarnessEndpoint {
    /// Buffers octets read from the peer; `process()` consumes them. Ignored once TCP is gone.
    mutating func receive(_ bytes: ByteBuffer) {
        guard state != .closed else { return }
        reader.append(bytes)
    }

    /// Processes buffered input (Autobahn's `consumeData` / `processDataHybi`) until a message or
    /// pong is delivered, so that the caller can react to it (auto-close, next round trip) before
    /// the frames after it are processed, exactly as Autobahn's callbacks run synchronously.
    /// Returns true when it stopped at such an event and input may be left.
    mutating func process() -> Bool {
        while state != .closed, let item = reader.next() {
            switch item {
            case let .header(header):
                guard check(header) else { return false }
                beginFrame(header)
            case let .payload(chunk, complete):
                guard let header = frame else { continue }
                frameData(chunk, header)
                if complete, state != .closed {
                    frame = nil
                    if endFrame(header) { return true }
                }
            }
        }
        return false
    }

    // MARK: Header checks, in Autobahn's order

    /// Applies every header rule. Each violation fails the connection; parsing goes on unless the
    /// connection is gone (`failByDrop`, or a second failure while closing).
    private mutating func check(_ h: RawFrameHeader) -> Bool {
        let deflate = codec != nil
        let opcode = Opcode(rawValue: h.opcode)
        if h.rsv != 0 && !(deflate && h.rsv == 4) {
            guard violation(.reservedBitsSet(ReservedBits(rawValue: h.rsv), opcode: opcode), h) else { return false }
        }
        if role == .server && h.maskingKey == nil {
            guard violation(.unmaskedFrameFromClient, h) else { return false }
        }
        if role == .client && h.maskingKey != nil {
            guard violation(.maskedFrameFromServer, h) else { return false }
        }
        if h.isControl {
            if !h.fin { guard violation(.fragmentedControlFrame(opcode), h) else { return false } }
            if h.length7 > 125 { guard violation(.controlFrameTooLong(opcode: opcode, length: h.length), h) else { return false } }
            if ![8, 9, 10].contains(h.opcode) { guard violation(.reservedOpcode(opcode), h) else { return false } }
            if h.opcode == 8 && h.length7 == 1 { guard violation(.closePayloadTooShort, h) else { return false } }
            if deflate && h.rsv == 4 { guard violation(.compressedBitMisplaced(opcode: opcode), h) else { return false } }
        } else {
            if h.opcode > 2 { guard violation(.reservedOpcode(opcode), h) else { return false } }
            if !insideMessage && h.opcode == 0 { guard violation(.unexpectedContinuation, h) else { return false } }
            if insideMessage && h.opcode != 0 { guard violation(.expectedContinuation(got: opcode), h) else { return false } }
            if deflate && h.rsv == 4 && insideMessage {
                guard violation(.compressedBitMisplaced(opcode: opcode), h) else { return false }
            }
        }
        if h.length7 == 126 && h.length < 126 {
            guard violation(.nonMinimalLength(length: h.length, encoding: .extended16), h) else { return false }
        }
        if h.length7 == 127 {
            if h.length > UInt64(Int64.max) { guard violation(.lengthHighBitSet, h) else { return false } }
            if h.length < 65_536 { guard violation(.nonMinimalLength(length: h.length, encoding: .extended64), h) else { return false } }
        }
        return state != .closed
    }

    /// Autobahn's `protocolViolation`/`invalidPayload`: fail with the violation's code; returns
    /// whether processing may go on.
    @discardableResult
    private mutating func violation(_ v: ProtocolViolation, _ h: RawFrameHeader, offset: Int? = nil) -> Bool {
        let error = ProtocolError(v, offset: offset ?? h.offset)
        failConnection(code: v.closeCode, reason: v.description, because: .protocolViolation(error))
        return state != .closed && !failByDrop
    }

    // MARK: Frames

    private mutating func beginFrame(_ h: RawFrameHeader) {
        frame = h
        frameHead = []
        frameSize = 0
        if h.isControl {
            controlData.clear()
            return
        }
        guard !insideMessage else { return }
        insideMessage = true
        messageCompressed = codec != nil && h.rsv == 4
        messageIsBinary = h.opcode == 2
        validatingText = h.opcode == 1
        utf8.reset()
        messageData = ByteBuffer()
        messageSize = 0
    }

    private mutating func frameData(_ chunk: ByteBuffer, _ h: RawFrameHeader) {
        if frameHead.count < 64 { frameHead += chunk.readableBytesView.prefix(64 - frameHead.count) }
        frameSize += chunk.readableBytes
        if h.isControl {
            // Control payloads are at most 125 octets from a conforming peer; a lying header must
            // not make the harness buffer gigabytes.
            if controlData.readableBytes < 65_536 { controlData.writeImmutableBuffer(chunk) }
            return
        }
        var data = chunk
        if messageCompressed, let codec {
            let final = h.fin && UInt64(frameSize) == h.length
            do {
                data = try codec.decompress(chunk: chunk, isFinal: final)
            } catch {
                let v = error.protocolViolation ?? .invalidCompressedData(error.description)
                violation(v, h)
                return
            }
        }
        addIncomingTraffic(wire: chunk.readableBytes, app: data.readableBytes)
        if validatingText, let bad = utf8.validate(data) {
            guard violation(.invalidUTF8InText(messageOffset: bad), h) else { return }
        }
        messageSize += data.readableBytes
        if messageSize > maximumMessageSize {
            let limit = UInt64(maximumMessageSize)
            guard violation(.messageTooLarge(size: UInt64(messageSize), limit: limit), h) else { return }
        }
        // Nothing after a failure is delivered (Autobahn's onMessageEnd checks failedByMe), so
        // there is no point keeping it.
        if !failedByMe { messageData.writeImmutableBuffer(data) }
    }

    /// Returns true when a message or pong was delivered.
    private mutating func endFrame(_ h: RawFrameHeader) -> Bool {
        countReceived(h.opcode)
        effects.append(.log(.frame(opcode: h.opcode, fin: h.fin, rsv: h.rsv, maskingKey: h.maskingKey, payloadLength: h.length,
                                   head: frameHead), .received))
        if h.isControl {
            return processControlFrame(h)
        }
        guard h.fin else { return false }
        if validatingText, let bad = utf8.finish() {
            guard violation(.invalidUTF8InText(messageOffset: bad), h) else { return false }
        }
        let deliver = !failedByMe
        if deliver {
            effects.append(.message(messageIsBinary ? .binary : .text, messageData))
        }
        messageData = ByteBuffer()
        insideMessage = false
        return deliver
    }

    // MARK: Control frames

    private mutating func processControlFrame(_ h: RawFrameHeader) -> Bool {
        let payload = controlData
        switch h.opcode {
        case 8:
            // As Autobahn: a code needs 2 octets, a reason exists only after a code.
            var body = payload
            var code: CloseCode?
            var reason: [UInt8]?
            if body.readableBytes > 1, let raw = body.readInteger(as: UInt16.self) {
                code = CloseCode(raw)
                if body.readableBytes > 0 { reason = Array(body.readableBytesView) }
            }
            onCloseFrame(code: code, reason: reason, h)
        case 9:
            if state == .open { sendFrame(opcode: .pong, payload: payload) }
        case 10:
            effects.append(.pong(payload))
            return true
        default:
            break // a reserved control opcode that a violation let through
        }
        return false
    }

    /// Autobahn's `onCloseFrame`, with 1012–1014 accepted.
    private mutating func onCloseFrame(code: CloseCode?, reason: [UInt8]?, _ h: RawFrameHeader) {
        noteCloseReceived(CloseRecord(code: code, reason: reason ?? []))
        if let code, !code.isValidOnWire {
            guard violation(.invalidCloseCode(code), h) else { return }
        }
        if let reason, let bad = UTF8Validator.firstInvalidOffset(reason) {
            guard violation(.invalidUTF8InCloseReason(reasonOffset: bad), h) else { return }
        }
        switch state {
        case .closing:
            // The answer to the harness's Close: a complete closing handshake.
            effects.append(.cancelTimer(.closeHandshake))
            afterClosingHandshake(initiatedByHarness: true)
        case .open:
            sendClose(payload: closePayload(.normalClosure, ""), isReply: true)
            afterClosingHandshake(initiatedByHarness: false)
        case .closed:
            break
        }
    }

    /// Role seam: who closes TCP once both Close frames have been exchanged. The server closes at
    /// once (Autobahn resets it after a handshake it started, else sends a FIN); the client gives
    /// the server `serverConnectionDrop` time to do it.
    private mutating func afterClosingHandshake(initiatedByHarness: Bool) {
        switch role {
        case .server: dropConnection(abort: initiatedByHarness)
        case .client: effects.append(.startTimer(.serverConnectionDrop))
        }
    }
}
