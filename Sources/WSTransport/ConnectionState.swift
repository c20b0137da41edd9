import NIOConcurrencyHelpers
import NIOCore

/// What a connection's channel handlers and its `RawConnection` share across threads: the inbound
/// queue, the recording and the first observed end.
final class ConnectionState: Sendable {
    private struct Log: Sendable {
        var recorder: WireRecorder
        var end: ConnectionEnd?
        /// Uptime at which TCP was established; record timestamps count from here.
        var start: UInt64?
    }

    /// Chunks read ahead of the consumer, then the end of the stream.
    let inbound: Mailbox<ReadResult>
    private let log: NIOLockedValueBox<Log>

    init(options: ConnectionOptions, channel: any Channel) {
        self.inbound = Mailbox(
            budget: options.readAheadLimit,
            weigh: { if case .bytes(let buffer) = $0 { buffer.readableBytes } else { 0 } },
            // The handler paused socket reads at the budget; the consumer has made room again.
            onDrained: { channel.read() }
        )
        self.log = NIOLockedValueBox(Log(recorder: WireRecorder(limits: options.recording)))
    }

    func markEstablished() {
        self.log.withLockedValue { $0.start = $0.start ?? NIODeadline.now().uptimeNanoseconds }
    }

    /// Records a read and queues it for the consumer.
    func received(_ buffer: ByteBuffer) {
        self.record(.read, buffer)
        self.inbound.put(.bytes(buffer))
    }

    func wrote(_ buffer: ByteBuffer) {
        self.record(.write, buffer)
    }

    private func record(_ direction: WireRecord.Direction, _ buffer: ByteBuffer) {
        let now = NIODeadline.now().uptimeNanoseconds
        self.log.withLockedValue { log in
            let start = log.start ?? now
            log.recorder.record(direction, buffer, nanos: now >= start ? now - start : 0)
        }
    }

    /// Notes `end` unless an earlier end was already observed; returns the first end.
    @discardableResult
    func observe(_ end: ConnectionEnd) -> ConnectionEnd {
        self.log.withLockedValue { log in
            if log.end == nil { log.end = end }
            return log.end!
        }
    }

    /// Ends the inbound stream (after the queued chunks) with the first observed end, which is
    /// `fallback` when nothing was observed before.
    func finishInbound(_ fallback: ConnectionEnd) {
        self.inbound.finish(.end(self.observe(fallback)))
    }

    var end: ConnectionEnd? { self.log.withLockedValue { $0.end } }
    var records: [WireRecord] { self.log.withLockedValue { $0.recorder.records } }
    var stats: WireStats { self.log.withLockedValue { $0.recorder.stats } }
}
