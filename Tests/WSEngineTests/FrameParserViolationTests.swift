import NIOCore
import Testing
import WSEngine

/// One stream that breaks one rule, the error it must produce, and its close code.
struct FrameViolationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var configuration: FrameParser.Configuration
    var bytes: [UInt8]
    var expected: ProtocolError
    var closeCode: CloseCode

    var testDescription: String { name }

    // Valid prefixes put the offending frame at a non-zero stream offset.
    /// Masked "Hello" text (RFC 6455 §5.7), 11 bytes.
    static let maskedHello = hexBytes("81 85 37 fa 21 3d 7f 9f 4d 51 58")
    /// Masked "Hello" pong, 11 bytes: a control frame, so it counts toward no message.
    static let maskedPong = hexBytes("8a 85 37 fa 21 3d 7f 9f 4d 51 58")
    /// Unmasked "Hello" text, 7 bytes.
    static let unmaskedHello = hexBytes("81 05 48 65 6c 6c 6f")
    /// A masked header (key 00000000, so payload bytes are as written).
    static func masked(_ b0: UInt8, _ length: UInt8, _ payload: [UInt8] = []) -> [UInt8] {
        [b0, 0x80 | length, 0, 0, 0, 0] + payload
    }

    static let server = FrameParser.Configuration(role: .server)
    static let client = FrameParser.Configuration(role: .client)
    static let deflate = FrameParser.Configuration(role: .server, allowedReservedBits: [.rsv1])
    static func server(maxFrame: UInt64 = 64 << 20, maxMessage: UInt64 = 64 << 20) -> FrameParser.Configuration {
        FrameParser.Configuration(role: .server, maxFrameSize: maxFrame, maxMessageSize: maxMessage)
    }

    static let all: [FrameViolationCase] = [
        .init(name: "RSV1 without an extension", configuration: server,
              bytes: maskedHello + masked(0xC1, 0),
              expected: .init(.reservedBitsSet(.rsv1, opcode: .text), offset: 11), closeCode: 1002),
        .init(name: "RSV2+RSV3 without an extension", configuration: server,
              bytes: maskedHello + masked(0xB2, 0),
              expected: .init(.reservedBitsSet([.rsv2, .rsv3], opcode: .binary), offset: 11), closeCode: 1002),
        .init(name: "RSV2 with permessage-deflate", configuration: deflate,
              bytes: maskedHello + masked(0xA1, 0),
              expected: .init(.reservedBitsSet([.rsv2], opcode: .text), offset: 11), closeCode: 1002),
        .init(name: "RSV1 on a continuation with permessage-deflate", configuration: deflate,
              bytes: maskedHello + masked(0x41, 1, [0x00]) + masked(0xC0, 0),
              expected: .init(.compressedBitMisplaced(opcode: .continuation), offset: 18), closeCode: 1002),
        .init(name: "RSV1 on a ping with permessage-deflate", configuration: deflate,
              bytes: maskedHello + masked(0xC9, 0),
              expected: .init(.compressedBitMisplaced(opcode: .ping), offset: 11), closeCode: 1002),
        .init(name: "fragmented ping", configuration: server,
              bytes: maskedHello + masked(0x09, 0),
              expected: .init(.fragmentedControlFrame(.ping), offset: 11), closeCode: 1002),
        .init(name: "close with 126 bytes", configuration: server,
              bytes: maskedHello + [0x88, 0xFE, 0x00, 0x7E, 0, 0, 0, 0],
              expected: .init(.controlFrameTooLong(opcode: .close, length: 126), offset: 13), closeCode: 1002),
        .init(name: "ping with 200 bytes in the 64-bit form, minimal length not required",
              configuration: .init(role: .server, requireMinimalLength: false),
              bytes: maskedHello + [0x89, 0xFF, 0, 0, 0, 0, 0, 0, 0, 200],
              expected: .init(.controlFrameTooLong(opcode: .ping, length: 200), offset: 13), closeCode: 1002),
        .init(name: "continuation without a message", configuration: server,
              bytes: maskedHello + masked(0x80, 0),
              expected: .init(.unexpectedContinuation, offset: 11), closeCode: 1002),
        .init(name: "continuation after a finished fragmented message", configuration: server,
              bytes: masked(0x01, 0) + masked(0x80, 0) + masked(0x80, 0),
              expected: .init(.unexpectedContinuation, offset: 12), closeCode: 1002),
        .init(name: "binary inside a fragmented text (after an interleaved ping)", configuration: server,
              bytes: masked(0x01, 1, [0x61]) + masked(0x89, 0) + masked(0x82, 0),
              expected: .init(.expectedContinuation(got: .binary), offset: 13), closeCode: 1002),
        .init(name: "64-bit length with the high bit set", configuration: server,
              bytes: maskedHello + [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0],
              expected: .init(.lengthHighBitSet, offset: 13), closeCode: 1002),
        .init(name: "5 bytes in the 16-bit form", configuration: server,
              bytes: maskedHello + [0x82, 0xFE, 0x00, 0x05],
              expected: .init(.nonMinimalLength(length: 5, encoding: .extended16), offset: 13), closeCode: 1002),
        .init(name: "65535 bytes in the 64-bit form", configuration: server,
              bytes: maskedHello + [0x82, 0xFF, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF],
              expected: .init(.nonMinimalLength(length: 65535, encoding: .extended64), offset: 13), closeCode: 1002),
        .init(name: "5 bytes in the 64-bit form on a ping", configuration: server,
              bytes: maskedHello + [0x89, 0xFF, 0, 0, 0, 0, 0, 0, 0, 5],
              expected: .init(.nonMinimalLength(length: 5, encoding: .extended64), offset: 13), closeCode: 1002),
        .init(name: "unmasked frame from a client", configuration: server,
              bytes: maskedHello + unmaskedHello,
              expected: .init(.unmaskedFrameFromClient, offset: 12), closeCode: 1002),
        .init(name: "masked frame from a server", configuration: client,
              bytes: unmaskedHello + maskedHello,
              expected: .init(.maskedFrameFromServer, offset: 8), closeCode: 1002),
        .init(name: "frame over the limit, 7-bit length", configuration: server(maxFrame: 100),
              bytes: maskedHello + [0x82, 0x80 | 101],
              expected: .init(.frameTooLarge(length: 101, limit: 100), offset: 12), closeCode: 1009),
        .init(name: "frame over the limit, 16-bit length", configuration: server(maxFrame: 1000),
              bytes: maskedHello + [0x82, 0xFE, 0x03, 0xE9],
              expected: .init(.frameTooLarge(length: 1001, limit: 1000), offset: 13), closeCode: 1009),
        .init(name: "frame announcing 2^62 bytes", configuration: server,
              bytes: maskedHello + [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0],
              expected: .init(.frameTooLarge(length: 1 << 62, limit: 64 << 20), offset: 13), closeCode: 1009),
        .init(name: "ping over a small frame limit", configuration: server(maxFrame: 10),
              bytes: maskedPong + [0x89, 0x80 | 11],
              expected: .init(.frameTooLarge(length: 11, limit: 10), offset: 12), closeCode: 1009),
        .init(name: "fragmented message over the limit", configuration: server(maxMessage: 10),
              bytes: maskedHello + masked(0x01, 6, [1, 2, 3, 4, 5, 6]) + [0x80, 0x85],
              expected: .init(.messageTooLarge(size: 11, limit: 10), offset: 24), closeCode: 1009),
        .init(name: "single frame over the message limit", configuration: server(maxMessage: 4),
              bytes: maskedPong + [0x82, 0x85],
              expected: .init(.messageTooLarge(size: 5, limit: 4), offset: 12), closeCode: 1009),
    ]
}

@Suite struct FrameParserViolationTests {
    @Test(arguments: FrameViolationCase.all)
    func violation(_ c: FrameViolationCase) {
        let chunkings: [(String, [[UInt8]])] = [
            ("whole", [c.bytes]),
            ("byte by byte", c.bytes.map { [$0] }),
            ("halves", [Array(c.bytes.prefix(c.bytes.count / 2)), Array(c.bytes.dropFirst(c.bytes.count / 2))]),
        ]
        for (label, chunks) in chunkings {
            let frames = FrameTestDriver.frames(chunks, c.configuration)
            #expect(frames.error == c.expected, "nextFrame, \(label)")
            let events = FrameTestDriver.events(chunks, c.configuration)
            #expect(events.outcome.error == c.expected, "nextEvent, \(label)")
        }
        #expect(c.expected.closeCode == c.closeCode)
    }

    @Test(arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcode(_ raw: UInt8) {
        let bytes = FrameViolationCase.maskedHello + FrameViolationCase.masked(0x80 | raw, 0)
        let expected = ProtocolError(.reservedOpcode(Opcode(rawValue: raw)), offset: 11)
        #expect(FrameTestDriver.frames([bytes], FrameViolationCase.server).error == expected)
        #expect(FrameTestDriver.events(bytes.map { [$0] }, FrameViolationCase.server).outcome.error == expected)
        #expect(expected.closeCode == .protocolError)
    }

    @Test func headerViolationsFailBeforeTheRestOfTheHeaderArrives() {
        let cases: [([UInt8], ProtocolViolation)] = [
            ([0xC1], .reservedBitsSet(.rsv1, opcode: .text)),
            ([0x83], .reservedOpcode(Opcode(rawValue: 3))),
            ([0x09], .fragmentedControlFrame(.ping)),
            ([0x80], .unexpectedContinuation),
            ([0x81, 0x05], .unmaskedFrameFromClient),
            ([0x82, 0xFF, 0x80], .lengthHighBitSet),
            ([0x82, 0xFE, 0x00, 0x05], .nonMinimalLength(length: 5, encoding: .extended16)),
        ]
        for (bytes, violation) in cases {
            #expect(FrameTestDriver.frames([bytes], FrameViolationCase.server).error?.violation == violation)
        }
    }

    @Test func accepted() {
        // Each stream would break a rule that the configuration switches off or that does not apply.
        let cases: [(String, FrameParser.Configuration, [UInt8])] = [
            ("RSV1 on the first frame with permessage-deflate", FrameViolationCase.deflate,
             FrameViolationCase.masked(0x41, 0) + FrameViolationCase.masked(0x80, 0)),
            ("non-minimal lengths when allowed", .init(role: .server, requireMinimalLength: false),
             [0x82, 0xFE, 0x00, 0x01, 0, 0, 0, 0, 0x61, 0x89, 0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x62]),
            ("unmasked at a server without mask enforcement", .init(role: .server, enforceMaskDirection: false),
             FrameViolationCase.unmaskedHello),
            ("masked at a client without mask enforcement", .init(role: .client, enforceMaskDirection: false),
             FrameViolationCase.maskedHello),
            ("control frames interleaved in a fragmented message", FrameViolationCase.server,
             FrameViolationCase.masked(0x01, 0) + FrameViolationCase.masked(0x89, 0)
                 + FrameViolationCase.masked(0x8A, 0) + FrameViolationCase.masked(0x80, 0)),
            ("frame and message exactly at the limits", FrameViolationCase.server(maxFrame: 3, maxMessage: 5),
             FrameViolationCase.masked(0x02, 3, [1, 2, 3]) + FrameViolationCase.masked(0x89, 3, [1, 2, 3])
                 + FrameViolationCase.masked(0x80, 2, [4, 5]) + FrameViolationCase.masked(0x82, 3, [1, 2, 3])),
            ("65536 bytes in the 64-bit form", FrameViolationCase.server,
             [0x82, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 7, count: 65536)),
        ]
        for (name, configuration, bytes) in cases {
            let outcome = FrameTestDriver.frames([bytes], configuration)
            #expect(outcome.error == nil, "\(name)")
            #expect(!outcome.frames.isEmpty, "\(name)")
            #expect(FrameTestDriver.events([bytes], configuration).outcome == outcome, "\(name)")
        }
    }
}
