import NIOCore
import Testing
import WSEngine

/// Data messages and pings between two in-memory `Connection`s, and hand-built frames fed to one.
@Suite struct ConnectionMessageTests {
    @Test(arguments: [0, 1, 125, 126, 65_535, 65_536, 200_000])
    func echoesBinaryOfEverySizeClass(_ size: Int) {
        var link = LinkedConnections(echo: true)
        let payload = connectionPattern(size)
        link.client.send(.binary, payload)
        link.pump()
        #expect(link.serverEvents == [.message(.binary, payload)])
        #expect(link.clientEvents == [.message(.binary, payload)])
        #expect(link.client.state == .open && link.server.state == .open)
    }

    @Test func echoesTextMessages() {
        var link = LinkedConnections(echo: true)
        let texts = ["", "Hello", "κόσμε", "🎉 emoji and \u{10FFFF}", String(repeating: "ab€", count: 10_000)]
        for text in texts { link.client.send(.text, ByteBuffer(string: text)) }
        link.pump()
        #expect(link.serverEvents.map(\.messageText) == texts)
        #expect(link.clientEvents.map(\.messageText) == texts)
    }

    @Test func clientFramesAreMaskedAndServerFramesAreNot() {
        var client = Connection(configuration: ConnectionConfiguration(role: .client))
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        client.send(.text, ByteBuffer(string: "x"))
        server.send(.text, ByteBuffer(string: "x"))
        #expect(client.takeFrames().map(\.maskingKey).allSatisfy { $0 != nil })
        #expect(server.takeFrames().map(\.maskingKey) == [nil])
        #expect(client.takeOutput() == nil, "takeOutput empties the queue")
    }

    @Test(arguments: [1, 3, 7, 100])
    func sendsFragmentedMessagesThatReassemble(_ fragmentSize: Int) {
        var link = LinkedConnections(echo: true)
        let text = String(repeating: "κόσμε ", count: 20)
        link.client.send(.text, ByteBuffer(string: text), fragmentSize: fragmentSize)
        let frames = ConnectionWire.frames(link.client.takeOutput()!, sentBy: .client)
        let expectedCount = (text.utf8.count + fragmentSize - 1) / fragmentSize
        #expect(frames.count == expectedCount)
        #expect(frames.first?.opcode == .text)
        #expect(frames.dropFirst().allSatisfy { $0.opcode == .continuation })
        #expect(frames.map(\.fin) == Array(repeating: false, count: expectedCount - 1) + [true])
        #expect(frames.allSatisfy { $0.payload.readableBytes <= fragmentSize })

        // The same frames, delivered to the server, make one message.
        link.server.receive(ConnectionWire.bytes(frames))
        link.pump()
        #expect(link.serverEvents.map(\.messageText) == [text])
        #expect(link.clientEvents.map(\.messageText) == [text])
    }

    static let fragmented: [Frame] = [
        Frame(fin: false, opcode: .text, bytes: Array("κό".utf8)),
        Frame(opcode: .ping, bytes: Array("p1".utf8)),
        Frame(fin: false, opcode: .continuation, bytes: Array("σμ".utf8).dropLast()),
        Frame(opcode: .pong, bytes: []),
        Frame(fin: false, opcode: .continuation, bytes: Array("σμ".utf8).suffix(1)),
        Frame(fin: false, opcode: .continuation, bytes: []),
        Frame(opcode: .continuation, bytes: Array("ε".utf8)),
    ]

    static let fragmentedEvents: [ConnectionEvent] = [
        .ping(ByteBuffer(string: "p1")), .pong(ByteBuffer()), .message(.text, ByteBuffer(string: "κόσμε")),
    ]

    @Test func reassemblesFragmentsWithInterleavedControlFrames() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        #expect(server.events(receiving: ConnectionWire.bytes(Self.fragmented)) == Self.fragmentedEvents)
        // The ping in the middle was answered at once, with its payload.
        let replies = server.takeFrames()
        #expect(replies.map(\.opcode) == [.pong])
        #expect(replies.first?.payload == ByteBuffer(string: "p1"))
    }

    @Test func anySplitOfTheStreamGivesTheSameEvents() {
        let wire = ConnectionWire.bytes(Self.fragmented)
        // One byte at a time.
        var bytewise = Connection(configuration: ConnectionConfiguration(role: .server))
        let everyByte = bytewise.receive(wire, cuts: Array(1..<wire.readableBytes))
        #expect(everyByte.map(\.event) == Self.fragmentedEvents)
        // Every single cut point.
        for cut in 0...wire.readableBytes {
            var server = Connection(configuration: ConnectionConfiguration(role: .server))
            let events = server.receive(wire, cuts: [cut]).map(\.event)
            #expect(events == Self.fragmentedEvents, "cut at \(cut)")
            #expect(server.takeFrames().map(\.opcode) == [.pong], "cut at \(cut)")
        }
    }

    @Test func messageIsReportedOnlyWhenItsLastByteArrives() {
        let wire = ConnectionWire.bytes([ConnectionWire.text("abc", fin: false), Frame(opcode: .continuation, bytes: Array("def".utf8))])
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        let events = server.receive(wire, cuts: Array(1..<wire.readableBytes))
        #expect(events.count == 1)
        #expect(events.first?.event.messageText == "abcdef")
        #expect(events.first?.piecesFed == wire.readableBytes)
    }

    @Test func autoReplyPingAnswersEveryPingWithItsPayload() {
        var link = LinkedConnections()
        link.client.sendPing(ByteBuffer(string: "one"))
        link.client.sendPing(ByteBuffer())
        link.pump()
        #expect(link.serverEvents == [.ping(ByteBuffer(string: "one")), .ping(ByteBuffer())])
        #expect(link.clientEvents == [.pong(ByteBuffer(string: "one")), .pong(ByteBuffer())])
    }

    @Test func withoutAutoReplyPingsAreOnlyReported() {
        var link = LinkedConnections(server: ConnectionConfiguration(role: .server, autoReplyPing: false))
        let payload = connectionPattern(125)
        link.client.sendPing(payload)
        link.pump()
        #expect(link.serverEvents == [.ping(payload)])
        #expect(link.clientEvents.isEmpty)
        // The application answers itself.
        link.server.sendPong(payload)
        link.pump()
        #expect(link.clientEvents == [.pong(payload)])
    }

    @Test func unsolicitedPongIsReportedAndNotAnswered() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        #expect(server.events(receiving: ConnectionWire.bytes(Frame(opcode: .pong, bytes: [1, 2]))) == [.pong(ByteBuffer(bytes: [1, 2]))])
        #expect(server.takeOutput() == nil)
    }

    @Test func reportFramesAddsEveryHeader() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        server.reportFrames = true
        let events = server.events(receiving: ConnectionWire.bytes(Self.fragmented))
        let headers = events.compactMap { event -> FrameHeader? in
            if case let .frameReceived(header) = event { header } else { nil }
        }
        #expect(headers.map(\.opcode) == Self.fragmented.map(\.opcode))
        #expect(headers.allSatisfy { $0.maskingKey == ConnectionWire.key })
        #expect(events.filter { if case .frameReceived = $0 { false } else { true } } == Self.fragmentedEvents)
    }

    @Test func rawAndHandBuiltFramesGoOutUnchanged() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        server.sendRaw(ByteBuffer(bytes: [0x81, 0x01]))
        server.send(Frame(rsv: .rsv2, opcode: Opcode(rawValue: 3), bytes: [9]))
        #expect(server.takeOutput() == ByteBuffer(bytes: [0x81, 0x01, 0xA3, 0x01, 0x09]))
    }
}
