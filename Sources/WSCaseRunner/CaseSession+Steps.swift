import NIOCore
import WSCatalog
import WSEngine
import WSJudge

extension CaseSession {
    /// Runs the case's steps in order (Cases/README.md "Runtime semantics" 2–6). Sending steps queue
    /// their octets and go on at once; barriers, awaits and round trips wait for events.
    func runSteps(dataset: [UInt8]?) async {
        if let deflate = testCase.deflate, deflate.required, endpoint.codec == nil {
            log(.note("permessage-deflate was not negotiated: closing at once (UNIMPLEMENTED)"), nil)
            endpoint.sendClose(payload: endpoint.closePayload(.normalClosure, ""))
            apply()
            return
        }
        var streaming = false
        var barriers = 0
        for (index, step) in testCase.steps.enumerated() {
            if ended || Task.isCancelled { return }
            switch step {
            case let .frame(f):
                let payload = ByteBuffer(bytes: f.payload.bytes())
                endpoint.sendFrame(opcode: f.opcode, fin: f.fin, rsv: f.rsv, payload: payload, mask: f.mask,
                                   lengthEncoding: f.lengthEncoding, declaredLength: f.declaredLength, chop: f.chop, sync: f.sync)
            case let .frameBegin(b):
                endpoint.frameBegin(opcode: b.opcode, fin: b.fin, rsv: b.rsv, length: b.length, mask: b.mask)
                streaming = b.length > 0
            case let .frameData(p):
                endpoint.frameData(ByteBuffer(bytes: p.bytes()))
                streaming = hasFrameDataAhead(after: index)
            case let .message(m):
                endpoint.sendMessage(m.type, ByteBuffer(bytes: m.payload.bytes()), fragmentSize: m.fragmentSize ?? testCase.autoFragmentSize,
                                     sync: m.sync)
            case let .close(c):
                endpoint.sendClose(payload: c.payloadBytes())
            case let .raw(r):
                endpoint.sendRaw(ByteBuffer(bytes: r.bytes.bytes()), chop: r.chop, sync: r.sync)
            case let .barrier(b):
                apply()
                barriers += 1
                guard await barrier(b, ordinal: barriers, insideFrame: streaming) else { return }
                continue
            case let .await(a):
                apply()
                log(.note("await \(a.event)"), nil)
                let outcome = await wait(for: .event(a.event), timeout: a.timeout)
                log(.note("await ended: \(outcome)"), nil)
                if !endpoint.isOpen || ended { return }
                continue
            case let .pause(d):
                apply()
                do { try await Task.sleep(for: d) } catch { return }
                continue
            case let .guardTimer(g):
                log(.note("\(g.kind.rawValue) armed: \(CatalogText.format(g.after))"), nil)
                schedule(.guardTimer(index), after: g.after)
            case let .roundTrips(r):
                await runRoundTrips(r, dataset: dataset)
                continue
            case .handshake:
                continue // the driver already sent it (CaseRunner)
            }
        }
        // Consecutive sending steps reach the writer together, so frames written back to back
        // share a write as in Autobahn (its writes between two reactor turns are coalesced).
        apply()
    }

    /// True when the next sending step is more `frame_data` (a streamed frame is still incomplete).
    private func hasFrameDataAhead(after index: Int) -> Bool {
        for step in testCase.steps[(index + 1)...] {
            switch step {
            case .frameData: return true
            case .frame, .frameBegin, .message, .close, .raw, .roundTrips, .handshake: return false
            case .barrier, .await, .pause, .guardTimer: continue
            }
        }
        return false
    }

    /// A barrier (Cases/README.md "Barriers"). Returns false when the remaining steps are skipped.
    private func barrier(_ b: BarrierStep, ordinal: Int, insideFrame: Bool) async -> Bool {
        guard endpoint.isOpen, !ended else { return false }
        let mode: BarrierMode = b.mode == .auto ? (insideFrame ? .quiet : .ping) : b.mode
        let outcome: WaitOutcome
        if mode == .ping {
            let payload = b.pingPayload(index: ordinal)
            barrierPings.insert(payload)
            log(.note("barrier \(b.tag ?? String(ordinal)): ping"), nil)
            endpoint.sendPing(ByteBuffer(bytes: payload))
            apply()
            outcome = await wait(for: .barrierPong(payload), timeout: b.timeout)
        } else {
            log(.note("barrier \(b.tag ?? String(ordinal)): quiet wait"), nil)
            outcome = await wait(for: .quiet, timeout: b.timeout)
        }
        log(.note("barrier \(b.tag ?? String(ordinal)) ended: \(outcome)"), nil)
        guard outcome != .notOpen else { return false }
        if let tag = b.tag { record(.timeout(tag)) }
        return endpoint.isOpen && !ended
    }

    private func runRoundTrips(_ step: RoundTripsStep, dataset: [UInt8]?) async {
        guard endpoint.isOpen, !ended else { return }
        var driver = RoundTripDriver(step: step, dataset: dataset)
        roundTripsActive = true
        log(.note("round trips: \(step.count)"), nil)
        send(next: &driver)
        apply()
        // Echoes that arrive after the harness started closing are still checked, as in Autobahn.
        _ = await wait(for: .roundTripsDone, timeout: nil)
    }

    /// The round-trip log with the traffic counters, once the case is over.
    var roundTripLog: RoundTripLog? {
        guard var log = roundTrips?.log else { return nil }
        log.traffic = endpoint.traffic
        return log
    }
}
