import WSTestSupport
import NIOCore
import Testing
import WSTransport

@Suite("Wire recording")
struct RecordingTests {
    @Test("records hold every read and write in order, with monotonic timestamps",
          .enabled(if: TLSFixture.opensslAvailable, "openssl CLI not found"), arguments: Mode.allCases)
    func recordsBothSides(mode: Mode) async throws {
        let pair = try await Pair.make(mode)
        try await pair.client.write("abc")
        #expect(await pair.server.receive(3).bytes == ByteBuffer(string: "abc"))
        try await pair.server.write("xyz!")
        #expect(await pair.client.receive(4).bytes == ByteBuffer(string: "xyz!"))

        let client = pair.client.records
        #expect(client.map(\.direction) == [.write, .read])
        #expect(client.map(\.bytes) == [ByteBuffer(string: "abc"), ByteBuffer(string: "xyz!")])
        #expect(client.map(\.length) == [3, 4])
        #expect(client.allSatisfy { !$0.isTruncated })
        #expect(client[0].nanos <= client[1].nanos)

        let server = pair.server.records
        #expect(server.map(\.direction) == [.read, .write])
        #expect(server.map(\.bytes) == [ByteBuffer(string: "abc"), ByteBuffer(string: "xyz!")])
        #expect(server[0].nanos <= server[1].nanos)

        #expect(pair.client.stats.bytesWritten == 3)
        #expect(pair.client.stats.bytesRead == 4)
        #expect(pair.server.stats.reads == 1)
        await pair.close()
    }

    @Test("timestamps never go backwards over many chopped writes")
    func monotonic() async throws {
        let pair = try await Pair.make(.plain)
        try await pair.client.write(patternBuffer(500), chop: 7, delay: .microseconds(10))
        _ = await pair.server.receive(500)
        for records in [pair.client.records, pair.server.records] {
            #expect(!records.isEmpty)
            #expect(zip(records, records.dropFirst()).allSatisfy { $0.nanos <= $1.nanos })
        }
        var joined = ByteBuffer()
        for record in pair.server.records { joined.writeImmutableBuffer(record.bytes) }
        #expect(joined == patternBuffer(500))
        await pair.close()
    }

    @Test("past the limits only counters grow")
    func limits() async throws {
        let limits = RecordingLimits(maxStoredBytes: 5, maxRecords: 2)
        let pair = try await Pair.make(.plain, client: ConnectionOptions(recording: limits))
        for _ in 0..<3 { try await pair.client.write("abcd") }
        _ = await pair.server.receive(12)

        let records = pair.client.records
        #expect(records.count == 2)
        #expect(records[0].bytes == ByteBuffer(string: "abcd"))
        #expect(!records[0].isTruncated)
        #expect(records[1].bytes == ByteBuffer(string: "a"))
        #expect(records[1].length == 4)
        #expect(records[1].isTruncated)
        let stats = pair.client.stats
        #expect(stats.writes == 3)
        #expect(stats.bytesWritten == 12)
        #expect(stats.writeSizes == [4: 3])
        #expect(stats.unrecorded == 1)
        await pair.close()
    }

    @Test("countsOnly keeps no records")
    func countsOnly() async throws {
        let pair = try await Pair.make(.plain, server: ConnectionOptions(recording: .countsOnly))
        try await pair.client.write("hello")
        _ = await pair.server.receive(5)
        #expect(pair.server.records.isEmpty)
        #expect(pair.server.stats.bytesRead == 5)
        await pair.close()
    }
}
