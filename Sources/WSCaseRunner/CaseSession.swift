import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSTransport

/// One case on one open connection: it runs the steps, feeds what the peer sends to the endpoint,
/// keeps the timers, records events and the wire log, and knows when the case is over (TCP gone).
///
/// Event-driven throughout: every wait (barrier, await, round trip, end of the connection) ends as
/// soon as what it waits for happens; the only clocks are the timeouts the case and Autobahn define.
///
/// The session runs on its connection's event loop: reads are pushed to it there and plain writes
/// leave from there, so a round trip (read, parse, check, write the next message) costs no thread
/// hop. Only chopped or delayed writes go through the `OutboundWriter` task.
actor CaseSession {
    let testCase: TestCase
    let options: CaseRunOptions
    let raw: RawConnection
    let writer: OutboundWriter
    /// When the connection attempt started: every recorded time is an offset from it.
    let start: ContinuousClock.Instant
    let openedAt: Duration

    var endpoint: HarnessEndpoint
    var events: [ReceivedEvent] = []
    var wireLog = WireLog(headLimit: 300, tailLimit: 100)
    var roundTrips: RoundTripDriver?
    var roundTripsActive = false
    /// Payloads of barrier pings whose pongs are the harness's own business.
    var barrierPings: Set<[UInt8]> = []
    var barrierPongsSeen: Set<[UInt8]> = []
    /// Set once TCP is gone.
    var ended = false
    var tcpEnd: TCPEnd?
    var endedAt: Duration?
    var closeSentAt: Duration?
    var closeReceivedAt: Duration?
    var failureAt: Duration?

    var timers: [TimerKey: Task<Void, Never>] = [:]
    var waiters: [Int: Waiter] = [:]
    var nextWaiterID = 0
    var endWaiters: [CheckedContinuation<Void, Never>] = []
    /// Events kept at most, and the payload octets they may hold together: a flooding peer cannot
    /// exhaust memory, while the largest echo a case checks (16 MiB, 9.1.6) is kept whole.
    static let eventLimit = 20_000
    static let eventPayloadBudget = 20 << 20
    var eventPayloadOctets = 0
    /// Events received but not kept (over the limits above).
    var droppedEvents = 0

    enum TimerKey: Hashable {
        case endpoint(EndpointTimer)
        case guardTimer(Int)
    }

    /// Scheduled on the event loop: the case's deadline, then the grace for TCP to end after it.
    var deadlineTimer: Scheduled<Void>?

    nonisolated var unownedExecutor: UnownedSerialExecutor { raw.eventLoop.executor.asUnownedSerialExecutor() }

    init(testCase: TestCase, options: CaseRunOptions, opened: OpenedConnection, role: Role,
         start: ContinuousClock.Instant) {
        self.testCase = testCase
        self.options = options
        self.raw = opened.raw
        self.writer = OutboundWriter(raw: opened.raw, chopDelay: options.chopDelay)
        self.start = start
        self.openedAt = ContinuousClock.now - start
        self.endpoint = HarnessEndpoint(role: role, deflate: opened.deflate, failByDrop: options.failByDrop,
                                       maximumMessageSize: options.maximumMessageSize,
                                       compressionLevel: options.compressionLevel, strictDeflate: opened.strictDeflate)
    }

    var now: Duration { ContinuousClock.now - start }

    // MARK: Input from the transport

    /// Handles the octets that came with the handshake, then has every later read pushed to the
    /// session as it arrives; gives up on the case at `deadline`.
    func startReading(leftover: ByteBuffer, deadline: ContinuousClock.Instant) {
        if leftover.readableBytes > 0 { received(leftover) }
        raw.deliverReads { [weak self] result in
            guard let self else { return }
            self.assumeIsolated { session in
                switch result {
                case let .bytes(bytes): session.received(bytes)
                case let .end(end): session.connectionLost(end)
                case .timeout: break
                }
            }
        }
        guard !ended else { return }
        deadlineTimer = raw.eventLoop.scheduleTask(deadline: NIODeadline(deadline)) { [weak self] in
            self?.assumeIsolated { $0.abandon("the case did not end within its deadline") }
        }
    }

    /// Ends a case that is still running: the deadline passed or the run was interrupted. The reset
    /// ends the stream at once (after what was already read); if it somehow does not, the case
    /// ends anyway two seconds later.
    func abandon(_ why: String) {
        guard !ended else { return }
        giveUp(why)
        deadlineTimer?.cancel()
        deadlineTimer = raw.eventLoop.scheduleTask(in: .seconds(2)) { [weak self] in
            self?.assumeIsolated { $0.connectionLost(.localAborted) }
        }
    }

    /// Octets read from the peer.
    func received(_ bytes: ByteBuffer) {
        guard !ended else { return }
        log(.octets(count: bytes.readableBytes, head: Array(bytes.readableBytesView.prefix(64))), .received)
        endpoint.receive(bytes)
        while endpoint.process() {
            apply()
        }
        apply()
    }

    /// TCP is gone: the case is over.
    func connectionLost(_ end: ConnectionEnd) {
        guard !ended else { return }
        ended = true
        endedAt = now
        let harnessFirst = end == .localClosed || end == .localAborted
        let reset = !(end == .peerClosed || end == .localClosed)
        tcpEnd = TCPEnd(closedFirstBy: harnessFirst ? .harness : .peer, kind: reset ? .reset : .fin, at: endedAt)
        log(.note("TCP \(harnessFirst ? "dropped by the harness" : "closed by the peer") (\(end))"), nil)
        endpoint.connectionLost()
        apply()
        for key in Array(timers.keys) { timers.removeValue(forKey: key)?.cancel() }
        deadlineTimer?.cancel()
        deadlineTimer = nil
        writer.finish()
        resumeWaiters()
        for c in endWaiters { c.resume() }
        endWaiters.removeAll()
    }

    /// The case's deadline passed (or the run was interrupted) with TCP still up: give up on it.
    func giveUp(_ why: String) {
        guard !ended else { return }
        log(.note("\(why); dropping TCP"), nil)
        endpoint.noteFailure(.other(why))
        endpoint.dropConnection(abort: true)
        apply()
    }

    /// A write reached the kernel: log it, and start waiting for the peer's Close once the
    /// harness's own Close is out (unless the answer is already here).
    func wrote(_ w: OutgoingWrite) {
        log(.octets(count: w.bytes.readableBytes, head: Array(w.bytes.readableBytesView.prefix(64))), .sent)
        if w.armsCloseTimer, !ended, endpoint.state == .closing, endpoint.closeReceived == nil {
            schedule(.endpoint(.closeHandshake), after: options.closeHandshakeTimeout)
        }
    }

    /// Returns once TCP is gone.
    func waitUntilEnded() async {
        if ended { return }
        await withCheckedContinuation { endWaiters.append($0) }
    }

    // MARK: Effects

    /// Carries out what the endpoint asked for, in order.
    func apply() {
        // Handling an effect can make the endpoint act again (an auto-close, the next round trip).
        while case let batch = endpoint.takeEffects(), !batch.isEmpty {
            handle(batch)
        }
        stampTimes()
        resumeWaiters()
    }

    private func handle(_ batch: [EndpointEffect]) {
        var jobs: [OutboundWriter.Job] = []
        var unflushed = false
        defer {
            if unflushed { raw.flushNow() }
            writer.enqueue(jobs)
        }
        for effect in batch {
            switch effect {
            case let .write(w):
                // Straight to the socket while nothing is queued ahead (the round trips' path);
                // chopped writes and everything behind them go through the writer task, in order.
                if jobs.isEmpty, w.chop == nil, writer.isIdle {
                    writeNow(w)
                    unflushed = !w.sync
                } else {
                    if unflushed { raw.flushNow() }
                    unflushed = false
                    jobs.append(.write(w))
                }
            case let .drop(abort):
                if abort {
                    unflushed = false
                    jobs.removeAll()
                    writer.finish()
                    let raw = self.raw
                    Task { await raw.abort() }
                } else {
                    jobs.append(.close)
                }
            case let .message(type, payload):
                handleMessage(type, payload)
            case let .pong(payload):
                handlePong(payload)
            case let .startTimer(kind):
                let after = kind == .closeHandshake ? options.closeHandshakeTimeout : options.serverConnectionDropTimeout
                schedule(.endpoint(kind), after: after)
            case let .cancelTimer(kind):
                timers.removeValue(forKey: .endpoint(kind))?.cancel()
            case let .log(kind, direction):
                log(kind, direction)
            }
        }
    }

    /// A plain write on the event loop. Plain writes of one batch leave in one flush (one TCP
    /// write, as the writer task merges them); a `sync` write is flushed alone.
    private func writeNow(_ w: OutgoingWrite) {
        if w.armsCloseTimer {
            let promise = raw.eventLoop.makePromise(of: Void.self)
            promise.futureResult.whenSuccess { [weak self] in
                self?.assumeIsolated { $0.wrote(w) }
            }
            raw.writeNow(w.bytes, flush: w.sync, promise: promise)
        } else {
            raw.writeNow(w.bytes, flush: w.sync)
            wrote(w)
        }
    }

    private func stampTimes() {
        let handshakeWasOpen = closeSentAt == nil || closeReceivedAt == nil
        if closeSentAt == nil, endpoint.closeSent != nil { closeSentAt = now }
        if closeReceivedAt == nil, endpoint.closeReceived != nil { closeReceivedAt = now }
        if handshakeWasOpen, closeSentAt != nil, closeReceivedAt != nil, raw.isHTTP2Stream {
            // Over HTTP/2 both sides end the stream once the closing handshake is done (RFC 8441
            // §5): ours goes now, after our Close; the peer's END_STREAM then ends the case, as its
            // closing TCP would.
            log(.note("closing handshake done: END_STREAM sent"), nil)
            raw.endStream()
        }
        if failureAt == nil, endpoint.failure != nil { failureAt = now }
    }

    func log(_ kind: WireLogEntry.Kind, _ direction: WireLogEntry.Direction?) {
        wireLog.append(WireLogEntry(at: now, direction: direction, kind: kind))
    }

    // MARK: Received messages and pongs

    private func handleMessage(_ type: MessageType, _ payload: ByteBuffer) {
        switch testCase.expect.source {
        case .roundTrips:
            // Autobahn's round-trip cases never record their echoes as events.
            guard roundTripsActive, var driver = roundTrips else { return }
            let matched = driver.check(type, payload)
            roundTrips = driver
            if matched && !driver.isDone {
                send(next: &driver)
            } else {
                roundTripsActive = false
                log(.note(matched ? "all \(driver.completed) round trips done" : "round trip \(driver.completed + 1) mismatched"), nil)
                endpoint.sendClose(payload: endpoint.closePayload(.normalClosure, ""))
            }
        case .echo:
            // 9.1–9.6: the first message decides; the harness closes as soon as any arrives.
            record(.message(type, payload))
            endpoint.sendClose(payload: endpoint.closePayload(.normalClosure, ""))
        case .events:
            record(.message(type, payload))
            autoClose()
        }
    }

    private func handlePong(_ payload: ByteBuffer) {
        let bytes = Array(payload.readableBytesView)
        if barrierPings.remove(bytes) != nil {
            barrierPongsSeen.insert(bytes)
            return
        }
        record(.pong(payload))
        autoClose()
    }

    func record(_ event: ReceivedEvent) {
        var event = event
        // What the event holds in memory: a small payload sliced from a large read is copied out
        // (it must not pin the whole read buffer); a large one counts with its whole storage.
        var size = 0
        switch event {
        case let .message(type, payload):
            if payload.storageCapacity > 2 * payload.readableBytes + 1024 { event = .message(type, ByteBuffer(buffer: payload)) }
            if case let .message(_, kept) = event { size = kept.storageCapacity }
        case let .pong(payload):
            if payload.storageCapacity > 2 * payload.readableBytes + 1024 { event = .pong(ByteBuffer(buffer: payload)) }
            if case let .pong(kept) = event { size = kept.storageCapacity }
        case .timeout:
            break
        }
        // The first event is always kept: an echo case is decided by it, whatever its size.
        guard events.count < Self.eventLimit, events.isEmpty || eventPayloadOctets + size <= Self.eventPayloadBudget else {
            if droppedEvents == 0 {
                log(.note("received more than the harness keeps (\(events.count) events, \(eventPayloadOctets) payload octets): later events are counted, not kept"), nil)
            }
            droppedEvents += 1
            return
        }
        eventPayloadOctets += size
        events.append(event)
    }

    /// Autobahn's `finishWhenDone`.
    private func autoClose() {
        guard testCase.expect.source.isEvents, testCase.shouldAutoClose(after: events) else { return }
        endpoint.sendClose(payload: endpoint.closePayload(testCase.closeCodeForAutoClose, ""))
    }

    func send(next driver: inout RoundTripDriver) {
        let message = driver.next()
        roundTrips = driver
        endpoint.sendMessage(driver.step.type, message, fragmentSize: testCase.autoFragmentSize)
    }

    // MARK: Timers

    func schedule(_ key: TimerKey, after: Duration) {
        timers[key]?.cancel()
        let deadline = ContinuousClock.now + after
        timers[key] = Task { [weak self] in
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
            await self?.fire(key)
        }
    }

    private func fire(_ key: TimerKey) {
        // Reads are handled on this executor as they arrive (`startReading`): none can be waiting
        // unprocessed behind a timer that fires.
        guard timers[key] != nil, !ended else { return }
        timers.removeValue(forKey: key)
        switch key {
        case .endpoint(.closeHandshake):
            log(.note("close handshake timeout: no Close from the peer"), nil)
            endpoint.closeHandshakeTimedOut()
        case .endpoint(.serverConnectionDrop):
            log(.note("server connection drop timeout: the server did not close TCP"), nil)
            endpoint.serverConnectionDropTimedOut()
        case let .guardTimer(index):
            guard case let .guardTimer(g) = testCase.steps[index], endpoint.state != .closed else { break }
            switch g.kind {
            case .killAfter:
                log(.note("kill_after fired: failing the connection"), nil)
                endpoint.failConnection(code: .goingAway, reason: "Going Away", because: .guardTimer)
            case .closeAfter:
                log(.note("close_after fired: sending an empty Close"), nil)
                endpoint.sendClose(payload: [])
            }
        }
        apply()
    }
}

extension VerdictSource {
    var isEvents: Bool {
        if case .events = self { return true }
        return false
    }
}
