import NIOCore
import WSEngine

extension FuzzTarget {
    /// `DeflateCodec`: bounded decompression of arbitrary data (a bomb must stop at the limit, and the
    /// result must not depend on how the payload is split into frames), then compress→decompress
    /// round trips of the same bytes under fuzzed window bits, levels and context takeover.
    ///
    /// Input: limit class, split plan (3 bytes), flags, level, window bits, message cut, then the data.
    public static let inflate = FuzzTarget(name: "FuzzInflate") { raw throws(FuzzFailure) in
        var input = FuzzedInput(raw)
        let options = InflateProperties.Options(from: &input)
        let data = input.remainingBytes()
        try InflateProperties.boundedDecompression(data, options)
        try InflateProperties.roundTrip(data, options)
    }
}

enum InflateProperties {
    struct Options {
        var limit: Int
        var plan: SplitPlan
        var role: Role
        var noContextTakeover: Bool
        var twoMessages: Bool
        var level: Int
        var windowBits: Int
        /// Where the data is cut into two messages, as a fraction of 255.
        var cut: Int

        init(from input: inout FuzzedInput) {
            limit = input.pick([0, 1, 2, 125, 1000, 4096, 32 * 1024, 32 * 1024 + 1, 64 * 1024, 1 << 20])
            plan = SplitPlan(from: &input)
            let flags = input.byte()
            role = flags & 1 == 0 ? .server : .client
            noContextTakeover = flags & 2 != 0
            twoMessages = flags & 4 != 0
            level = Int(input.byte() % 10)
            windowBits = 8 + Int(input.byte() % 8)
            cut = Int(input.byte())
        }

        var negotiated: NegotiatedDeflate {
            NegotiatedDeflate(serverNoContextTakeover: noContextTakeover, clientNoContextTakeover: noContextTakeover,
                              serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits)
        }

        func messages(of data: [UInt8]) -> [[UInt8]] {
            guard twoMessages else { return [data] }
            let at = data.count * cut / 255
            return [Array(data[..<at]), Array(data[at...])]
        }
    }

    /// What decompressing one message produced: its bytes, or the error that stopped it.
    enum Outcome: Equatable {
        case message([UInt8])
        case failed(DeflateError)
    }

    /// Decompresses `data` (cut into one or two messages) as a peer's compressed payload, whole and in
    /// chunks. Output must stay within the limit, and both feeds must give the same outcome.
    static func boundedDecompression(_ data: [UInt8], _ options: Options) throws(FuzzFailure) {
        let messages = options.messages(of: data)
        let whole = try decompress(messages, options, chunked: false)
        let chunked = try decompress(messages, options, chunked: true)
        try checkEqual(chunked, whole, "chunked and whole decompression")
    }

    static func decompress(_ messages: [[UInt8]], _ options: Options, chunked: Bool) throws(FuzzFailure) -> [Outcome] {
        let codec = DeflateCodec(negotiated: options.negotiated, role: options.role,
                                 maxDecompressedMessageSize: options.limit)
        var outcomes: [Outcome] = []
        for message in messages {
            let chunks = chunked ? options.plan.chunks(of: message) : [message[...]]
            var output: [UInt8] = []
            var failure: DeflateError?
            for (index, chunk) in chunks.enumerated() {
                do {
                    let piece = try codec.decompress(chunk: ByteBuffer(bytes: chunk), isFinal: index == chunks.count - 1)
                    output += piece.readableBytesView
                    try check(output.count <= options.limit,
                              "decompressed \(output.count) bytes, beyond the limit of \(options.limit)")
                    try check(codec.decompressedSizeOfCurrentMessage <= options.limit,
                              "decompressedSizeOfCurrentMessage \(codec.decompressedSizeOfCurrentMessage) beyond the limit")
                } catch let error as DeflateError {
                    failure = error
                    break
                } catch let error as FuzzFailure {
                    throw error
                } catch {
                    throw FuzzFailure("unexpected error \(error)")
                }
            }
            if chunks.isEmpty {
                // An empty payload: the final (and only) call gets no bytes.
                do {
                    output += try codec.decompress(chunk: ByteBuffer(), isFinal: true).readableBytesView
                } catch {
                    failure = error
                }
            }
            if let failure {
                if case .zlibFailure = failure { throw FuzzFailure("zlib failure on peer data: \(failure)") }
                if case let .messageTooLarge(limit) = failure {
                    try checkEqual(limit, options.limit, "limit reported by messageTooLarge")
                }
                outcomes.append(.failed(failure))
                break  // after an error the codec must not be used again
            }
            try checkEqual(codec.decompressedSizeOfCurrentMessage, 0, "size counter reset after the final chunk")
            outcomes.append(.message(output))
        }
        return outcomes
    }

    /// Compresses the data (one or two messages) with one role's codec and decompresses it with the
    /// peer's, split into frames: the messages must come back unchanged, even with a limit exactly
    /// the size of the largest message.
    static func roundTrip(_ data: [UInt8], _ options: Options) throws(FuzzFailure) {
        let messages = options.messages(of: data)
        let limit = messages.map(\.count).max() ?? 0
        let sender = DeflateCodec(negotiated: options.negotiated, role: options.role,
                                  maxDecompressedMessageSize: 0, compressionLevel: options.level)
        let receiver = DeflateCodec(negotiated: options.negotiated, role: options.role.peer,
                                    maxDecompressedMessageSize: limit)
        for (number, message) in messages.enumerated() {
            let compressed: ByteBuffer
            do {
                compressed = try sender.compress(message: ByteBuffer(bytes: message))
            } catch {
                throw FuzzFailure("compress failed (window \(options.windowBits), level \(options.level)): \(error)")
            }
            let frames = options.plan.chunks(of: Array(compressed.readableBytesView))
            var output: [UInt8] = []
            do {
                for (index, frame) in frames.enumerated() {
                    output += try receiver.decompress(chunk: ByteBuffer(bytes: frame),
                                                      isFinal: index == frames.count - 1).readableBytesView
                }
            } catch {
                throw FuzzFailure("message \(number) (\(message.count) bytes, window \(options.windowBits), "
                                  + "level \(options.level)) failed to decompress: \(error)")
            }
            try check(!frames.isEmpty, "a compressed message is never empty (an empty one is 00)")
            try check(output == message, "message \(number) round trip: \(message.count) bytes in, \(output.count) out")
        }
    }
}
