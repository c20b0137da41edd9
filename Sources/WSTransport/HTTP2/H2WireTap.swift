import NIOConcurrencyHelpers
import NIOCore

/// What the server sent on an HTTP/2 connection, read from the frame headers on the wire rather
/// than from NIO's state machine: NIO refuses (and hides) a SETTINGS value it finds invalid, which is
/// exactly what an RFC 8441 case must report.
public struct H2WireFacts: Sendable, Hashable {
    /// Every SETTINGS_ENABLE_CONNECT_PROTOCOL value the server sent, in order.
    public var connectProtocolValues: [UInt32] = []
    /// The error code of the server's first GOAWAY, if any.
    public var goAway: UInt32?
    /// The error code of the server's first RST_STREAM, per stream.
    public var resets: [UInt32: UInt32] = [:]
    /// WINDOW_UPDATE frames from the server: on stream 0 and on all other streams together.
    public var connectionWindowUpdates = 0
    public var streamWindowUpdates = 0

    public init() {}
}

/// Sits beneath the HTTP/2 handler (next to the socket, or to TLS): scans the server's frame headers
/// into `H2WireFacts` and lets the harness write frames NIO's state machine would refuse to send
/// (DATA on a stream it has ended).
final class H2WireTap: ChannelDuplexHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Scan {
        var facts = H2WireFacts()
        /// Octets of an incomplete frame header.
        var header: [UInt8] = []
        /// The frame being read: its type, stream, and payload octets still to come.
        var type: UInt8 = 0
        var stream: UInt32 = 0
        var remaining = 0
        /// The payload of a frame whose content matters (SETTINGS, GOAWAY, RST_STREAM).
        var payload: [UInt8]?
    }
    private let scan = NIOLockedValueBox(Scan())

    var facts: H2WireFacts { self.scan.withLockedValue { $0.facts } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = self.unwrapInboundIn(data)
        self.scan.withLockedValue { Self.feed(bytes.readableBytesView, into: &$0) }
        context.fireChannelRead(data)
    }

    private static func feed(_ bytes: ByteBufferView, into s: inout Scan) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if s.remaining == 0 && s.payload == nil {
                s.header.append(bytes[i])
                i += 1
                guard s.header.count == 9 else { continue }
                let h = s.header
                s.header = []
                s.remaining = Int(h[0]) << 16 | Int(h[1]) << 8 | Int(h[2])
                s.type = h[3]
                s.stream = (UInt32(h[5]) << 24 | UInt32(h[6]) << 16 | UInt32(h[7]) << 8 | UInt32(h[8])) & 0x7FFF_FFFF
                let ack = h[4] & 1 == 1
                if s.type == 8 { if s.stream == 0 { s.facts.connectionWindowUpdates += 1 } else { s.facts.streamWindowUpdates += 1 } }
                s.payload = (s.type == 3 || s.type == 7 || (s.type == 4 && !ack)) ? [] : nil
                if s.remaining == 0 { finish(&s) }
                continue
            }
            let take = min(s.remaining, bytes.endIndex - i)
            if s.payload != nil { s.payload! += bytes[i..<(i + take)] }
            i += take
            s.remaining -= take
            if s.remaining == 0 { finish(&s) }
        }
    }

    private static func finish(_ s: inout Scan) {
        defer { s.payload = nil }
        guard let p = s.payload else { return }
        func word(_ at: Int) -> UInt32 {
            UInt32(p[at]) << 24 | UInt32(p[at + 1]) << 16 | UInt32(p[at + 2]) << 8 | UInt32(p[at + 3])
        }
        switch s.type {
        case 3 where p.count >= 4:
            if s.facts.resets[s.stream] == nil { s.facts.resets[s.stream] = word(0) }
        case 7 where p.count >= 8:
            if s.facts.goAway == nil { s.facts.goAway = word(4) }
        case 4:
            var at = 0
            while at + 6 <= p.count {
                if UInt16(p[at]) << 8 | UInt16(p[at + 1]) == 8 { s.facts.connectProtocolValues.append(word(at + 2)) }
                at += 6
            }
        default:
            break
        }
    }

    /// One frame written as it is, past NIO's HTTP/2 state machine.
    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: [UInt8]) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(UInt8(truncatingIfNeeded: payload.count >> 16))
        b.writeInteger(UInt16(truncatingIfNeeded: payload.count))
        b.writeInteger(type)
        b.writeInteger(flags)
        b.writeInteger(stream & 0x7FFF_FFFF)
        b.writeBytes(payload)
        return b
    }
}
