import NIOCore
import Testing
@testable import WSEngine

@Suite struct CloseCodeValidityTests {
    @Test func validRangesFollowRFC6455AndTheIANARegistry() {
        let valid = (0...UInt16.max).filter { CloseCode($0).isValidOnWire }
        let expected = Array(1000...1003) + Array(1007...1014) + Array(3000...4999)
        #expect(valid == expected.map(UInt16.init))
    }

    /// Autobahn 7.7.x (valid) and 7.9.x / 7.13.x (invalid), with 1012–1014 valid where Autobahn says not.
    @Test func autobahnSection7Codes() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999, 1012, 1013, 1014] {
            #expect(CloseCode(code).isValidOnWire, "\(code)")
        }
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            #expect(!CloseCode(code).isValidOnWire, "\(code)")
        }
    }

    @Test func meaningNamesTheCode() {
        #expect(CloseCode.normalClosure.meaning == "normal closure")
        #expect(CloseCode.invalidPayloadData.meaning == "invalid payload data")
        #expect(CloseCode.tryAgainLater.meaning == "try again later")
        #expect(CloseCode(3500).meaning == "registered for libraries and frameworks")
        #expect(CloseCode(4001).meaning == "private use")
        #expect(CloseCode(2000).meaning == "reserved for the WebSocket protocol")
        #expect(CloseCode(5000).meaning == "undefined")
    }
}

@Suite struct ClosePayloadTests {
    @Test func emptyPayloadHasNoCode() throws {
        let payload = try ClosePayload.parse(ByteBuffer()).get()
        #expect(payload.code == nil)
        #expect(payload.reason.readableBytes == 0)
    }

    @Test func oneBytePayloadIsTooShort() {
        #expect(ClosePayload.parse(ByteBuffer(string: "a")) == .failure(.closePayloadTooShort))
    }

    @Test func codeAndReason() throws {
        let payload = try ClosePayload.parse(ByteBuffer(bytes: [0x03, 0xE8] + Array("Hello World!".utf8))).get()
        #expect(payload.code == .normalClosure)
        #expect(payload.reasonText == "Hello World!")
    }

    @Test func codeWithoutReason() throws {
        let payload = try ClosePayload.parse(ByteBuffer(bytes: [0x0F, 0xA0])).get()  // 4000
        #expect(payload.code == CloseCode(4000))
        #expect(payload.reason.readableBytes == 0)
        #expect(payload.reasonText == "")
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] as [UInt16])
    func invalidCodesAreRejected(code: UInt16) {
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        buffer.writeString("why")
        #expect(ClosePayload.parse(buffer) == .failure(.invalidCloseCode(CloseCode(code))))
    }

    /// Autobahn 7.5.1: κόσμε + ed a0 80 + "edited"; the reason fails at its byte 12.
    @Test func invalidUTF8ReasonReportsTheOffsetWithinTheReason() {
        let reason = UTF8TestSupport.bytes(hex: "cebae1bdb9cf83cebcceb5eda080") + Array("edited".utf8)
        let result = ClosePayload.parse(ByteBuffer(bytes: [0x03, 0xE8] + reason))
        #expect(result == .failure(.invalidUTF8InCloseReason(reasonOffset: 12)))
        #expect((try? result.get()) == nil)
    }

    @Test func truncatedUTF8AtTheEndOfTheReasonIsInvalid() {
        let result = ClosePayload.parse(ByteBuffer(bytes: [0x03, 0xE8, 0x41, 0xCE]))
        #expect(result == .failure(.invalidUTF8InCloseReason(reasonOffset: 2)))
    }

    @Test func encodeWritesCodeAndReasonEvenWhenInvalid() {
        let good = ClosePayload(code: .goingAway, reason: "bye")
        #expect(Array(good.encode().readableBytesView) == [0x03, 0xE9] + Array("bye".utf8))
        let bad = ClosePayload(code: CloseCode(1005), reason: ByteBuffer(bytes: [0xFF]))
        #expect(Array(bad.encode().readableBytesView) == [0x03, 0xED, 0xFF])
        #expect(ClosePayload(code: nil).encode().readableBytes == 0)
    }

    @Test func parseInvertsEncodeForValidPayloads() throws {
        for code: UInt16 in [1000, 1003, 1007, 1014, 3000, 4999] {
            let payload = ClosePayload(code: CloseCode(code), reason: "reason κόσμε")
            #expect(try ClosePayload.parse(payload.encode()).get() == payload)
        }
    }

    @Test func reasonTextIsNilForInvalidUTF8() {
        #expect(ClosePayload(code: .normalClosure, reason: ByteBuffer(bytes: [0xC0, 0xAF])).reasonText == nil)
    }

    @Test func parseHonoursTheReaderIndex() throws {
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB, 0x03, 0xE8, 0x6F, 0x6B])
        buffer.moveReaderIndex(forwardBy: 2)
        let payload = try ClosePayload.parse(buffer).get()
        #expect(payload.code == .normalClosure && payload.reasonText == "ok")
    }
}
