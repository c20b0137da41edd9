import NIOCore
import Testing
import WSEngine

/// The closing handshake (RFC 6455 §5.5.1, §7.1) between two in-memory `Connection`s.
@Suite struct ConnectionCloseTests {
    @Test(arguments: [Role.client, .server])
    func closeInitiatedByEitherSideIsEchoed(_ initiator: Role) {
        var link = LinkedConnections()
        if initiator == .client {
            link.client.close(code: .goingAway, reason: "bye")
            #expect(link.client.state == .closeSent)
        } else {
            link.server.close(code: .goingAway, reason: "bye")
            #expect(link.server.state == .closeSent)
        }
        link.pump()
        let (initiatorEvents, responderEvents) = initiator == .client
            ? (link.clientEvents, link.serverEvents) : (link.serverEvents, link.clientEvents)
        // The responder sees the code and reason; the initiator gets the code echoed without a reason.
        #expect(responderEvents == [.closeReceived(.goingAway, reason: ByteBuffer(string: "bye"))])
        #expect(initiatorEvents == [.closeReceived(.goingAway, reason: ByteBuffer())])
        #expect(link.client.state == .closed && link.server.state == .closed)
        let (sender, receiver) = initiator == .client ? (link.client, link.server) : (link.server, link.client)
        #expect(sender.sentClose == ClosePayload(code: .goingAway, reason: "bye"))
        #expect(receiver.receivedClose == ClosePayload(code: .goingAway, reason: "bye"))
        #expect(receiver.sentClose == ClosePayload(code: .goingAway))
        #expect(sender.receivedClose == ClosePayload(code: .goingAway))
        // RFC 6455 §7.1.1: the server closes TCP first; the client waits for it.
        #expect(link.server.shouldCloseTCP)
        #expect(!link.client.shouldCloseTCP)
    }

    @Test func emptyCloseIsAnsweredWithAnEmptyClose() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        #expect(server.events(receiving: ConnectionWire.bytes(ConnectionWire.close(nil))) == [.closeReceived(nil, reason: ByteBuffer())])
        let reply = server.takeFrames()
        #expect(reply.map(\.opcode) == [.close])
        #expect(reply.first?.payload.readableBytes == 0)
        #expect(server.state == .closed)
    }

    @Test func closeWithoutCodeSendsAnEmptyPayload() {
        var link = LinkedConnections()
        link.client.close(code: nil)
        link.pump()
        #expect(link.serverEvents == [.closeReceived(nil, reason: ByteBuffer())])
        #expect(link.clientEvents == [.closeReceived(nil, reason: ByteBuffer())])
    }

    @Test func statesAndTCPDutyAlongTheHandshake() {
        var client = Connection(configuration: ConnectionConfiguration(role: .client))
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        #expect(client.state == .open && !client.shouldCloseTCP && !server.shouldCloseTCP)
        server.close()
        #expect(server.state == .closeSent && !server.shouldCloseTCP)
        client.receive(server.takeOutput()!)
        // The Close is answered when the application takes the event, not before.
        #expect(client.state == .open && client.takeOutput() == nil)
        #expect(client.drainEvents() == [.closeReceived(.normalClosure, reason: ByteBuffer())])
        #expect(client.state == .closed && !client.shouldCloseTCP)
        server.receive(client.takeOutput()!)
        #expect(server.drainEvents() == [.closeReceived(.normalClosure, reason: ByteBuffer())])
        #expect(server.state == .closed && server.shouldCloseTCP)
    }

    @Test func echoOfAMessageInTheSameReadAsTheCloseGoesOutBeforeTheReply() {
        // Autobahn 7.1.6: an echo server must still echo what came before the Close.
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        server.receive(ConnectionWire.bytes([ConnectionWire.text("one"), Frame(opcode: .ping, bytes: [7]),
                                             ConnectionWire.text("two"), ConnectionWire.close(.goingAway)]))
        while let event = server.nextEvent() {
            if case let .message(kind, payload) = event { server.send(kind, payload) }
        }
        let out = server.takeFrames()
        #expect(out.map(\.opcode) == [.text, .pong, .text, .close])
        #expect(out.map { String(buffer: $0.payload) }.prefix(3) == ["one", "\u{7}", "two"])
        #expect(out.last?.closePayload == ClosePayload(code: .goingAway))
    }

    @Test func nothingIsSentOnceClosing() {
        var link = LinkedConnections()
        link.client.close()
        _ = link.client.takeOutput()
        link.client.send(.text, ByteBuffer(string: "late"))
        link.client.sendPing()
        link.client.sendPong()
        link.client.close(code: .goingAway)
        #expect(link.client.takeOutput() == nil)
        #expect(link.client.sentClose == ClosePayload(code: .normalClosure))
    }

    @Test func framesAfterTheCloseAreIgnored() {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        // In the same read as the Close, and in a later one; even invalid frames are not looked at.
        let sameRead = ConnectionWire.bytes([ConnectionWire.close(.normalClosure), ConnectionWire.text("after")])
        #expect(server.events(receiving: sameRead) == [.closeReceived(.normalClosure, reason: ByteBuffer())])
        #expect(server.takeFrames().map(\.opcode) == [.close])
        let later = ConnectionWire.bytes([ConnectionWire.text("later"), Frame(opcode: .ping), Frame(opcode: Opcode(rawValue: 5))])
        #expect(server.events(receiving: later).isEmpty)
        #expect(server.takeOutput() == nil)
        #expect(server.state == .closed)
    }

    @Test func afterSendingCloseWhatThePeerStillSendsIsReported() {
        var client = Connection(configuration: ConnectionConfiguration(role: .client))
        client.close(code: .normalClosure)
        _ = client.takeOutput()
        // Autobahn 7.1.6: messages the peer sent before it saw our Close still arrive, and count.
        let incoming = ConnectionWire.bytes([ConnectionWire.text("in flight"), Frame(opcode: .ping, bytes: [1]),
                                             ConnectionWire.close(.normalClosure)], from: .server)
        #expect(client.events(receiving: incoming) == [.message(.text, ByteBuffer(string: "in flight")),
                                                       .ping(ByteBuffer(bytes: [1])),
                                                       .closeReceived(.normalClosure, reason: ByteBuffer())])
        // No pong and no second Close: our Close was the last frame we send.
        #expect(client.takeOutput() == nil)
        #expect(client.state == .closed)
    }

    @Test func closeInTheMiddleOfAFragmentedMessageEndsIt() {
        // Autobahn 7.1.5: text fin=0, Close, continuation fin=1: no message, the Close is echoed.
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        let frames = [ConnectionWire.text("fragment1", fin: false), ConnectionWire.close(.normalClosure),
                      Frame(opcode: .continuation, bytes: Array("fragment2".utf8))]
        #expect(server.events(receiving: ConnectionWire.bytes(frames)) == [.closeReceived(.normalClosure, reason: ByteBuffer())])
        #expect(server.takeFrames().map(\.closePayload) == [ClosePayload(code: .normalClosure)])
    }

    @Test func violationWhileClosingFailsWithoutASecondClose() {
        var client = Connection(configuration: ConnectionConfiguration(role: .client))
        client.close()
        _ = client.takeOutput()
        let events = client.events(receiving: ConnectionWire.bytes(Frame(opcode: Opcode(rawValue: 3)), from: .server))
        #expect(events.map(\.failure?.violation) == [.reservedOpcode(Opcode(rawValue: 3))])
        #expect(client.state == .failed)
        #expect(client.takeOutput() == nil)
        #expect(client.sentClose == ClosePayload(code: .normalClosure))
    }

    @Test(arguments: [1000, 1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999] as [UInt16])
    func everyValidCodeIsEchoed(_ code: UInt16) {
        var server = Connection(configuration: ConnectionConfiguration(role: .server))
        _ = server.events(receiving: ConnectionWire.bytes(ConnectionWire.close(CloseCode(code), reason: "r")))
        #expect(server.takeFrames().first?.closePayload == ClosePayload(code: CloseCode(code)))
    }
}
