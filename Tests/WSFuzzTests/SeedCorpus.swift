import NIOCore
import WSEngine

/// The committed seed corpora (`Fuzz/<Target>/corpus/seed-*`), built from the examples in RFC 6455
/// §1.2/§5.7 and RFC 7692 §7.2.3 plus one input per rule the targets check. `SeedCorpusTests`
/// verifies that the files match this list and, with `WSFUZZ_WRITE_SEEDS=1` (`scripts/fuzz.sh seeds`),
/// writes them.
///
/// Every seed is its target's option bytes followed by the data; the option layouts are documented
/// on each `FuzzTarget`.
struct Seed: Sendable, CustomStringConvertible {
    var target: String
    var name: String
    var bytes: [UInt8]

    var fileName: String { "seed-\(name)" }
    var description: String { "\(target)/\(fileName)" }
}

enum SeedCorpus {
    static let all: [Seed] = frameSeeds(role: .server) + frameSeeds(role: .client) + handshakeRequestSeeds
        + handshakeResponseSeeds + extensionSeeds + utf8Seeds + inflateSeeds + caseLoaderSeeds + http2HandshakeSeeds

    // MARK: Frames

    /// Frame parser options: flags (bit 0 events API, bit 1 allow non-minimal lengths, bit 2 no mask
    /// check, bits 3-5 allowed RSV, bit 6 small buffer thresholds), frame and message size class
    /// indices, split plan, overloads (2 bits per chunk: 0 raw, 1 ByteBuffer, 2 Sequence).
    static func frameOptions(flags: UInt8 = 0, frameSize: UInt8 = 0, messageSize: UInt8 = 0,
                             chunkClass: UInt8 = 4, overloads: UInt8 = 0b1001_0100) -> [UInt8] {
        [flags, frameSize, messageSize, chunkClass, 0x2A, 0x00, overloads]
    }

    static let rfcKey = MaskingKey(0x37, 0xFA, 0x21, 0x3D)

    static func frameSeeds(role: Role) -> [Seed] {
        let target = role == .server ? "FuzzFrameParserServer" : "FuzzFrameParserClient"
        // Frames travel masked towards a server and unmasked towards a client (RFC 6455 §5.1).
        let key: MaskingKey? = role == .server ? rfcKey : nil
        func wire(_ frames: [Frame], _ violations: FrameViolations = .none) -> [UInt8] {
            frames.flatMap { frame -> [UInt8] in
                var frame = frame
                frame.maskingKey = key
                return Array(FrameWriter.bytes(frame, violations: violations).readableBytesView)
            }
        }
        let hello = Array("Hello".utf8)
        let text = Frame(opcode: .text, bytes: hello)
        let fragments = [Frame(fin: false, opcode: .text, bytes: "Hel".utf8), Frame(opcode: .continuation, bytes: "lo".utf8)]
        let close = Frame(opcode: .close, payload: ClosePayload(code: .normalClosure, reason: "bye").encode())
        let binary256 = Frame(opcode: .binary, bytes: (0..<256).map { UInt8($0) })
        let binary64k = Array(wire([Frame(opcode: .binary, bytes: [UInt8](repeating: 0x2A, count: 65536))]).prefix(200))
        func seed(_ name: String, _ options: [UInt8], _ data: [UInt8]) -> Seed { Seed(target: target, name: name, bytes: options + data) }
        return [
            // RFC 6455 §5.7 examples
            seed("rfc-5.7-text-hello", frameOptions(), wire([text])),
            seed("rfc-5.7-fragmented-text", frameOptions(flags: 1), wire(fragments)),
            seed("rfc-5.7-ping-pong", frameOptions(), wire([Frame(opcode: .ping, bytes: hello), Frame(opcode: .pong, bytes: hello)])),
            seed("rfc-5.7-binary-256", frameOptions(chunkClass: 6), wire([binary256])),
            seed("rfc-5.7-binary-64k-truncated", frameOptions(flags: 1), binary64k),
            // Messages and control frames interleaved, fed byte by byte
            seed("ping-inside-fragmented", frameOptions(flags: 1, chunkClass: 0),
                 wire([fragments[0], Frame(opcode: .ping), fragments[1], close])),
            seed("close-1000-bye", frameOptions(), wire([close])),
            // ByteBuffer chunks adopted by the parser (flag bit 6): masked payloads unmasked in
            // place must not change the caller's buffer, whose later slices are the next chunks;
            // and the parser's buffer compacted between small chunks
            seed("adopted-chunks", frameOptions(flags: 0x41, overloads: 0b0101_0101),
                 wire([fragments[0], Frame(opcode: .ping, bytes: hello), fragments[1], binary256])),
            seed("compacted-buffer", frameOptions(flags: 0x40, chunkClass: 7, overloads: 0),
                 wire([fragments[0], Frame(opcode: .ping, bytes: hello), fragments[1], binary256])),
            // RFC 7692 §7.2.3.1 "Hello" compressed, on a frame with RSV1 (allowed: permessage-deflate)
            seed("rfc7692-compressed-rsv1", frameOptions(flags: 0x20),
                 wire([Frame(rsv: .rsv1, opcode: .text, bytes: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])])),
            // Non-minimal lengths: accepted when allowed (flag bit 1), rejected otherwise
            seed("nonminimal-16-allowed", frameOptions(flags: 2), wire([text], FrameViolations(lengthEncoding: .extended16))),
            seed("nonminimal-64-rejected", frameOptions(), wire([text], FrameViolations(lengthEncoding: .extended64))),
            seed("length-high-bit", frameOptions(), wire([text], FrameViolations(declaredLength: 1 << 63))),
            // Limits (class 3 is 125 bytes): a 126-byte frame, and a message of two 100-byte frames
            seed("frame-over-limit", frameOptions(frameSize: 3), wire([Frame(opcode: .binary, bytes: [UInt8](repeating: 1, count: 126))])),
            seed("message-over-limit", frameOptions(messageSize: 3),
                 wire([Frame(fin: false, opcode: .binary, bytes: [UInt8](repeating: 1, count: 100)),
                       Frame(opcode: .continuation, bytes: [UInt8](repeating: 2, count: 100))])),
            // Rule violations
            seed("reserved-opcode", frameOptions(), wire([Frame(opcode: Opcode(rawValue: 3), bytes: hello)])),
            seed("rsv-without-extension", frameOptions(), wire([Frame(rsv: .rsv2, opcode: .text, bytes: hello)])),
            seed("rsv1-on-continuation", frameOptions(flags: 0x20),
                 wire([fragments[0], Frame(rsv: .rsv1, opcode: .continuation, bytes: "lo".utf8)])),
            seed("unexpected-continuation", frameOptions(), wire([fragments[1]])),
            seed("expected-continuation", frameOptions(), wire([fragments[0], text])),
            seed("fragmented-ping", frameOptions(), wire([Frame(fin: false, opcode: .ping)])),
            seed("long-ping", frameOptions(), wire([Frame(opcode: .ping, bytes: [UInt8](repeating: 0, count: 126))])),
            seed("wrong-mask-direction", frameOptions(),
                 Array(FrameWriter.bytes(Frame(opcode: .text, maskingKey: key == nil ? rfcKey : nil, bytes: hello)).readableBytesView)),
            seed("wrong-mask-direction-unchecked", frameOptions(flags: 4),
                 Array(FrameWriter.bytes(Frame(opcode: .text, maskingKey: key == nil ? rfcKey : nil, bytes: hello)).readableBytesView)),
        ]
    }

    // MARK: Handshake

    static func http(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) }

    /// RFC 6455 §1.2's client request.
    static let rfcRequest = [
        "GET /chat HTTP/1.1", "Host: server.example.com", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: http://example.com",
        "Sec-WebSocket-Protocol: chat, superchat", "Sec-WebSocket-Version: 13",
    ]

    /// Head-size limit index (4: 16 KiB), split plan, overloads.
    static let handshakeOptions: [UInt8] = [4, 4, 0x11, 0x00, 0b1001_0100]

    static var handshakeRequestSeeds: [Seed] {
        func seed(_ name: String, _ data: [UInt8], options: [UInt8] = handshakeOptions) -> Seed {
            Seed(target: "FuzzHandshakeRequest", name: name, bytes: options + data)
        }
        var withDeflate = rfcRequest
        withDeflate.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame")
        var version8 = rfcRequest
        version8[7] = "Sec-WebSocket-Version: 8"
        var absolute = rfcRequest
        absolute[0] = "GET ws://server.example.com/chat?x=1 HTTP/1.1"
        var post = rfcRequest
        post[0] = "POST /chat HTTP/1.1"
        var badKey = rfcRequest
        badKey[4] = "Sec-WebSocket-Key: AAAA"
        let bareLF = Array((rfcRequest.joined(separator: "\n") + "\n\n").utf8)
        return [
            seed("rfc6455-1.2-request", http(rfcRequest)),
            seed("rfc6455-1.2-request-byte-by-byte", http(rfcRequest), options: [4, 0, 0x01, 0x00, 0b0110_0100]),
            seed("request-permessage-deflate", http(withDeflate)),
            seed("request-then-frame", http(rfcRequest) + [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]),
            seed("request-version-8", http(version8)),
            seed("request-absolute-uri", http(absolute)),
            seed("request-post", http(post)),
            seed("request-short-key", http(badKey)),
            seed("request-bare-lf", bareLF),
            seed("request-over-limit", http(rfcRequest), options: [1] + handshakeOptions.dropFirst()),
        ]
    }

    static let rfcResponse = [
        "HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol: chat",
    ]

    static var handshakeResponseSeeds: [Seed] {
        // Offer flags: bits 0-2 subprotocols chat/superchat/v1.json, bits 3-5 extensions
        // (permessage-deflate with client_max_window_bits, x-webkit-deflate-frame, permessage-deflate).
        func seed(_ name: String, _ data: [UInt8], offers: UInt8 = 0b0000_1011) -> Seed {
            Seed(target: "FuzzHandshakeResponse", name: name, bytes: handshakeOptions + [offers] + data)
        }
        var deflate = rfcResponse
        deflate.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=10; server_no_context_takeover")
        var wrongAccept = rfcResponse
        wrongAccept[3] = "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ=="
        var unoffered = rfcResponse
        unoffered[4] = "Sec-WebSocket-Protocol: v2.json"
        return [
            seed("rfc6455-1.2-response", http(rfcResponse)),
            seed("response-permessage-deflate", http(deflate)),
            seed("response-unoffered-extension", http(deflate), offers: 0b0001_0001),
            seed("response-wrong-accept", http(wrongAccept)),
            seed("response-unoffered-subprotocol", http(unoffered)),
            seed("response-426", http(["HTTP/1.1 426 Upgrade Required", "Sec-WebSocket-Version: 13", "Content-Length: 0"])),
            seed("response-http10", http(["HTTP/1.0 101 Switching Protocols"] + rfcResponse.dropFirst())),
        ]
    }

    // MARK: HTTP/2 handshake

    /// RFC 8441 §5's example request as the harness sends it, and answers to it.
    static let extendedConnect = [
        ":method: CONNECT", ":protocol: websocket", ":scheme: https", ":path: /chat", ":authority: server.example.com",
        "sec-websocket-protocol: chat, superchat", "sec-websocket-extensions: permessage-deflate", "sec-websocket-version: 13",
        "origin: http://www.example.com",
    ]

    static var http2HandshakeSeeds: [Seed] {
        func seed(_ name: String, _ lines: [String], flags: UInt8 = 0) -> Seed {
            Seed(target: "FuzzHTTP2Handshake", name: name, bytes: [flags] + Array(lines.joined(separator: "\n").utf8))
        }
        var pseudoLast = extendedConnect.filter { $0 != ":path: /chat" }
        pseudoLast.append(":path: /chat")
        return [
            seed("rfc8441-5-request", extendedConnect),
            seed("request-get-with-protocol", [":method: GET"] + extendedConnect.dropFirst()),
            seed("request-upgrade-field", extendedConnect + ["upgrade: websocket"]),
            seed("request-uppercase-name", extendedConnect + ["Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="]),
            seed("request-pseudo-after-regular", pseudoLast),
            seed("request-version-12", extendedConnect.map { $0.hasPrefix("sec-websocket-version") ? "sec-websocket-version: 12" : $0 }),
            seed("response-200", [":status: 200", "sec-websocket-protocol: chat"], flags: 1),
            seed("response-200-end-stream", [":status: 200"], flags: 3),
            seed("response-426", [":status: 426", "sec-websocket-version: 13"], flags: 3),
            seed("response-connection-field", [":status: 200", "connection: upgrade"], flags: 1),
        ]
    }

    // MARK: Extensions

    static var extensionSeeds: [Seed] {
        // flags (bit 0: exchange messages), server config (flags, server bits, client bits),
        // client config (flags, client bits, server bits). A window byte with bit 3 set means 8 + low bits.
        func seed(_ name: String, _ text: String, options: [UInt8] = [1, 0, 0, 0, 1, 0, 0]) -> Seed {
            Seed(target: "FuzzExtensions", name: name, bytes: options + Array(text.utf8))
        }
        return [
            seed("rfc7692-offer-cmwb", "permessage-deflate; client_max_window_bits"),
            seed("rfc7692-two-offers", "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate; client_max_window_bits"),
            seed("autobahn-offer", "permessage-deflate; client_no_context_takeover; client_max_window_bits"),
            seed("quoted-value", "permessage-deflate; client_max_window_bits=\"10\"; server_no_context_takeover"),
            seed("server-limits", "permessage-deflate; client_max_window_bits", options: [1, 0x07, 0x08, 0x0A, 0x02, 0x0B, 0x0C]),
            seed("window-8", "permessage-deflate; server_max_window_bits=8; client_max_window_bits=8", options: [1, 0x08, 0, 0x08, 0x1E, 0x08, 0x08]),
            seed("other-extensions", "x-webkit-deflate-frame, foo; bar=baz; qux=\"a\\b\", permessage-deflate"),
            seed("two-header-lines", "foo\npermessage-deflate; server_no_context_takeover"),
            seed("invalid-parameters", "permessage-deflate; server_max_window_bits=08; client_max_window_bits=16; unknown"),
            seed("empty-elements", ", ,permessage-deflate,,"),
        ]
    }

    // MARK: UTF-8 and close payloads

    static var utf8Seeds: [Seed] {
        func seed(_ name: String, _ bytes: [UInt8], options: [UInt8] = [4, 0x33, 0x00, 0b1001_0100]) -> Seed {
            Seed(target: "FuzzUTF8", name: name, bytes: options + bytes)
        }
        let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]
        return [
            seed("autobahn-6.2-kosme", kosme),
            seed("autobahn-6.2-kosme-byte-by-byte", kosme, options: [0, 0, 0, 0b0110_0110]),
            seed("autobahn-6.4.1-fail-fast", kosme + [0xF4, 0x90, 0x80, 0x80] + Array("edited".utf8)),
            seed("autobahn-6.4.3-surrogate", kosme + [0xED, 0xA0, 0x80] + Array("edited".utf8)),
            seed("overlong-slash", [0x2F, 0xC0, 0xAF, 0xE0, 0x80, 0xAF]),
            seed("truncated-at-end", kosme + [0xF0, 0x9F, 0x98]),
            seed("boundaries", [0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80,
                                0xEF, 0xBF, 0xBF, 0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF]),
            seed("close-1000-reason", [0x03, 0xE8] + Array("bye".utf8)),
            seed("close-1004", [0x03, 0xEC]),
            seed("close-one-byte", [0x03]),
            seed("close-bad-reason", [0x0F, 0xA0, 0xCE, 0xBA, 0xED, 0xA0, 0x80]),
        ]
    }

    // MARK: Inflate

    static var inflateSeeds: [Seed] {
        /// limit class, split plan (3), flags (bit 0 client, bit 1 no context takeover, bit 2 two
        /// messages), level, window bits - 8, message cut (fraction of 255).
        func seed(_ name: String, _ hex: String, limit: UInt8 = 3, flags: UInt8 = 0, cut: UInt8 = 0) -> Seed {
            Seed(target: "FuzzInflate", name: name, bytes: [limit, 3, 0x5A, 0x00, flags, 6, 7, cut] + hexBytes(hex))
        }
        // A bomb: 1 MiB of zeros compressed, against a 1000-byte limit (class 4).
        let codec = DeflateCodec(negotiated: NegotiatedDeflate(), role: .client, maxDecompressedMessageSize: 0,
                                 compressionLevel: 9)
        let bomb = try! codec.compress(message: ByteBuffer(repeating: 0, count: 1 << 20))
        return [
            seed("rfc7692-7.2.3.1-hello", "f2 48 cd c9 c9 07 00"),
            // 7.2.3.2: the second message refers back into the first (context takeover); cut after byte 7.
            seed("rfc7692-7.2.3.2-takeover", "f2 48 cd c9 c9 07 00 f2 00 11 00 00", flags: 4, cut: 138),
            seed("rfc7692-7.2.3.3-stored", "00 05 00 fa ff 48 65 6c 6c 6f 00"),
            seed("rfc7692-7.2.3.4-bfinal", "f3 48 cd c9 c9 07 00 00"),
            seed("rfc7692-7.2.3.5-two-blocks", "f2 48 05 00 00 00 ff ff ca c9 c9 07 00"),
            seed("rfc7692-7.2.3.6-empty", "00"),
            seed("reserved-block-type", "ff ff ff"),
            seed("stored-len-mismatch", "00 05 00 00 00 48 65 6c 6c 6f 00"),
            seed("zeros-1mib-bomb", hexString(bomb), limit: 4),
        ]
    }

    // MARK: Case loader

    /// YAML case files: two of Cases/*.yaml as they were when the target was written, the opening of
    /// the close section (templates), a cartesian `vary`, and broken files.
    static var caseLoaderSeeds: [Seed] {
        func seed(_ name: String, _ text: String) -> Seed { Seed(target: "FuzzCaseLoader", name: name, bytes: Array(text.utf8)) }
        return [
            seed("cases-10-misc", #"""
section: 10
title: Misc
subsections:
  "10.1": Auto-Fragmentation

cases:
  - id: "10.1.1"
    title: 64 KiB text message auto-fragmented into 1300-octet frames
    description: >-
      Send a text message of 65536 '*' with the harness's automatic fragmentation set to 1300
      octets: one text frame and 50 continuation frames (50 × 1300 + 536 octets).
    expectation: >-
      The peer echoes one text message with the same 65536 octets (in any fragmentation). The
      harness then closes with 1000 and the closing handshake completes cleanly.
    rfc: ["RFC 6455 §5.4"]
    notes:
      - >-
        As in Autobahn the case also checks the harness's own frame counts (1 text, 50 continuation):
        a self-test of the harness that a correct harness always passes.
    auto_fragment_size: 1300
    steps:
      - message: {type: text, payload: {repeat: "*", length: 65536}}
      - guard: {kill_after: 10s}
    expect:
      events: {OK: [{text: {repeat: "*", length: 65536}}]}
      close: {closed_by: harness, codes: [1000], clean: true}
      harness_frames: {text: 1, continuation: 50}
"""#),
            seed("cases-01-framing", #"""
# Section 1: unfragmented data frames whose sizes sit on both sides of the length-field boundaries
# (125/126 octets: 7-bit vs 16-bit length; 65535/65536: 16-bit vs 64-bit length).
section: 1
title: Framing
subsections:
  "1.1": Text Messages
  "1.2": Binary Messages

templates:
  echo-one-frame:
    expectation: >-
      The peer echoes exactly one message of the same type with the same payload. The harness then
      closes with 1000 and the closing handshake completes cleanly.
    rfc: ["RFC 6455 §5.2", "RFC 6455 §5.6"]

cases:
  - id: "1.1.{n}"
    template: echo-one-frame
    vary:
      n:       [1, 2, 3, 4, 5, 6, 7, 8]
      len:     [0, 125, 126, 127, 128, 65535, 65536, 65536]
      field:   [7-bit, 7-bit, 16-bit, 16-bit, 16-bit, 16-bit, 64-bit, 64-bit]
      kill:    [1s, 1s, 1s, 1s, 1s, 10s, 10s, 10s]
      chop:    [null, null, null, null, null, null, null, 997]
      how:     ["", "", "", "", "", "", "", " The frame's octets are written in pieces of 997 octets."]
      titled:  ["", "", "", "", "", "", "", ", written in 997-octet pieces"]
    title: "Text message of {len} octets{titled}"
    description: "Send one unfragmented text frame carrying {len} '*' characters; its length needs the {field} length field.{how}"
    steps:
      - frame: {opcode: text, payload: {repeat: "*", length: "{len}"}, chop: "{chop}"}
      - guard: {kill_after: "{kill}"}
    expect:
      events:
        OK: [{text: {repeat: "*", length: "{len}"}}]
      close: {closed_by: harness, codes: [1000], clean: true}

  - id: "1.2.{n}"
    template: echo-one-frame
    vary:
      n:       [1, 2, 3, 4, 5, 6, 7, 8]
      len:     [0, 125, 126, 127, 128, 65535, 65536, 65536]
      field:   [7-bit, 7-bit, 16-bit, 16-bit, 16-bit, 16-bit, 64-bit, 64-bit]
      kill:    [1s, 1s, 1s, 1s, 1s, 10s, 10s, 10s]
      chop:    [null, null, null, null, null, null, null, 997]
      how:     ["", "", "", "", "", "", "", " The frame's octets are written in pieces of 997 octets."]
      titled:  ["", "", "", "", "", "", "", ", written in 997-octet pieces"]
    title: "Binary message of {len} octets{titled}"
    description: "Send one unfragmented binary frame carrying {len} octets of 0xFE; its length needs the {field} length field.{how}"
    steps:
      - frame: {opcode: binary, payload: {repeat: {hex: fe}, length: "{len}"}, chop: "{chop}"}
      - guard: {kill_after: "{kill}"}
    expect:
      events:
        OK: [{binary: {repeat: {hex: fe}, length: "{len}"}}]
      close: {closed_by: harness, codes: [1000], clean: true}
"""#),
            seed("cases-07-close-templates", #"""
# Section 7: the closing handshake started by the harness: frames after a Close, Close payload
# structure, valid and invalid close codes. In 7.1.1-7.9.x a close code outside the expected list
# fails the whole case (wrong_code_fails), not only the close verdict.
section: 7
title: Close Handling
subsections:
  "7.1": Basic close behavior (fuzzer initiated)
  "7.3": "Close frame structure: payload length (fuzzer initiated)"
  "7.5": "Close frame structure: payload value (fuzzer initiated)"
  "7.7": "Close frame structure: valid close codes (fuzzer initiated)"
  "7.9": "Close frame structure: invalid close codes (fuzzer initiated)"
  "7.13": Informational close information (fuzzer initiated)

templates:
  clean-1000:
    rfc: ["RFC 6455 §5.5.1", "RFC 6455 §7.1.2"]
    auto_close: false
    expectation: >-
      The peer answers the Close with its own Close (code 1000, or no code) and closes TCP; it sends
      nothing else.
    expect:
      events: {OK: []}
      close: {closed_by: harness, codes: [1000], clean: true}
      wrong_code_fails: true
  protocol-error:
    rfc: ["RFC 6455 §5.5.1", "RFC 6455 §7.4.1"]
    expect:
      events: {OK: []}
      close: {closed_by: harness, codes: [1002], clean: false}
      wrong_code_fails: true

cases:
  - id: "7.1.1"
    title: A message, then the closing handshake
    description: Send a text message "Hello World!"; once its echo arrives the harness closes with 1000.
    expectation: The peer echoes the message and answers the Close with 1000 (or no code); clean close.
    rfc: ["RFC 6455 §5.6", "RFC 6455 §7.1.2"]
    steps:
      - frame: {opcode: text, payload: Hello World!}
      - guard: {kill_after: 1s}
    expect:
      events: {OK: [{text: Hello World!}]}
      close: {closed_by: harness, codes: [1000], clean: true}
      wrong_code_fails: true

  - id: "7.1.2"
    template: clean-1000
    title: Two Close frames
    description: >-
      Close with 1000, then at once a second, raw close frame with an empty payload (written as a
      plain frame, so the harness's state does not change again).
    expectation: The peer completes the closing handshake cleanly with 1000 (or no code) and ignores the second Close.
    steps:
      - close: {code: 1000}
      - frame: {opcode: close}
      - guard: {kill_after: 1s}

"""#),
            seed("vary-product", #"""
section: 13
title: Product
cases:
  - id: "13.{p}.{y}"
    vary:
      - p: [1, 2]
        offers: [["permessage-deflate"], ["permessage-deflate; client_max_window_bits"]]
      - y: [1, 2, 3]
        size: [16, 64, 256]
    title: "{size} octets, negotiation {p}"
    description: Send a text message of {size} '*'.
    expectation: Echo.
    rfc: ["RFC 7692 §7.2.1"]
    deflate:
      offers: "{offers}"
      answers: [{}]
    steps:
      - message: {type: text, payload: {repeat: "*", length: "{size}"}}
    expect:
      events: {OK: [{text: {repeat: "*", length: "{size}"}}]}
      close: {closed_by: harness, codes: [1000], clean: true}

"""#),
            seed("unknown-key-wrong-section", #"""
section: 2
title: Pings
cases:
  - id: "3.1"
    title: A ping
    colour: blue
    steps:
      - frame: {opcode: ping, payload: {hex: "zz"}}

"""#),
            seed("yaml-syntax-error", "section: 1\ntitle: [unterminated\ncases:\n  - {id: \"1.1\"\n"),
        ]
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    static func hexString(_ buffer: ByteBuffer) -> String {
        buffer.readableBytesView.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
