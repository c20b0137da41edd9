import NIOCore
import WSEngine
@testable import WSCatalog
@testable import WSClientTesting
@testable import WSJudge

/// Hand-built observations: what a runner would have recorded for a given peer behaviour.
enum Build {
    enum Reply { case code(CloseCode), empty, none }

    enum Flow {
        /// The harness sent the first Close (with this code, nil = empty); the peer replied or not.
        case harnessCloses(CloseCode?, reply: Reply)
        /// The peer sent the first Close (nil = empty payload); the harness replied 1000.
        case peerCloses(CloseCode?)
        /// No Close at all (somebody dropped TCP).
        case noClose
    }

    static func text(_ s: String) -> ReceivedEvent { .message(.text, ByteBuffer(string: s)) }
    static func binary(_ b: [UInt8]) -> ReceivedEvent { .message(.binary, ByteBuffer(bytes: b)) }
    static func pong(_ b: [UInt8]) -> ReceivedEvent { .pong(ByteBuffer(bytes: b)) }
    static func pong(_ s: String) -> ReceivedEvent { .pong(ByteBuffer(string: s)) }

    static func observation(_ events: [ReceivedEvent] = [], _ flow: Flow, tcpClosedBy: Endpoint,
                            failure: HarnessFailureReason? = nil, opened: Bool = true, deflate: Bool = false,
                            sentFrames: [UInt8: Int] = [:], roundTrips: RoundTripLog? = nil) -> Observation {
        var o = Observation(handshake: HandshakeRecord(completed: opened, deflate: deflate ? DeflateParameters() : nil,
                                                       failure: opened ? nil : "connection refused"))
        o.events = events
        switch flow {
        case let .harnessCloses(code, reply):
            o.closeInitiator = .harness
            o.closeSent = CloseRecord(code: code)
            switch reply {
            case let .code(c): o.closeReceived = CloseRecord(code: c)
            case .empty: o.closeReceived = CloseRecord(code: nil)
            case .none: break
            }
        case let .peerCloses(code):
            o.closeInitiator = .peer
            o.closeReceived = CloseRecord(code: code)
            o.closeSent = CloseRecord(code: 1000)
        case .noClose:
            break
        }
        if opened { o.tcpEnd = TCPEnd(closedFirstBy: tcpClosedBy, kind: tcpClosedBy == .harness ? .reset : .fin) }
        o.harnessFailure = failure.map { HarnessFailure($0) }
        o.sentFrames = sentFrames
        o.roundTrips = roundTrips
        return o
    }
}
