import NIOCore
import Testing
import WSEngine
@testable import WSCatalog
@testable import WSJudge

/// The one-sentence finding that leads a failed case: derived from what the peer did against what
/// the case expects (the same observations as `AutobahnBrokenServerTableTests`).
@Suite struct FindingTests {
    func tc(_ id: String) throws -> TestCase { try #require(try Shipped.catalog()[CaseID(id)!]) }

    func finding(_ id: String, _ o: Observation, role: Role = .client) throws -> String? {
        Judge.verdict(case: try tc(id), observation: o, role: role).finding
    }

    @Test("6.4.1 against a server that echoes invalid UTF-8: it sent it instead of failing with 1007")
    func echoedInvalidUTF8() throws {
        let utf8 = ProtocolError(.invalidUTF8InText(messageOffset: 11), offset: 13)
        let o = Build.observation([.timeout("A"), .timeout("B")], .harnessCloses(1007, reply: .code(1000)), tcpClosedBy: .peer,
                                  failure: .protocolViolation(utf8))
        let f = try #require(try finding("6.4.1", o))
        #expect(f == "The server sent invalid UTF-8 in a text message at byte 11 of the message instead of failing the connection with 1007.")
    }

    @Test("A server that ignores a reserved opcode keeps the connection open until the guard: the sentence says so")
    func keptOpen() throws {
        let o = Build.observation([Build.binary([])], .harnessCloses(1001, reply: .code(1000)), tcpClosedBy: .peer, failure: .guardTimer)
        let f = try #require(try finding("4.1.1", o))
        #expect(f.hasPrefix("The server kept the connection open"), "\(f)")
        #expect(f.contains("until the harness gave up"), "\(f)")
        #expect(f.hasSuffix("instead of failing the connection with 1002."), "\(f)")
    }

    @Test("A wrong close code: the code sent and the codes expected")
    func wrongCode() throws {
        let o = Build.observation([], .harnessCloses(1000, reply: .code(1011)), tcpClosedBy: .peer)
        let f = try #require(try finding("7.7.1", o))
        #expect(f == "The server answered the harness's Close with 1011 instead of 1000.")
    }

    @Test("A bad Close in reply to the harness's Close: what it sent against the codes expected")
    func badCloseReply() throws {
        let bad = ProtocolError(.invalidCloseCode(999), offset: 2)
        let o = Build.observation([], .harnessCloses(999, reply: .code(999)), tcpClosedBy: .peer, failure: .protocolViolation(bad))
        let f = try #require(try finding("7.9.2", o))
        #expect(f == "The server sent a Close with the invalid code 999 instead of answering the harness's Close with 1002.")
    }

    @Test("The events differ: what the peer sent against what it should have sent")
    func eventsDiffer() throws {
        let o = Build.observation([Build.text("other")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        let f = try #require(try finding("1.1.2", o))
        #expect(f.hasPrefix("The server sent [text message (5 octets)] instead of sending [text message"), "\(f)")
    }

    @Test("Harness as server, the peer is the client; a never-opened connection says why")
    func clientRoleAndHandshake() throws {
        let o = Build.observation([], .noClose, tcpClosedBy: .peer, opened: false)
        let f = try #require(try finding("1.1.1", o, role: .server))
        #expect(f == "The client did not complete the opening handshake (connection refused).")
    }

    @Test("Acceptable verdicts have no finding; every failed verdict of the broken-server table has one sentence")
    func presence() throws {
        let ok = Build.observation([Build.text("")], .harnessCloses(1000, reply: .code(1000)), tcpClosedBy: .peer)
        #expect(try finding("1.1.1", ok) == nil)
        let unclean = Build.observation([Build.text("")], .harnessCloses(1000, reply: .none), tcpClosedBy: .harness,
                                        failure: .closeHandshakeTimeout)
        let f = try #require(try finding("1.1.1", unclean))
        #expect(f == "The server never sent a Close frame instead of a clean closing handshake.")
        #expect(f.filter { $0 == "." }.count >= 1 && !f.contains("\n"))
    }
}
