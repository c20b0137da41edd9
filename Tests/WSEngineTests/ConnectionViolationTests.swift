import NIOCore
import Testing
import WSEngine

/// One way for a peer to break the protocol, and how the connection must fail (RFC 6455 §7.1.7, §7.4.1).
struct ViolationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var configuration: ConnectionConfiguration
    var wire: ByteBuffer
    /// The violation reported; nil when only the close code is checked (zlib's wording is not ours).
    var violation: ProtocolViolation?
    var closeCode: CloseCode
    var testDescription: String { name }

    static func server(_ name: String, _ frames: [Frame], violations: FrameViolations = .none,
                       _ violation: ProtocolViolation?, _ code: CloseCode,
                       configuration: ConnectionConfiguration = ConnectionConfiguration(role: .server)) -> ViolationCase {
        ViolationCase(name: name, configuration: configuration,
                      wire: ConnectionWire.bytes(frames, from: .client, violations: violations),
                      violation: violation, closeCode: code)
    }

    static let deflate = ConnectionConfiguration(role: .server, deflate: NegotiatedDeflate())
    static let small = ConnectionConfiguration(role: .server, maximumMessageSize: 100, maximumFrameSize: 80)

    static func text(_ bytes: [UInt8], fin: Bool = true) -> Frame { Frame(fin: fin, opcode: .text, bytes: bytes) }
    static func close(_ code: UInt16, reason: [UInt8] = []) -> Frame {
        Frame(opcode: .close, payload: ClosePayload(code: CloseCode(code), reason: ByteBuffer(bytes: reason)).encode())
    }

    static let all: [ViolationCase] = [
        // 1002: framing.
        .server("RSV2 without extension", [Frame(rsv: .rsv2, opcode: .text, bytes: [0x61])],
                .reservedBitsSet(.rsv2, opcode: .text), .protocolError),
        .server("RSV1 without permessage-deflate", [Frame(rsv: .rsv1, opcode: .binary, bytes: [1])],
                .reservedBitsSet(.rsv1, opcode: .binary), .protocolError),
        .server("RSV3 on a ping", [Frame(rsv: .rsv3, opcode: .ping)], .reservedBitsSet(.rsv3, opcode: .ping), .protocolError),
        .server("reserved data opcode 3", [Frame(opcode: Opcode(rawValue: 3))], .reservedOpcode(Opcode(rawValue: 3)), .protocolError),
        .server("reserved control opcode B", [Frame(opcode: Opcode(rawValue: 0xB))], .reservedOpcode(Opcode(rawValue: 0xB)), .protocolError),
        .server("ping with 126 bytes", [Frame(opcode: .ping, payload: connectionPattern(126))],
                .controlFrameTooLong(opcode: .ping, length: 126), .protocolError),
        .server("fragmented ping", [Frame(fin: false, opcode: .ping)], .fragmentedControlFrame(.ping), .protocolError),
        .server("continuation without a message", [Frame(opcode: .continuation, bytes: [0x61])], .unexpectedContinuation, .protocolError),
        .server("text inside a fragmented message", [text([0x61], fin: false), text([0x62])],
                .expectedContinuation(got: .text), .protocolError),
        .server("non-minimal 16-bit length", [text([0x61])], violations: FrameViolations(lengthEncoding: .extended16),
                .nonMinimalLength(length: 1, encoding: .extended16), .protocolError),
        .server("64-bit length with the high bit", [text([0x61])], violations: FrameViolations(declaredLength: 1 << 63),
                .lengthHighBitSet, .protocolError),
        ViolationCase(name: "unmasked frame from a client", configuration: ConnectionConfiguration(role: .server),
                      wire: ConnectionWire.bytes(text([0x61]), from: .server), violation: .unmaskedFrameFromClient,
                      closeCode: .protocolError),
        ViolationCase(name: "masked frame from a server", configuration: ConnectionConfiguration(role: .client),
                      wire: ConnectionWire.bytes(text([0x61]), from: .client), violation: .maskedFrameFromServer,
                      closeCode: .protocolError),
        // 1002: close payloads.
        .server("close payload of 1 byte", [Frame(opcode: .close, bytes: [0x03])], .closePayloadTooShort, .protocolError),
        .server("close code 0", [close(0)], .invalidCloseCode(0), .protocolError),
        .server("close code 999", [close(999)], .invalidCloseCode(999), .protocolError),
        .server("close code 1004", [close(1004)], .invalidCloseCode(1004), .protocolError),
        .server("close code 1005", [close(1005)], .invalidCloseCode(1005), .protocolError),
        .server("close code 1006", [close(1006)], .invalidCloseCode(1006), .protocolError),
        .server("close code 1015", [close(1015)], .invalidCloseCode(1015), .protocolError),
        .server("close code 1016", [close(1016)], .invalidCloseCode(1016), .protocolError),
        .server("close code 2999", [close(2999)], .invalidCloseCode(2999), .protocolError),
        .server("close code 5000", [close(5000)], .invalidCloseCode(5000), .protocolError),
        .server("close code 65535", [close(65535)], .invalidCloseCode(65535), .protocolError),
        // 1002: permessage-deflate.
        .server("RSV1 on a continuation", [Frame(fin: false, rsv: .rsv1, opcode: .text, bytes: [0x02, 0x00]),
                                           Frame(rsv: .rsv1, opcode: .continuation, bytes: [0x00])],
                .compressedBitMisplaced(opcode: .continuation), .protocolError, configuration: deflate),
        .server("RSV1 on a ping", [Frame(rsv: .rsv1, opcode: .ping)], .compressedBitMisplaced(opcode: .ping), .protocolError,
                configuration: deflate),
        .server("invalid DEFLATE data", [Frame(rsv: .rsv1, opcode: .binary, bytes: [0xFF, 0xFF, 0xFF])], nil, .protocolError,
                configuration: deflate),
        // 1007: UTF-8.
        .server("invalid UTF-8 in a text frame", [text([0x61, 0xCE, 0xBA, 0xFF, 0x61])], .invalidUTF8InText(messageOffset: 3),
                .invalidPayloadData),
        .server("text ending inside a sequence", [text([0x61, 0xE2, 0x82])], .invalidUTF8InText(messageOffset: 3),
                .invalidPayloadData),
        .server("surrogate in a fragmented text", [text([0x61], fin: false), Frame(opcode: .continuation, bytes: [0xED, 0xA0, 0x80])],
                .invalidUTF8InText(messageOffset: 2), .invalidPayloadData),
        .server("invalid UTF-8 in a close reason", [close(1000, reason: [0x6F, 0x6B, 0xC0, 0xAF])],
                .invalidUTF8InCloseReason(reasonOffset: 2), .invalidPayloadData),
        // 1009: sizes.
        .server("frame over the frame limit", [Frame(opcode: .binary, payload: connectionPattern(81))],
                .frameTooLarge(length: 81, limit: 80), .messageTooBig, configuration: small),
        .server("message over the message limit", [Frame(fin: false, opcode: .binary, payload: connectionPattern(60)),
                                                   Frame(opcode: .continuation, payload: connectionPattern(41))],
                .messageTooLarge(size: 101, limit: 100), .messageTooBig, configuration: small),
    ]
}

@Suite struct ConnectionViolationTests {
    @Test(arguments: ViolationCase.all)
    func failsWithTheRightCloseCode(_ testCase: ViolationCase) throws {
        var connection = Connection(configuration: testCase.configuration)
        // A valid message first: it is delivered, and the violation after it fails the connection.
        let valid = Frame(opcode: .binary, bytes: [1, 2, 3])
        var wire = ConnectionWire.bytes(valid, from: testCase.configuration.role.peer)
        let prefix = wire.readableBytes
        wire.writeImmutableBuffer(testCase.wire)
        let events = connection.events(receiving: wire)
        try #require(events.count == 2)
        #expect(events[0] == .message(.binary, ByteBuffer(bytes: [1, 2, 3])))
        let error = try #require(events[1].failure)
        if let violation = testCase.violation {
            #expect(error.violation == violation)
        } else {
            #expect({ if case .invalidCompressedData = error.violation { true } else { false } }())
        }
        #expect(error.closeCode == testCase.closeCode)
        // Within the offending frame (or just past it, where a truncated UTF-8 sequence's next byte was due).
        #expect(error.offset >= prefix && error.offset <= wire.readableBytes)

        // Exactly one Close, with the violation's code, is queued for the peer.
        let frames = connection.takeFrames()
        #expect(frames.map(\.opcode) == [.close])
        #expect(frames.first?.closePayload?.code == testCase.closeCode)
        #expect(connection.sentClose?.code == testCase.closeCode)
        #expect(connection.state == .failed)
        #expect(connection.shouldCloseTCP == (testCase.configuration.role == .server))

        // Nothing more is read or written.
        connection.receive(ConnectionWire.bytes([valid, Frame(opcode: .ping)], from: testCase.configuration.role.peer))
        connection.send(.text, ByteBuffer(string: "x"))
        connection.close()
        #expect(connection.nextEvent() == nil)
        #expect(connection.takeOutput() == nil)
    }

    @Test(arguments: ViolationCase.all)
    func failsTheSameWayWhateverTheSplit(_ testCase: ViolationCase) throws {
        var reference = Connection(configuration: testCase.configuration)
        let expected = reference.events(receiving: testCase.wire)
        let bytewise = (1..<testCase.wire.readableBytes).map { $0 }
        var connection = Connection(configuration: testCase.configuration)
        let events = connection.receive(testCase.wire, cuts: bytewise).map(\.event)
        #expect(events == expected)
        #expect(connection.takeFrames().first?.closePayload?.code == testCase.closeCode)
    }

    @Test func echoOfAMessageBeforeTheViolationGoesOutBeforeTheClose() {
        // Autobahn 3.2: text; text with RSV2; ping, in one read. OK = the first text is echoed.
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        server.receive(ConnectionWire.bytes([ViolationCase.text(Array("Hello, world!".utf8)),
                                             Frame(rsv: .rsv2, opcode: .text, bytes: Array("Hello, world!".utf8)),
                                             Frame(opcode: .ping)]))
        #expect(server.state == .open, "nothing happens before the application takes the events")
        var events: [ConnectionEvent] = []
        while let event = server.nextEvent() {
            events.append(event)
            if case let .message(kind, payload) = event { server.send(kind, payload) }
        }
        #expect(events.map(\.messageText) == ["Hello, world!", nil])
        #expect(events.last?.failure?.violation == .reservedBitsSet(.rsv2, opcode: .text))
        let out = server.takeFrames()
        #expect(out.map(\.opcode) == [.text, .close])
        #expect(out.last?.closePayload?.code == .protocolError)
        #expect(server.state == .failed)
    }

    @Test func failureOffsetPointsAtTheBadByte() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        // 6-byte header, then "a" (offset 6), CE BA (7, 8), FF (9).
        let events = server.events(receiving: ConnectionWire.bytes(ViolationCase.text([0x61, 0xCE, 0xBA, 0xFF])))
        #expect(events.map(\.failure?.offset) == [9])
        var second = Connection(configuration: ConnectionConfiguration(role: .server))
        // Two frames: 6 + 1, then header 6 at 7...12, payload at 13: the RSV byte of frame 2 is at 7.
        let frames = [ViolationCase.text([0x61], fin: false), Frame(rsv: .rsv2, opcode: .continuation, bytes: [0x62])]
        #expect(second.events(receiving: ConnectionWire.bytes(frames)).map(\.failure?.offset) == [7])
    }

    @Test func validateUTF8OffAcceptsAnyText() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server, validateUTF8: false))
        let bytes: [UInt8] = [0xFF, 0xC0, 0xAF]
        #expect(server.events(receiving: ConnectionWire.bytes(ViolationCase.text(bytes))) == [.message(.text, ByteBuffer(bytes: bytes))])
    }

    @Test func nonMinimalLengthsAreAcceptedWhenAllowed() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server, requireMinimalLength: false))
        let wire = ConnectionWire.bytes(ViolationCase.text([0x61]), violations: FrameViolations(lengthEncoding: .extended64))
        #expect(server.events(receiving: wire).map(\.messageText) == ["a"])
    }

    @Test func messageAtTheLimitIsAccepted() {
        var server = Connection(configuration: ViolationCase.small)
        let frames = [Frame(fin: false, opcode: .binary, payload: connectionPattern(80)),
                      Frame(opcode: .continuation, payload: connectionPattern(20))]
        #expect(server.events(receiving: ConnectionWire.bytes(frames)) == [.message(.binary, connectionPattern(80).appending(connectionPattern(20)))])
    }
}

extension ByteBuffer {
    func appending(_ other: ByteBuffer) -> ByteBuffer {
        var copy = self
        copy.writeImmutableBuffer(other)
        return copy
    }
}
