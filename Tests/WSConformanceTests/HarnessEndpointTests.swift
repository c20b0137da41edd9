import NIOCore
import Testing
import WSEngine
@testable import WSCaseRunner

/// The harness's endpoint without sockets: bytes in, effects out, Autobahn's rules.
@Suite("Fuzzer endpoint")
struct HarnessEndpointTests {
    /// A frame as a server sends it (unmasked unless a key is given).
    static func frame(_ op: UInt8, _ payload: [UInt8] = [], fin: Bool = true, rsv: UInt8 = 0, key: MaskingKey? = nil) -> ByteBuffer {
        FrameWriter.bytes(Frame(fin: fin, rsv: ReservedBits(rawValue: rsv), opcode: Opcode(rawValue: op), maskingKey: key, bytes: payload))
    }

    /// Feeds octets and returns every effect, processing to the end.
    static func feed(_ e: inout HarnessEndpoint, _ bytes: ByteBuffer) -> [EndpointEffect] {
        e.receive(bytes)
        var out: [EndpointEffect] = []
        while e.process() { out += e.takeEffects() }
        return out + e.takeEffects()
    }

    static func messages(_ effects: [EndpointEffect]) -> [String] {
        effects.compactMap {
            if case let .message(_, b) = $0 { return String(buffer: b) }
            if case let .pong(b) = $0 { return "pong:" + String(buffer: b) }
            return nil
        }
    }

    static func writes(_ effects: [EndpointEffect]) -> [ByteBuffer] {
        effects.compactMap { if case let .write(w) = $0 { return w.bytes } else { return nil } }
    }

    /// The Close frames the harness wrote, unmasked: (code, reason).
    static func closes(_ effects: [EndpointEffect]) -> [(UInt16?, String)] {
        writes(effects).compactMap { bytes in
            var p = FrameParser(configuration: .init(role: .server))
            p.append(bytes)
            guard let f = try? p.nextFrame(), f.opcode == .close else { return nil }
            var body = f.payload
            let code = body.readInteger(as: UInt16.self)
            return (code, String(buffer: body))
        }
    }

    @Test("A message is delivered; a peer Close is answered with 1000 whatever its code")
    func messageAndCloseReply() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        var bytes = Self.frame(1, Array("hi".utf8))
        bytes.writeImmutableBuffer(Self.frame(8, [0x03, 0xF3]))  // 1011
        let effects = Self.feed(&e, bytes)
        #expect(Self.messages(effects) == ["hi"])
        #expect(Self.closes(effects).map(\.0) == [1000])
        #expect(e.closeInitiator == .peer)
        #expect(e.closeReceived?.code == .internalError)
        #expect(e.state == .closing)
        #expect(effects.contains { if case .startTimer(.serverConnectionDrop) = $0 { true } else { false } })
    }

    @Test("Auto-close happens before the next frame is processed: process() stops after each delivery")
    func stopsAfterEachEvent() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        var bytes = Self.frame(10, Array("a".utf8))
        bytes.writeImmutableBuffer(Self.frame(8, [0x03, 0xE8]))
        e.receive(bytes)
        let stopped = e.process()
        #expect(stopped)
        #expect(Self.messages(e.takeEffects()) == ["pong:a"])
        // The case reacts (Autobahn's finishWhenDone) while the peer's Close is still unread.
        e.sendClose(payload: [0x03, 0xE8])
        _ = e.takeEffects()
        let more = e.process()
        #expect(!more)
        #expect(e.closeInitiator == .harness)
        #expect(e.closeReceived?.code == .normalClosure)
    }

    @Test("A violation fails with 1002 and parsing goes on: the peer's Close reply is still seen")
    func violationThenCloseReply() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        var bytes = Self.frame(1, Array("x".utf8), rsv: 2)
        bytes.writeImmutableBuffer(Self.frame(8, [0x03, 0xEA]))
        let effects = Self.feed(&e, bytes)
        #expect(Self.closes(effects).map(\.0) == [1002])
        #expect(Self.messages(effects).isEmpty, "nothing is delivered after the harness failed")
        #expect(e.failedByMe)
        #expect(e.closeReceived?.code == .protocolError)
        guard case let .protocolViolation(error)? = e.failure else {
            Issue.record("expected a protocol violation")
            return
        }
        #expect(error.violation == .reservedBitsSet(.rsv2, opcode: .text))
    }

    @Test("A second violation while closing drops TCP (Autobahn's failConnection in CLOSING)")
    func secondViolationDrops() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        // A masked frame from a server with a reserved opcode: two violations in one header.
        let effects = Self.feed(&e, Self.frame(3, [], key: MaskingKey(1, 2, 3, 4)))
        #expect(Self.closes(effects).map(\.0) == [1002])
        #expect(effects.contains { if case .drop(abort: false) = $0 { true } else { false } })
        #expect(e.state == .closed)
        #expect(e.droppedByMe)
    }

    @Test("Pongs are delivered even after the harness failed the connection; messages are not")
    func pongAfterFailure() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        e.failConnection(code: .goingAway, reason: "Going Away", because: .guardTimer)
        _ = e.takeEffects()
        var bytes = Self.frame(1, Array("late".utf8))
        bytes.writeImmutableBuffer(Self.frame(10, Array("p".utf8)))
        #expect(Self.messages(Self.feed(&e, bytes)) == ["pong:p"])
    }

    @Test("Close codes: 1012-1014 are accepted, 1005 and 999 are violations")
    func closeCodes() {
        for (code, ok) in [(UInt16(1012), true), (1013, true), (1014, true), (1005, false), (999, false)] {
            var e = HarnessEndpoint(role: .client, deflate: nil)
            let effects = Self.feed(&e, Self.frame(8, [UInt8(code >> 8), UInt8(code & 0xFF)]))
            #expect(Self.closes(effects).map(\.0) == [ok ? 1000 : 1002], "code \(code)")
            #expect(e.closeReceived?.code == CloseCode(code))
            // Autobahn: failing on a bad Close makes the harness the closing side.
            #expect(e.closeInitiator == (ok ? .peer : .harness), "code \(code)")
        }
    }

    @Test("Invalid UTF-8 in a text message fails with 1007 and then drops at the end of the message")
    func invalidUTF8() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        let effects = Self.feed(&e, Self.frame(1, [0xCE, 0xBA, 0xED, 0xA0, 0x80]))
        #expect(Self.closes(effects).map(\.0) == [1007])
        #expect(e.state == .closed, "the end-of-message check fails again while closing")
        #expect(Self.messages(effects).isEmpty)
    }

    @Test("Non-minimal lengths and 64-bit lengths with the top bit set are violations")
    func lengthEncodings() {
        var e = HarnessEndpoint(role: .client, deflate: nil)
        let nonMinimal = FrameWriter.bytes(Frame(opcode: .text, bytes: Array("abc".utf8)),
                                           violations: FrameViolations(lengthEncoding: .extended16))
        let effects = Self.feed(&e, nonMinimal)
        #expect(Self.closes(effects).map(\.0) == [1002])
        guard case let .protocolViolation(error)? = e.failure else { Issue.record("no violation"); return }
        #expect(error.violation == .nonMinimalLength(length: 3, encoding: .extended16))
    }

    @Test("As server the harness requires masked frames and resets TCP after a closing handshake it started")
    func serverRole() {
        var e = HarnessEndpoint(role: .server, deflate: nil)
        e.sendClose(payload: [0x03, 0xE8])
        let sent = Self.writes(e.takeEffects())
        #expect(sent.first?.getInteger(at: sent[0].readerIndex + 1, as: UInt8.self).map { $0 & 0x80 } == 0, "server frames are unmasked")
        let effects = Self.feed(&e, Self.frame(8, [0x03, 0xE8], key: MaskingKey(9, 8, 7, 6)))
        #expect(effects.contains { if case .drop(abort: true) = $0 { true } else { false } })
        var unmasked = HarnessEndpoint(role: .server, deflate: nil)
        _ = Self.feed(&unmasked, Self.frame(1, Array("x".utf8)))
        guard case let .protocolViolation(error)? = unmasked.failure else { Issue.record("no violation"); return }
        #expect(error.violation == .unmaskedFrameFromClient)
    }

    @Test("Messages are compressed with RSV1 on the first frame only, and split like Autobahn's sendMessage")
    func compressedMessage() {
        var e = HarnessEndpoint(role: .client, deflate: NegotiatedDeflate(clientNoContextTakeover: true))
        e.sendMessage(.text, ByteBuffer(string: String(repeating: "abcdefgh", count: 200)), fragmentSize: 4)
        var parser = FrameParser(configuration: .init(role: .server, allowedReservedBits: [.rsv1]))
        for w in Self.writes(e.takeEffects()) { parser.append(w) }
        var frames: [Frame] = []
        while let f = try? parser.nextFrame() { frames.append(f) }
        #expect(frames.count > 1)
        #expect(frames.first?.rsv == .rsv1)
        #expect(frames.dropFirst().allSatisfy { $0.rsv == [] && $0.opcode == .continuation })
        #expect(frames.last?.fin == true)
    }
}
