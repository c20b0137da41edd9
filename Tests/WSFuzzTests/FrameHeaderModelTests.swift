import Testing
import WSEngine
@testable import WSFuzzFrames

/// The oracle behind the frame parser targets must itself be right: spot checks against RFC 6455 §5.2.
@Suite("FrameHeaderModel (the frame parser oracle)")
struct FrameHeaderModelTests {
    static func model(_ role: Role = .client, minimal: Bool = true, rsv: ReservedBits = [],
                      frameLimit: UInt64 = 1000, messageLimit: UInt64 = 1000) -> FrameHeaderModel {
        FrameHeaderModel(configuration: FrameParser.Configuration(role: role, maxFrameSize: frameLimit,
                                                                   maxMessageSize: messageLimit,
                                                                   allowedReservedBits: rsv,
                                                                   requireMinimalLength: minimal),
                         frameLimit: frameLimit)
    }

    @Test("RFC 6455 §5.7 headers are valid")
    func rfcExamples() {
        let text: [UInt8] = [0x81, 0x05]
        #expect(Self.model().judge(text[...], offset: 0)
            == .valid(FrameHeader(opcode: .text, payloadLength: 5), length: 2))
        let masked: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D]
        #expect(Self.model(.server).judge(masked[...], offset: 7)
            == .valid(FrameHeader(opcode: .text, maskingKey: MaskingKey(0x37, 0xFA, 0x21, 0x3D), payloadLength: 5), length: 6))
        let binary256: [UInt8] = [0x82, 0x7E, 0x01, 0x00]
        #expect(Self.model().judge(binary256[...], offset: 0)
            == .valid(FrameHeader(opcode: .binary, payloadLength: 256, lengthEncoding: .extended16), length: 4))
    }

    @Test("waits for bytes without guessing")
    func needMore() {
        #expect(Self.model().judge([][...], offset: 0) == .needMore)
        #expect(Self.model().judge([0x81][...], offset: 0) == .needMore)
        #expect(Self.model().judge([0x82, 0x7F, 0x00][...], offset: 0) == .needMore)
        #expect(Self.model(.server).judge([0x81, 0x85, 0x37][...], offset: 0) == .needMore)
    }

    @Test("finds every violation the bytes show, at the right offsets")
    func violations() {
        // Reserved opcode 3 without FIN, RSV2: all from byte 0.
        guard case let .invalid(found) = Self.model().judge([0x23][...], offset: 10) else {
            Issue.record("expected violations")
            return
        }
        #expect(Set(found) == [ProtocolError(.reservedOpcode(Opcode(rawValue: 3)), offset: 10),
                               ProtocolError(.reservedBitsSet(.rsv2, opcode: Opcode(rawValue: 3)), offset: 10)])
        // A 200-byte ping in the 16-bit form: too long for a control frame; the length is at byte 2.
        #expect(Self.model().judge([0x89, 0x7E, 0x00, 0xC8][...], offset: 0)
            == .invalid([ProtocolError(.controlFrameTooLong(opcode: .ping, length: 200), offset: 2)]))
        // 5 in the 64-bit form, length MSB, masked frame to a client, unmasked to a server.
        #expect(Self.model().judge([0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 5][...], offset: 0)
            == .invalid([ProtocolError(.nonMinimalLength(length: 5, encoding: .extended64), offset: 2)]))
        #expect(Self.model(minimal: false).judge([0x82, 0x7F, 0, 0, 0, 0, 0, 0, 0, 5][...], offset: 0)
            == .valid(FrameHeader(opcode: .binary, payloadLength: 5, lengthEncoding: .extended64), length: 10))
        #expect(Self.model().judge([0x82, 0x7F, 0x80][...], offset: 0)
            == .invalid([ProtocolError(.lengthHighBitSet, offset: 2)]))
        #expect(Self.model(.client).judge([0x82, 0x80][...], offset: 0)
            == .invalid([ProtocolError(.maskedFrameFromServer, offset: 1)]))
        #expect(Self.model(.server).judge([0x82, 0x00][...], offset: 0)
            == .invalid([ProtocolError(.unmaskedFrameFromClient, offset: 1)]))
        // RSV1 allowed only on the first frame of a message.
        #expect(Self.model(rsv: .rsv1).judge([0xC1, 0x00][...], offset: 0)
            == .valid(FrameHeader(rsv: .rsv1, opcode: .text, payloadLength: 0), length: 2))
        #expect(Self.model(rsv: .rsv1).judge([0xC9, 0x00][...], offset: 0)
            == .invalid([ProtocolError(.compressedBitMisplaced(opcode: .ping), offset: 0)]))
    }

    @Test("tracks messages for continuation rules and the message limit")
    func messages() {
        var model = Self.model(frameLimit: 100, messageLimit: 150)
        #expect(model.judge([0x80, 0x00][...], offset: 0) == .invalid([ProtocolError(.unexpectedContinuation, offset: 0)]))
        model.accept(FrameHeader(fin: false, opcode: .binary, payloadLength: 100))
        #expect(model.messageInProgress)
        #expect(model.judge([0x81, 0x00][...], offset: 0)
            == .invalid([ProtocolError(.expectedContinuation(got: .text), offset: 0)]))
        #expect(model.judge([0x80, 0x33][...], offset: 0)
            == .invalid([ProtocolError(.messageTooLarge(size: 151, limit: 150), offset: 1)]))
        #expect(model.judge([0x80, 0x65][...], offset: 0)
            == .invalid([ProtocolError(.frameTooLarge(length: 101, limit: 100), offset: 1),
                         ProtocolError(.messageTooLarge(size: 201, limit: 150), offset: 1)]))
        model.accept(FrameHeader(fin: true, opcode: .continuation, payloadLength: 50))
        #expect(!model.messageInProgress)
    }
}
