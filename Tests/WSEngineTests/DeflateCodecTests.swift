import NIOCore
import Testing
@testable import WSEngine
import WSRandom

@Suite struct DeflateCodecTests {
    static let hello = ByteBuffer(string: "Hello")

    static func codec(_ negotiated: NegotiatedDeflate = NegotiatedDeflate(), role: Role = .server,
                      limit: Int = 1 << 24, level: Int = 6) -> DeflateCodec {
        DeflateCodec(negotiated: negotiated, role: role, maxDecompressedMessageSize: limit, compressionLevel: level)
    }

    static func inflate(_ codec: DeflateCodec, _ chunks: [String]) throws -> String {
        var out = ByteBuffer()
        for (i, chunk) in chunks.enumerated() {
            var part = try codec.decompress(chunk: hexBuffer(chunk), isFinal: i == chunks.count - 1)
            out.writeBuffer(&part)
        }
        return String(buffer: out)
    }

    // MARK: RFC 7692 §7.2.3 examples

    @Test func compressesHelloAsInRFC() throws {
        let codec = Self.codec()
        #expect(hexString(try codec.compress(message: Self.hello)) == "f2 48 cd c9 c9 07 00")
    }

    @Test func secondMessageReusesTheWindow() throws {
        let takeover = Self.codec()
        #expect(hexString(try takeover.compress(message: Self.hello)) == "f2 48 cd c9 c9 07 00")
        #expect(hexString(try takeover.compress(message: Self.hello)) == "f2 00 11 00 00")
        // With no context takeover on our side every message starts afresh.
        let reset = Self.codec(NegotiatedDeflate(serverNoContextTakeover: true))
        #expect(hexString(try reset.compress(message: Self.hello)) == "f2 48 cd c9 c9 07 00")
        #expect(hexString(try reset.compress(message: Self.hello)) == "f2 48 cd c9 c9 07 00")
    }

    @Test func level0WritesTheStoredBlockOfTheRFC() throws {
        // §7.2.3.3: "Hello" in a DEFLATE block with no compression.
        let codec = Self.codec(level: 0)
        #expect(hexString(try codec.compress(message: Self.hello)) == "00 05 00 fa ff 48 65 6c 6c 6f 00")
    }

    @Test func errorsMapToProtocolViolations() {
        #expect(DeflateError.messageTooLarge(limit: 10).protocolViolation == .messageTooLarge(size: 11, limit: 10))
        #expect(DeflateError.messageTooLarge(limit: 10).protocolViolation?.closeCode == .messageTooBig)
        #expect(DeflateError.invalidData("x").protocolViolation == .invalidCompressedData("x"))
        #expect(DeflateError.zlibFailure("x").protocolViolation == nil)
    }

    @Test func emptyMessageCompressesToASingleZeroOctet() throws {
        // §7.2.3.6: the empty stored block minus its 00 00 ff ff.
        let codec = Self.codec()
        #expect(hexString(try codec.compress(message: ByteBuffer())) == "00")
        #expect(try Self.inflate(Self.codec(role: .client), ["00"]) == "")
        // Between messages sharing a window it changes nothing: the next "Hello" still refers back.
        let sender = Self.codec(), receiver = Self.codec(role: .client)
        for expected in ["f2 48 cd c9 c9 07 00", "00", "f2 00 11 00 00"] {
            let message = expected == "00" ? ByteBuffer() : Self.hello
            let compressed = try sender.compress(message: message)
            #expect(hexString(compressed) == expected)
            #expect(try receiver.decompress(chunk: compressed, isFinal: true) == message)
        }
    }

    static let helloPayloads: [(String, [String])] = [
        ("7.2.3.1 compressed", ["f2 48 cd c9 c9 07 00"]),
        ("7.2.3.1 fragmented", ["f2 48 cd", "c9 c9 07 00"]),
        ("7.2.3.3 stored block", ["00 05 00 fa ff 48 65 6c 6c 6f 00"]),
        ("7.2.3.4 BFINAL", ["f3 48 cd c9 c9 07 00 00"]),
        ("BFINAL without the padding octet (Z_FINISH senders)", ["f3 48 cd c9 c9 07 00"]),
        ("7.2.3.5 two blocks", ["f2 48 05 00 00 00 ff ff ca c9 c9 07 00"]),
        ("7.2.3.6 flushed fragment + 00", ["f2 48 cd c9 c9 07 00 00 00 ff ff", "00"]),
        ("7.2.3.6 empty final fragment", ["f2 48 cd c9 c9 07 00", ""]),
        ("empty first and middle fragments", ["", "f2 48", "", "cd c9 c9 07 00", ""]),
        ("byte by byte", ["f2", "48", "cd", "c9", "c9", "07", "00"]),
    ]

    @Test(arguments: helloPayloads)
    func decompressesHello(_ name: String, _ chunks: [String]) throws {
        let codec = Self.codec(role: .client)
        #expect(try Self.inflate(codec, chunks) == "Hello", "\(name)")
        // The window survives every variant: §7.2.3.2's back-reference to the previous "Hello".
        #expect(try Self.inflate(codec, ["f2 00 11 00 00"]) == "Hello", "\(name) then 7.2.3.2")
    }

    @Test func peerNoContextTakeoverResetsTheInflater() throws {
        let codec = Self.codec(NegotiatedDeflate(serverNoContextTakeover: true), role: .client)
        #expect(try Self.inflate(codec, ["f2 48 cd c9 c9 07 00"]) == "Hello")
        // A back-reference into the previous message must now fail.
        #expect(throws: DeflateError.self) { try Self.inflate(codec, ["f2 00 11 00 00"]) }
    }

    static let invalidPayloads: [(String, [String])] = [
        ("reserved block type 11", ["ff ff ff"]),
        ("stored block with LEN != ~NLEN", ["00 05 00 00 00 48 65 6c 6c 6f 00"]),
        ("empty payload (no block header: stops inside the tail)", [""]),
        ("truncated after one fragment", ["f2 48 cd"]),
        ("distance beyond anything produced", ["f2 00 11 00 00"]),
    ]

    @Test(arguments: invalidPayloads)
    func rejectsInvalidData(_ name: String, _ chunks: [String]) {
        let codec = Self.codec(role: .client)
        #expect(throws: DeflateError.self, "\(name)") { try Self.inflate(codec, chunks) }
        do {
            _ = try Self.inflate(Self.codec(role: .client), chunks)
        } catch {
            guard case .invalidData = error as? DeflateError else {
                Issue.record("\(name): expected .invalidData, got \(error)")
                return
            }
        }
    }

    // MARK: Round trips

    /// Messages mixing text-like repetitive data, random bytes and empty messages.
    static func messages(count: Int, seed: UInt64) -> [ByteBuffer] {
        var rng = DeterministicRandom(seed: seed)
        let words = ["permessage", "deflate", "window", "context", "takeover", " ", "\n", "{\"a\":1}", "ü"]
        return (0..<count).map { i in
            var buffer = ByteBuffer()
            switch i % 4 {
            case 0:
                let n = Int.random(in: 0...40_000, using: &rng)
                while buffer.readableBytes < n { buffer.writeString(words.randomElement(using: &rng)!) }
            case 1:
                buffer.writeBytes((0..<Int.random(in: 0...5_000, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
            case 2:
                break
            default:
                // Long-distance repeats: a random block repeated after a gap, to use the whole window.
                let block = (0..<700).map { _ in UInt8.random(in: 0...255, using: &rng) }
                buffer.writeBytes(block)
                buffer.writeBytes((0..<Int.random(in: 0...20_000, using: &rng)).map { _ in UInt8.random(in: 0...3, using: &rng) })
                buffer.writeBytes(block)
            }
            return buffer
        }
    }

    static let roundTripCases: [(Int, Bool)] = (8...15).flatMap { [($0, false), ($0, true)] }

    @Test(arguments: roundTripCases)
    func roundTripsEveryWindowAndTakeoverMode(_ bits: Int, _ noContextTakeover: Bool) throws {
        let negotiated = NegotiatedDeflate(clientNoContextTakeover: noContextTakeover, clientMaxWindowBits: bits)
        let sender = Self.codec(negotiated, role: .client)
        let receiver = Self.codec(negotiated, role: .server)
        var rng = DeterministicRandom(seed: UInt64(bits * 2 + (noContextTakeover ? 1 : 0)))
        var compressedTotal = 0, plainTotal = 0
        for message in Self.messages(count: 40, seed: UInt64(bits)) {
            var compressed = try sender.compress(message: message)
            compressedTotal += compressed.readableBytes
            plainTotal += message.readableBytes
            // Split the compressed payload at random points, as frames or TCP reads would.
            var received = ByteBuffer()
            repeat {
                let n = Int.random(in: 0...max(0, compressed.readableBytes), using: &rng)
                let chunk = compressed.readSlice(length: min(n, compressed.readableBytes))!
                var out = try receiver.decompress(chunk: chunk, isFinal: compressed.readableBytes == 0)
                received.writeBuffer(&out)
            } while compressed.readableBytes > 0
            #expect(received == message)
        }
        #expect(compressedTotal < plainTotal, "the data set is compressible")
    }

    /// Strict window check: inflating one byte per call makes zlib resolve every back-reference
    /// through its sliding window, so any distance beyond 2^bits fails with "too far back".
    static func inflatesWithStrictWindow(_ payload: ByteBuffer, bits: Int) throws -> Bool {
        let inflater = try RawInflater(windowBits: bits)
        var output = ByteBuffer()
        var produced = 0
        var data = payload
        data.writeBytes(DeflateCodec.tail)
        let failure = data.withUnsafeReadableBytes {
            inflater.inflate($0, into: &output, produced: &produced, limit: .max, step: 1)
        }
        return failure == nil
    }

    @Test(arguments: 8...15)
    func compressorHonoursTheNegotiatedWindow(_ bits: Int) throws {
        var rng = DeterministicRandom(seed: 99)
        let block = (0..<200).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var message = ByteBuffer()
        for gap in [100, 300, 600, 1_200, 5_000, 20_000, 40_000] {
            message.writeBytes(block)
            message.writeBytes((0..<gap).map { _ in UInt8.random(in: 0...255, using: &rng) })
        }
        message.writeBytes(block)
        let compressed = try Self.codec(NegotiatedDeflate(serverMaxWindowBits: bits)).compress(message: message)
        #expect(try Self.inflatesWithStrictWindow(compressed, bits: bits))
        if bits > 8 {
            // Control: the same data compressed with a larger window needs the larger window.
            let wide = try Self.codec().compress(message: message)
            #expect(try !Self.inflatesWithStrictWindow(wide, bits: bits - 1))
        }
    }

    @Test func zlibRefusesRawDeflateWithWindowBits8() {
        // The fact WindowBits8Support is built on (zlib >= 1.2.9).
        #expect(!MessageDeflater.zlibAcceptsRawWindowBits(8))
        #expect((9...15).allSatisfy(MessageDeflater.zlibAcceptsRawWindowBits))
    }

    @Test func window8StillCompressesRepetitiveData() throws {
        let message = ByteBuffer(repeating: UInt8(ascii: "a"), count: 10_000)
        let compressed = try Self.codec(NegotiatedDeflate(serverMaxWindowBits: 8)).compress(message: message)
        #expect(compressed.readableBytes < 200)
        #expect(try Self.inflate(Self.codec(role: .client), [hexString(compressed)]) == String(buffer: message))
    }

    // MARK: Limits

    @Test func limitIsExact() throws {
        let message = ByteBuffer(repeating: 7, count: 1_000)
        let compressed = try Self.codec().compress(message: message)
        #expect(try Self.codec(role: .client, limit: 1_000).decompress(chunk: compressed, isFinal: true) == message)
        #expect(throws: DeflateError.messageTooLarge(limit: 999)) {
            try Self.codec(role: .client, limit: 999).decompress(chunk: compressed, isFinal: true)
        }
        // The limit is per message, not per connection.
        let codec = Self.codec(NegotiatedDeflate(serverNoContextTakeover: true), role: .client, limit: 1_000)
        for _ in 0..<5 { #expect(try codec.decompress(chunk: compressed, isFinal: true).readableBytes == 1_000) }
    }

    static let bomb: ByteBuffer = {
        // 10 MiB of zeros deflate to about 10 KiB.
        let codec = DeflateCodec(negotiated: NegotiatedDeflate(), role: .server, maxDecompressedMessageSize: .max,
                                 compressionLevel: 9)
        return try! codec.compress(message: ByteBuffer(repeating: 0, count: 10 << 20))
    }()

    @Test func bombStopsAtTheLimitWhileStreaming() throws {
        let limit = 1 << 20
        #expect(Self.bomb.readableBytes < 12 * 1024)
        let codec = Self.codec(role: .client, limit: limit)
        var compressed = Self.bomb
        var delivered = 0
        var chunksFed = 0
        var thrown: DeflateError?
        while let chunk = compressed.readSlice(length: min(512, compressed.readableBytes)), chunk.readableBytes > 0 {
            chunksFed += 1
            do {
                delivered += try codec.decompress(chunk: chunk, isFinal: compressed.readableBytes == 0).readableBytes
            } catch {
                thrown = error
                break
            }
        }
        #expect(thrown == .messageTooLarge(limit: limit))
        #expect(delivered <= limit)
        // It failed as soon as the limit was crossed, long before the end of the 10 MiB.
        #expect(chunksFed * 512 < Self.bomb.readableBytes / 4)
    }

    @Test func bombInOneChunkAllocatesNoMoreThanTheLimit() throws {
        let limit = 1 << 20
        let inflater = try RawInflater()
        var output = ByteBuffer()
        var produced = 0
        var data = Self.bomb
        data.writeBytes(DeflateCodec.tail)
        let failure = data.withUnsafeReadableBytes {
            inflater.inflate($0, into: &output, produced: &produced, limit: limit, step: DeflateCodec.inflateStep)
        }
        #expect(failure == .messageTooLarge(limit: limit))
        #expect(produced == limit + 1)
        #expect(output.readableBytes == limit + 1)
        // Growth in bounded steps: capacity stays within a factor of the limit, never near 10 MiB.
        #expect(output.capacity <= 2 * limit + DeflateCodec.inflateStep)
        #expect(throws: DeflateError.messageTooLarge(limit: limit)) {
            try Self.codec(role: .client, limit: limit).decompress(chunk: Self.bomb, isFinal: true)
        }
    }
}
