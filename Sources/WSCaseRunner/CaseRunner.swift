import Foundation
import NIOCore
import WSCatalog
import WSEngine
import WSJudge
import WSResults
import WSTransport

/// How one case run ended.
public enum CaseRunOutcome: Sendable {
    case finished(CaseResult)
    /// No connection could be made: the case did not run at all.
    case unreachable(TransportError)
}

/// Runs one case over one connection and judges it.
package enum CaseRunner {
    package static func run(_ testCase: TestCase, driver: some HarnessRoleDriver, options: CaseRunOptions,
                    dataset: [UInt8]?) async -> CaseRunOutcome {
        let start = ContinuousClock.now
        let startedAt = Date()
        let deadline = start + (options.caseTimeout ?? testCase.budget(options))
        let openTimeout = min(options.openHandshakeTimeout, max(.milliseconds(1), deadline - start))

        let wrongRole = testCase.tests(CaseRole(harness: driver.role)) ? nil
            : "Not applicable: this case tests a \(driver.role == .client ? "client" : "server"), not a \(driver.role == .client ? "server" : "client")."
        let wrongTransport = testCase.needsHTTP2 && !driver.speaksHTTP2
            ? "Not applicable: this RFC 8441 case runs only over HTTP/2 (\(driver.role == .client ? "test-server" : "test-client") --http2)." : nil
        if let why = wrongRole ?? wrongTransport ?? testCase.notApplicableReason {
            let observation = Observation(handshake: HandshakeRecord(completed: false, failure: why))
            return .finished(CaseResult(testCase: testCase, verdict: Judge.notApplicable(why), observation: observation,
                                        harnessRole: driver.role, peerName: nil, startedAt: startedAt, wallTime: .zero))
        }
        let observation: Observation
        var peerName: String?
        let opening = if let request = testCase.http2Request {
            await driver.open(http2: request, deflate: testCase.deflate, timeout: openTimeout, start: start)
        } else if let handshake = testCase.handshakeStep {
            await driver.open(handshake: handshake, timeout: openTimeout, start: start)
        } else {
            await driver.open(deflate: testCase.deflate, timeout: openTimeout, start: start)
        }
        switch opening {
        case let .unreachable(error):
            return .unreachable(error)
        case let .handshakeFailed(record, tcpEnd):
            observation = Observation(handshake: record, tcpEnd: tcpEnd, endedAt: ContinuousClock.now - start)
        case let .opened(opened):
            peerName = opened.peerName
            let session = CaseSession(testCase: testCase, options: options, opened: opened, role: driver.role, start: start)
            await drive(session, raw: opened.raw, leftover: opened.leftover, dataset: dataset, deadline: deadline)
            await ClientRoleDriver.close(opened.held)
            var handshake = opened.handshake
            handshake.http2 = opened.raw.isHTTP2Stream
            if let h2 = opened.h2Case { handshake.h2 = await h2.finish() }
            observation = await session.observation(handshake: handshake)
        }
        let verdict = Judge.verdict(case: testCase, observation: observation, role: driver.role)
        var kept = observation
        kept.releasePayloads()
        return .finished(CaseResult(testCase: testCase, verdict: verdict, observation: kept, harnessRole: driver.role,
                                    peerName: peerName,
                                    startedAt: startedAt, wallTime: ContinuousClock.now - start))
    }

    /// The session reads (pushed to it on the connection's event loop) and writes plain frames
    /// itself; two tasks run beside it: the writer drains chopped and delayed writes, the steps
    /// run. The case is over when TCP is gone.
    private static func drive(_ session: CaseSession, raw: RawConnection, leftover: ByteBuffer, dataset: [UInt8]?,
                              deadline: ContinuousClock.Instant) async {
        await session.startReading(leftover: leftover, deadline: deadline)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await session.writer.run { write in await session.wrote(write) }
            }
            group.addTask { await session.runSteps(dataset: dataset) }
            await withTaskCancellationHandler {
                await session.waitUntilEnded()
            } onCancel: {
                // Interrupted: end the case now; the steps and the writer stop with it.
                Task { await session.abandon("the run was interrupted") }
            }
            group.cancelAll()
        }
        await raw.close()
    }
}
