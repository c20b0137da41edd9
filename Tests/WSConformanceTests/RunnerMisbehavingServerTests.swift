import Foundation
import NIOCore
import Testing
import WSTestSupport
import WSEngine
import WSTransport
@testable import WSCaseRunner
@testable import WSCatalog

/// Servers that misbehave after the handshake: every case still ends with a verdict (the runner's
/// own timers end it), and the run goes on.
@Suite("Runner against misbehaving servers", .timeLimit(.minutes(2)))
struct RunnerMisbehavingServerTests {
    @Test("Silent after the handshake: the guard fires, the Close goes unanswered, the harness drops TCP")
    func silent() async throws {
        try await withScriptedServer({ raw, _ in await drain(raw) }) { url in
            let report = try await runShipped(["1.1.1", "2.1"], against: url)
            #expect(report.results.count == 2)
            let kill = try #require(report.results.first { $0.id == CaseID("1.1.1") })
            #expect(kill.verdict.behavior == .failed)
            #expect(kill.verdict.behaviorClose == .unclean)
            #expect(kill.observation.closeSent?.code == .goingAway)
            #expect(kill.observation.harnessFailure?.reason == .guardTimer)
            #expect(kill.observation.tcpEnd?.closedFirstBy == .harness)
            let close = try #require(report.results.first { $0.id == CaseID("2.1") })
            #expect(close.observation.closeSent?.code == nil, "close_after sends an empty Close")
            #expect(close.observation.harnessFailure?.reason == .closeHandshakeTimeout)
        }
    }

    @Test("A flood of garbage: the harness fails the connection at the first bad frame and drops it at the second")
    func garbageFlood() async throws {
        try await withScriptedServer({ raw, _ in
            var garbage = ByteBuffer()
            for i in 0..<4096 { garbage.writeInteger(UInt8(truncatingIfNeeded: i &* 37 | 0x70)) }
            for _ in 0..<2000 {
                do { try await raw.write(garbage) } catch { return }
            }
        }) { url in
            let report = try await runShipped(["1.1.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .failed)
            guard case let .protocolViolation(error)? = r.observation.harnessFailure?.reason else {
                Issue.record("expected a protocol violation, got \(String(describing: r.observation.harnessFailure))")
                return
            }
            #expect(error.closeCode == .protocolError)
            #expect(r.observation.tcpEnd?.closedFirstBy == .harness)
        }
    }

    @Test("A reset in the middle of the case ends it at once with the peer as the one that closed")
    func resetMidCase() async throws {
        try await withScriptedServer({ raw, _ in
            _ = await raw.read(timeout: .seconds(5))
            await raw.abort()
        }) { url in
            let report = try await runShipped(["1.1.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .failed)
            // Nobody sent a Close, so the harness (expected to close first) did not: wrong endpoint.
            #expect(r.verdict.behaviorClose == .failed)
            #expect(r.observation.closeInitiator == nil)
            #expect(r.observation.tcpEnd?.closedFirstBy == .peer)
            #expect(r.observation.tcpEnd?.kind == .reset)
            #expect(r.observation.harnessFailure == nil)
        }
    }

    @Test("Slow drip: a pong trickling in one octet at a time still counts; a drip that never ends is cut off")
    func slowDrip() async throws {
        // 2.1: the answer to the empty ping arrives octet by octet.
        try await withScriptedServer({ raw, _ in
            _ = await raw.read(timeout: .seconds(5))
            for octet: UInt8 in [0x8A, 0x00] {
                try? await Task.sleep(for: .milliseconds(50))
                try? await raw.write(ByteBuffer(bytes: [octet]))
            }
            // Then the server answers the harness's Close the same way and closes TCP.
            _ = await raw.read(timeout: .seconds(5))
            for octet: UInt8 in [0x88, 0x02, 0x03, 0xE8] {
                try? await Task.sleep(for: .milliseconds(20))
                try? await raw.write(ByteBuffer(bytes: [octet]))
            }
            await raw.close()
        }) { url in
            let report = try await runShipped(["2.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .ok, "\(r.verdict.reasons)")
            #expect(r.verdict.behaviorClose == .ok, "\(r.verdict.reasons)")
        }
        // A frame header announcing a large payload, then one octet every 100 ms, forever.
        try await withScriptedServer({ raw, _ in
            try? await raw.write(ByteBuffer(bytes: [0x81, 0x7E, 0x10, 0x00]))
            while true {
                try? await Task.sleep(for: .milliseconds(100))
                do { try await raw.write(ByteBuffer(bytes: [0x2A])) } catch { return }
            }
        }) { url in
            let report = try await runShipped(["1.1.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .failed)
            #expect(r.observation.closeSent?.code == .goingAway)
            #expect(r.observation.tcpEnd?.closedFirstBy == .harness)
        }
    }

    @Test("Never closing TCP: the closing handshake completes, the server keeps TCP open, the harness drops it: UNCLEAN")
    func neverClosesTCP() async throws {
        try await withScriptedServer({ raw, leftover in
            // A minimal echo of 1.1.1's empty text frame, then a Close reply, then silence.
            _ = leftover
            _ = await raw.read(timeout: .seconds(5))
            try? await raw.write(ByteBuffer(bytes: [0x81, 0x00]))
            _ = await raw.read(timeout: .seconds(5))
            try? await raw.write(ByteBuffer(bytes: [0x88, 0x02, 0x03, 0xE8]))
            await drain(raw)
        }) { url in
            let report = try await runShipped(["1.1.1"], against: url)
            let r = try #require(report.results.first)
            #expect(r.verdict.behavior == .ok)
            #expect(r.verdict.behaviorClose == .unclean, "\(r.verdict.reasons)")
            // Whichever fires first drops TCP: the server-connection-drop timer or, as in Autobahn,
            // the case's kill_after guard, which still counts while the connection is closing.
            let reason = try #require(r.observation.harnessFailure?.reason)
            #expect([.serverConnectionDropTimeout, .guardTimer].contains(reason))
            #expect(r.observation.closeReceived?.code == .normalClosure)
            #expect(r.observation.droppedByHarness)
        }
    }

    @Test("An unreachable server is one clear error, not a run of failed cases")
    func unreachable() async throws {
        let closed = try ClosedPort()
        let port = closed.port
        defer { withExtendedLifetime(closed) {} }
        await #expect {
            _ = try await runShipped(["1.*"], against: "ws://127.0.0.1:\(port)/")
        } throws: { error in
            guard case let ConformanceError.unreachable(_, transport) = error else { return false }
            return transport == .connectionRefused(host: "127.0.0.1", port: port)
        }
    }
}
