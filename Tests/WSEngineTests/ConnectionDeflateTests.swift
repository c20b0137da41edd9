import NIOCore
import Testing
import WSEngine
import WSRandom

/// permessage-deflate (RFC 7692) through two in-memory `Connection`s.
@Suite struct ConnectionDeflateTests {
    struct Params: Sendable, CustomTestStringConvertible {
        var negotiated: NegotiatedDeflate
        var testDescription: String { "\(negotiated)" }
    }

    static let params: [Params] = [
        NegotiatedDeflate(),
        NegotiatedDeflate(serverNoContextTakeover: true, clientNoContextTakeover: true),
        NegotiatedDeflate(serverMaxWindowBits: 9, clientMaxWindowBits: 9),
        NegotiatedDeflate(serverNoContextTakeover: true, clientNoContextTakeover: false, serverMaxWindowBits: 15, clientMaxWindowBits: 9),
        NegotiatedDeflate(serverNoContextTakeover: false, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 15),
    ].map(Params.init)

    /// Text whose repeats lie both within 512 bytes and far beyond, so small windows matter.
    static func message(_ n: Int) -> ByteBuffer {
        var rng = DeterministicRandom(seed: UInt64(n))
        let words = ["κόσμε", "frame", "deflate", "window", "🎉", "context", "takeover"]
        var text = ""
        while text.utf8.count < 20_000 { text += words.randomElement(using: &rng)! + " " }
        return ByteBuffer(string: text)
    }

    @Test(arguments: params)
    func echoesCompressedMessagesBothWays(_ params: Params) {
        var link = LinkedConnections(deflate: params.negotiated, echo: true)
        let messages = (0..<4).map(Self.message) + [ByteBuffer(), ByteBuffer(string: "x")]
        var wireBytes = 0
        for message in messages {
            link.client.send(.text, message)
            // Look at the frame before the server gets it: compressed and flagged with RSV1.
            let output = link.client.takeOutput()!
            wireBytes += output.readableBytes
            let frames = ConnectionWire.frames(output, sentBy: .client)
            #expect(frames.map(\.rsv) == [.rsv1])
            link.server.receive(output)
            link.pump()
        }
        let expected = messages.map { ConnectionEvent.message(.text, $0) }
        #expect(link.serverEvents == expected)
        #expect(link.clientEvents == expected)
        let plainBytes = messages.reduce(0) { $0 + $1.readableBytes }
        #expect(wireBytes < plainBytes / 2, "text compresses")
    }

    @Test(arguments: [false, true])
    func contextTakeoverShrinksARepeatedMessage(_ noContextTakeover: Bool) {
        let negotiated = NegotiatedDeflate(serverNoContextTakeover: noContextTakeover, clientNoContextTakeover: noContextTakeover)
        // Random bytes: nothing to gain within one message, everything from an earlier copy.
        var rng = DeterministicRandom(seed: 11)
        let message = ByteBuffer(bytes: (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &rng) })
        for sender in [Role.client, .server] {
            var connection = Connection(configuration: ConnectionConfiguration(role: sender, deflate: negotiated))
            var peer = Connection(configuration: ConnectionConfiguration(role: sender.peer, deflate: negotiated))
            var sizes: [Int] = []
            for _ in 0..<3 {
                connection.send(.binary, message)
                let out = connection.takeOutput()!
                sizes.append(ConnectionWire.frames(out, sentBy: sender)[0].payload.readableBytes)
                #expect(peer.events(receiving: out) == [.message(.binary, message)])
            }
            if noContextTakeover {
                #expect(sizes[1] == sizes[0] && sizes[2] == sizes[0], "\(sender): every message starts afresh")
            } else {
                #expect(sizes[1] < sizes[0] / 10, "\(sender): the second copy refers back to the first")
            }
        }
    }

    @Test(arguments: [1, 5, 1_000])
    func fragmentedCompressedMessagesReassemble(_ fragmentSize: Int) {
        var link = LinkedConnections(deflate: NegotiatedDeflate())
        let message = Self.message(9)
        link.client.send(.text, message, fragmentSize: fragmentSize)
        let out = link.client.takeOutput()!
        let frames = ConnectionWire.frames(out, sentBy: .client)
        #expect(frames.count > 1)
        #expect(frames.first?.rsv == .rsv1)
        #expect(frames.dropFirst().allSatisfy { $0.rsv.isEmpty && $0.opcode == .continuation })
        // Delivered in odd-sized pieces.
        let cuts = Array(stride(from: 3, to: out.readableBytes, by: 97))
        #expect(link.server.receive(out, cuts: cuts).map(\.event) == [.message(.text, message)])
    }

    @Test func compressedMessageEndingWithAnEmptyFrameInflates() {
        var client = Connection(configuration: ConnectionConfiguration(role: .client, deflate: NegotiatedDeflate()))
        var server = Connection(configuration: ConnectionConfiguration(role: .server, deflate: NegotiatedDeflate()))
        let message = Self.message(4)
        client.send(.text, message)
        let compressed = client.takeFrames()[0].payload
        // The whole compressed payload in a non-final frame, then an empty final continuation.
        let frames = [Frame(fin: false, rsv: .rsv1, opcode: .text, payload: compressed), Frame(opcode: .continuation)]
        #expect(server.events(receiving: ConnectionWire.bytes(frames)) == [.message(.text, message)])
        // The next message still inflates with the shared window.
        client.send(.text, message)
        #expect(server.events(receiving: client.takeOutput()!) == [.message(.text, message)])
    }

    @Test func uncompressedMessagesAndControlFramesStillWork() {
        var link = LinkedConnections(deflate: NegotiatedDeflate())
        link.client.sendPing(ByteBuffer(string: "p"))
        let pingFrames = link.client.takeFrames()
        #expect(pingFrames.map(\.rsv) == [[]], "control frames are never compressed")
        link.server.receive(ConnectionWire.bytes(pingFrames))
        // A peer may send any message uncompressed (RSV1 clear).
        link.server.receive(ConnectionWire.bytes(ConnectionWire.text("plain")))
        link.pump()
        #expect(link.serverEvents == [.ping(ByteBuffer(string: "p")), .message(.text, ByteBuffer(string: "plain"))])
        #expect(link.clientEvents == [.pong(ByteBuffer(string: "p"))])
    }

    @Test func compressedInvalidUTF8FailsWith1007() {
        var link = LinkedConnections(deflate: NegotiatedDeflate())
        link.client.send(.text, ByteBuffer(bytes: [0x61, 0xED, 0xA0, 0x80]))
        link.pump()
        // A surrogate (ED A0 80) fails at its second byte.
        #expect(link.serverEvents.map(\.failure?.violation) == [.invalidUTF8InText(messageOffset: 2)])
        #expect(link.clientEvents == [.closeReceived(.invalidPayloadData, reason: ByteBuffer())])
    }

    // MARK: Limits count decompressed bytes

    @Test func limitCountsDecompressedBytes() {
        let limit = 1_000
        for size in [limit, limit + 1] {
            var link = LinkedConnections(deflate: NegotiatedDeflate(), maximumMessageSize: limit)
            link.client.send(.binary, ByteBuffer(repeating: 0x41, count: size))
            let wire = link.client.takeOutput()!
            #expect(wire.readableBytes < 50, "tiny on the wire")
            let events = link.server.events(receiving: wire)
            if size == limit {
                #expect(events == [.message(.binary, ByteBuffer(repeating: 0x41, count: size))])
            } else {
                #expect(events.map(\.failure?.violation) == [.messageTooLarge(size: UInt64(limit) + 1, limit: UInt64(limit))])
                #expect(link.server.takeFrames().first?.closePayload?.code == .messageTooBig)
            }
        }
    }

    @Test func incompressibleMessageAtTheLimitIsAccepted() {
        // Random bytes grow slightly when deflated: the wire form is over the limit, the message is not.
        let limit = 10_000
        var rng = DeterministicRandom(seed: 3)
        let payload = ByteBuffer(bytes: (0..<limit).map { _ in UInt8.random(in: 0...255, using: &rng) })
        var link = LinkedConnections(deflate: NegotiatedDeflate(), maximumMessageSize: limit)
        link.client.send(.binary, payload)
        let wire = link.client.takeOutput()!
        #expect(ConnectionWire.frames(wire, sentBy: .client)[0].payload.readableBytes > limit)
        #expect(link.server.events(receiving: wire) == [.message(.binary, payload)])
    }

    @Test func uncompressedMessagesKeepTheirLimitsWithDeflateOn() {
        let config = ConnectionConfiguration(role: .server, maximumMessageSize: 100, maximumFrameSize: 80, deflate: NegotiatedDeflate())
        var tooBigFrame = Connection(configuration: config)
        let events = tooBigFrame.events(receiving: ConnectionWire.bytes(Frame(opcode: .binary, payload: connectionPattern(81))))
        #expect(events.map(\.failure?.violation) == [.frameTooLarge(length: 81, limit: 80)])
        var tooBigMessage = Connection(configuration: config)
        let frames = [Frame(fin: false, opcode: .binary, payload: connectionPattern(60)), Frame(opcode: .continuation, payload: connectionPattern(41))]
        #expect(tooBigMessage.events(receiving: ConnectionWire.bytes(frames)).map(\.failure?.violation)
            == [.messageTooLarge(size: 101, limit: 100)])
    }

    static let bomb: ByteBuffer = {
        // 10 MiB of zeros deflate to about 10 KiB.
        var sender = Connection(configuration: ConnectionConfiguration(role: .client, maximumMessageSize: .max,
                                                                        deflate: NegotiatedDeflate()))
        sender.send(.binary, ByteBuffer(repeating: 0, count: 10 << 20))
        return sender.takeOutput()!
    }()

    @Test func decompressionBombFailsWith1009AsSoonAsTheLimitIsCrossed() throws {
        let limit = 1 << 20
        #expect(Self.bomb.readableBytes < 20 * 1024)
        var server = Connection(configuration: ConnectionConfiguration(role: .server, maximumMessageSize: limit,
                                                                        deflate: NegotiatedDeflate()))
        let cuts = Array(stride(from: 512, to: Self.bomb.readableBytes, by: 512))
        let events = server.receive(Self.bomb, cuts: cuts)
        try #require(events.count == 1)
        #expect(events[0].event.failure?.violation == .messageTooLarge(size: UInt64(limit) + 1, limit: UInt64(limit)))
        // Inflation stopped just past the limit: long before the 10 MiB the rest would have made.
        #expect(events[0].piecesFed < (cuts.count + 1) / 4)
        #expect(server.takeFrames().first?.closePayload?.code == .messageTooBig)
        #expect(server.state == .failed)
    }

    @Test func bombInOneReadFailsToo() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server, maximumMessageSize: 1 << 20,
                                                                        deflate: NegotiatedDeflate()))
        #expect(server.events(receiving: Self.bomb).map(\.failure?.closeCode) == [.messageTooBig])
    }
}
