import WSTestSupport
import NIOCore
import NIOPosix
import Testing
import WSTransport

@Suite("Chopped writes, large transfers, back-pressure")
struct ChopAndVolumeTests {
    @Test("chopped writes with a delay arrive as separate reads, bytes intact",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"), arguments: Mode.allCases)
    func choppedWithDelay(mode: Mode) async throws {
        // Its own event loop: on the shared one, a parallel 16 MiB transfer can hold the loop long
        // enough for two pieces to arrive in one read.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pair = try await Pair.make(mode, group: group)
        let payload = patternBuffer(64)
        try await pair.client.write(payload, chop: 8, delay: .milliseconds(50))
        let received = await pair.server.receive(64)
        #expect(received.bytes == payload)
        #expect(received.reads >= 8)
        #expect(pair.client.stats.writes == 8)
        #expect(pair.client.stats.writeSizes == [8: 8])
        #expect(pair.client.records.map(\.length) == Array(repeating: 8, count: 8))
        await pair.close()
        try await group.shutdownGracefully()
    }

    @Test("chopped writes without delay are still separate writes, with a short last piece")
    func choppedBackToBack() async throws {
        let pair = try await Pair.make(.plain)
        let payload = patternBuffer(1000)
        try await pair.client.write(payload, chop: 1)
        try await pair.client.write(payload, chop: 300)
        let received = await pair.server.receive(2000)
        var expected = payload
        expected.writeImmutableBuffer(payload)
        #expect(received.bytes == expected)
        #expect(pair.client.stats.writes == 1000 + 4)
        #expect(pair.client.stats.writeSizes == [1: 1000, 300: 3, 100: 1])
        await pair.close()
    }

    @Test("16 MiB each way at the same time arrive intact",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"), arguments: Mode.allCases)
    func largeTransfer(mode: Mode) async throws {
        let size = 16 << 20
        let payload = patternBuffer(size)
        let pair = try await Pair.make(mode)
        async let clientWrote: Void = pair.client.write(payload)
        async let serverWrote: Void = pair.server.write(payload)
        async let atServer = pair.server.receive(size)
        async let atClient = pair.client.receive(size)
        let (server, client) = await (atServer, atClient)
        try await clientWrote
        try await serverWrote
        #expect(server.bytes.readableBytes == size)
        #expect(client.bytes.readableBytes == size)
        #expect(server.bytes == payload)
        #expect(client.bytes == payload)
        // Counters cover everything; stored record bytes stay within the default 4 MiB budget.
        #expect(pair.client.stats.bytesWritten == size)
        #expect(pair.client.stats.bytesRead == size)
        let stored = pair.client.records.reduce(0) { $0 + $1.bytes.readableBytes }
        #expect(stored <= RecordingLimits.default.maxStoredBytes)
        await pair.close()
    }

    @Test("a consumer that does not read holds reading at the read-ahead limit")
    func backPressure() async throws {
        let limit = 64 << 10
        let size = 32 << 20
        let payload = patternBuffer(size)
        let pair = try await Pair.make(.plain, server: ConnectionOptions(readAheadLimit: limit))
        let writer = Task { try await pair.client.write(payload) }

        // While nobody reads, what the server has pulled from the socket stays bounded, although
        // far more is on its way than the kernel buffers can hold.
        var maxBuffered = 0
        for _ in 0..<40 {
            try await Task.sleep(for: .milliseconds(10))
            maxBuffered = max(maxBuffered, pair.server.bufferedByteCount)
        }
        let slack = 4 * (64 << 10) + (64 << 10)  // one read burst may overshoot the limit
        #expect(maxBuffered > 0)
        #expect(maxBuffered <= limit + slack)
        #expect(pair.server.stats.bytesRead <= limit + slack)

        // Reading resumes when the consumer drains, and everything arrives.
        let received = await pair.server.receive(size)
        try await writer.value
        #expect(received.bytes == payload)
        await pair.close()
    }
}
