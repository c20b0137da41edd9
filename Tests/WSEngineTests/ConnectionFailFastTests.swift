import NIOCore
import Testing
import WSEngine
import WSRandom

/// Autobahn 6.4.1–6.4.4: invalid UTF-8 in the middle of a text message must fail the connection as
/// soon as the offending byte arrives, not on the valid prefix before it and not only at the end.
@Suite struct ConnectionFailFastTests {
    struct Chunking: Sendable, CustomTestStringConvertible {
        var id: String
        var parts: [String]
        /// The three parts are frames of a fragmented message (6.4.1, 6.4.2) or chunks of one frame.
        var asFrames: Bool
        /// Where the bad byte sits in the message.
        var badOffset: Int
        var testDescription: String { id }
    }

    static let chunkings: [Chunking] = [
        Chunking(id: "6.4.1", parts: ["cebae1bdb9cf83cebcceb5", "f4908080", "656469746564"], asFrames: true, badOffset: 12),
        Chunking(id: "6.4.2", parts: ["cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564"], asFrames: true, badOffset: 12),
        Chunking(id: "6.4.3", parts: ["cebae1bdb9cf83cebcceb5", "f4908080", "656469746564"], asFrames: false, badOffset: 12),
        Chunking(id: "6.4.4", parts: ["cebae1bdb9cf83cebcceb5f4", "90", "8080656469746564"], asFrames: false, badOffset: 12),
    ]

    /// The wire bytes and the cut points between the three deliveries.
    static func wire(_ chunking: Chunking, from sender: Role) -> (ByteBuffer, cuts: [Int]) {
        let parts = chunking.parts.map(hexBytes)
        if chunking.asFrames {
            let frames = [Frame(fin: false, opcode: .text, bytes: parts[0]),
                          Frame(fin: false, opcode: .continuation, bytes: parts[1]),
                          Frame(opcode: .continuation, bytes: parts[2])]
            let pieces = frames.map { ConnectionWire.bytes($0, from: sender) }
            let cut1 = pieces[0].readableBytes, cut2 = cut1 + pieces[1].readableBytes
            return (pieces.reduce(ByteBuffer()) { $0.appending($1) }, [cut1, cut2])
        }
        // One 21-byte frame whose payload is streamed in three writes (header with the first part).
        let whole = ConnectionWire.bytes(Frame(opcode: .text, bytes: parts.flatMap { $0 }), from: sender)
        let header = whole.readableBytes - 21
        return (whole, [header + parts[0].count, header + parts[0].count + parts[1].count])
    }

    @Test(arguments: chunkings, [Role.server, .client])
    func failsAfterTheSecondPartAndBeforeTheThird(_ chunking: Chunking, _ receiver: Role) throws {
        let (bytes, cuts) = Self.wire(chunking, from: receiver.peer)
        var connection = Connection(configuration: ConnectionConfiguration(role: receiver))
        let events = connection.receive(bytes, cuts: cuts)
        try #require(events.count == 1, "exactly one event: the failure")
        #expect(events[0].piecesFed == 2, "failed on the second part: not on the valid prefix, not at the end")
        #expect(events[0].event.failure?.violation == .invalidUTF8InText(messageOffset: chunking.badOffset))
        #expect(connection.takeFrames().first?.closePayload?.code == .invalidPayloadData)
    }

    @Test func validPrefixThatEndsInsideASequenceIsNotAFailure() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        // "κόσμε" cut inside its last character, in a non-final frame: more may come.
        let events = server.events(receiving: ConnectionWire.bytes(Frame(fin: false, opcode: .text, bytes: hexBytes("cebae1bdb9cf83cebcce"))))
        #expect(events.isEmpty)
        #expect(server.state == .open)
        #expect(server.events(receiving: ConnectionWire.bytes(Frame(opcode: .continuation, bytes: [0xB5]))).map(\.messageText) == ["κόσμε"])
    }

    @Test func badByteInALongSingleFrameFailsBeforeTheRestArrives() throws {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        var payload = [UInt8](repeating: 0x61, count: 100_000)
        payload[10] = 0xFF
        let wire = ConnectionWire.bytes(Frame(opcode: .text, bytes: payload))
        let cuts = Array(stride(from: 1_000, to: wire.readableBytes, by: 1_000))
        let events = server.receive(wire, cuts: cuts)
        try #require(events.count == 1)
        #expect(events[0].piecesFed == 1)
        #expect(events[0].event.failure?.violation == .invalidUTF8InText(messageOffset: 10))
    }

    @Test func compressedTextFailsWhileStillInflating() throws {
        let negotiated = NegotiatedDeflate()
        var client = Connection(configuration: ConnectionConfiguration(role: .client, deflate: negotiated))
        var server = Connection(configuration: ConnectionConfiguration(role: .server, deflate: negotiated))
        // Random-looking valid text with one bad byte near the start, so the compressed form is long.
        var rng = DeterministicRandom(seed: 7)
        var payload = (0..<300_000).map { _ in UInt8.random(in: 0x21...0x7E, using: &rng) }
        payload[1_000] = 0xC0
        client.send(.text, ByteBuffer(bytes: payload))
        let output = client.takeOutput()
        let wire = try #require(output)
        #expect(wire.readableBytes > 100_000, "the message did not compress to nothing")
        let cuts = Array(stride(from: 4_096, to: wire.readableBytes, by: 4_096))
        let events = server.receive(wire, cuts: cuts)
        try #require(events.count == 1)
        #expect(events[0].piecesFed < cuts.count / 2, "failed long before the end of the message")
        #expect(events[0].event.failure?.violation == .invalidUTF8InText(messageOffset: 1_000))
        #expect(server.takeFrames().first?.closePayload?.code == .invalidPayloadData)
    }
}
