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
    /// Push delivery (`RawConnection.deliverReads(to:)`): once set, reads and the end go straight to
    /// this closure on the event loop instead of the mailbox. Touched only on the event loop.
    private let push: NIOLoopBoundBox<PushState>

    struct PushState {
        var active = false
        /// Dropped once the end is delivered, so that the consumer (which usually holds the
        /// connection's owner) does not outlive the connection.
        var consumer: (@Sendable (ReadResult) -> Void)?
    }

    init(options: ConnectionOptions, channel: any Channel) {
        self.inbound = Mailbox(
            budget: options.readAheadLimit,
            weigh: { if case .bytes(let buffer) = $0 { buffer.readableBytes } else { 0 } },
            // The handler paused socket reads at the budget; the consumer has made room again.
            onDrained: { channel.read() }
        )
        self.log = NIOLockedValueBox(Log(recorder: WireRecorder(limits: options.recording)))
        self.push = NIOLoopBoundBox(PushState(), eventLoop: channel.eventLoop)
    }

    /// True once reads are pushed to a consumer (on the event loop only).
    var isPushing: Bool { self.push.value.active }

    /// Switches to push delivery: hands over what the mailbox holds, in order, then every later
    /// read as it arrives. Must run on the event loop.
    func startPushing(to consumer: @escaping @Sendable (ReadResult) -> Void) {
        precondition(!self.push.value.active, "reads are already pushed")
        let (queued, final) = self.inbound.close()
        self.push.value = PushState(active: true, consumer: consumer)
        for element in queued { consumer(element) }
        if let final { self.deliverEnd(final) }
    }

    private func deliverEnd(_ end: ReadResult) {
        guard let consumer = self.push.value.consumer else { return }
        self.push.value.consumer = nil
        consumer(end)
    }

    func markEstablished() {
        self.log.withLockedValue { $0.start = $0.start ?? NIODeadline.now().uptimeNanoseconds }
    }

    /// Records a read and queues it for the consumer.
    func received(_ buffer: ByteBuffer) {
        self.record(.read, buffer)
        if self.push.value.active {
            self.push.value.consumer?(.bytes(buffer))
        } else {
            self.inbound.put(.bytes(buffer))
        }
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
        let end = ReadResult.end(self.observe(fallback))
        if self.isPushing {
            self.deliverEnd(end)
        } else {
            self.inbound.finish(end)
        }
    }

    var end: ConnectionEnd? { self.log.withLockedValue { $0.end } }
    var records: [WireRecord] { self.log.withLockedValue { $0.recorder.records } }
    var stats: WireStats { self.log.withLockedValue { $0.recorder.stats } }
}
