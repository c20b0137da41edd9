import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

/// A connection whose opening handshake completed: the session takes it from here.
package struct OpenedConnection: Sendable {
    package var raw: RawConnection
    package var handshake: HandshakeRecord
    package var deflate: NegotiatedDeflate?
    /// Octets that arrived after the handshake head (the peer's first frames).
    package var leftover: ByteBuffer
    /// The peer's name from the handshake (`Server` header as client, `User-Agent` as server).
    package var peerName: String?
    /// Inflate with exactly the negotiated window (`DeflateSpec.strict`).
    package var strictDeflate = false
    /// Other connections held open until the case ends (a handshake step's crowd), then closed.
    package var held: [RawConnection] = []
    /// Section 28: the case's HTTP/2 connection, checked and closed once the case is over.
    package var h2Case: H2CaseContext?

    package init(raw: RawConnection, handshake: HandshakeRecord, deflate: NegotiatedDeflate?, leftover: ByteBuffer,
                 peerName: String? = nil) {
        self.raw = raw
        self.handshake = handshake
        self.deflate = deflate
        self.leftover = leftover
        self.peerName = peerName
    }
}

extension OpenedConnection {
    /// Ends a probe connection (the harness as client) politely: a masked Close 1000, then a moment
    /// for the server to answer and close TCP first, as it should.
    package func closeAsProbe() async {
        var close = ByteBuffer()
        FrameWriter.write(Frame(opcode: .close, maskingKey: .random(), bytes: [0x03, 0xE8]), into: &close)
        try? await raw.write(close)
        let until = ContinuousClock.now + .seconds(1)
        while case .bytes = await raw.read(until: until) {}
        await raw.close()
    }
}

/// How opening a case's connection ended.
package enum OpeningOutcome: Sendable {
    case opened(OpenedConnection)
    /// The connection was made but the handshake did not complete; `raw` is already closed.
    case handshakeFailed(HandshakeRecord, tcpEnd: TCPEnd?)
    /// No connection at all (refused, unresolvable, TLS failure, connect timeout).
    case unreachable(TransportError)
}

/// The role seam: everything that differs between the harness as client (testing a server) and as
/// server (testing a client). The endpoint covers masking, mask checks and who closes TCP after the
/// closing handshake (all from `role`); the judge covers FAILED BY CLIENT. What is left is getting a
/// connection and its opening handshake, which is this protocol.
package protocol HarnessRoleDriver: Sendable {
    var role: Role { get }
    /// Connects (or accepts) and completes the opening handshake for one case, negotiating
    /// permessage-deflate as `deflate` asks, within `timeout` of `start`.
    func open(deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome
    /// Connects (or accepts) and performs the case's own opening handshake (sections 20–22) instead
    /// of the usual one.
    func open(handshake: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome
    /// Carries WebSockets over HTTP/2 (RFC 8441), so that section 28's cases apply.
    var speaksHTTP2: Bool { get }
    /// Connects and opens the case's WebSocket with its own extended CONNECT (section 28).
    func open(http2: H2Request, deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome
}

extension HarnessRoleDriver {
    package var speaksHTTP2: Bool { false }

    package func open(http2: H2Request, deflate: DeflateSpec?, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        .handshakeFailed(HandshakeRecord(completed: false, failure: "the harness as \(role) does not open WebSockets over HTTP/2"), tcpEnd: nil)
    }

    /// A role that cannot write a case's own handshake yet reports the case as never opened.
    package func open(handshake: HandshakeStep, timeout: Duration, start: ContinuousClock.Instant) async -> OpeningOutcome {
        .handshakeFailed(HandshakeRecord(completed: false, failure: "the harness as \(role) cannot send a case's own handshake"),
                         tcpEnd: nil)
    }
}
