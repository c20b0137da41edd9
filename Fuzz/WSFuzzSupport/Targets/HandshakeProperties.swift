import NIOCore
import WSEngine

/// Properties shared by the two handshake targets.
enum HandshakeProperties {
    /// How feeding a head ended.
    enum Outcome: Equatable {
        /// The head, and the stream offset of the first byte after it.
        case head(HTTPHead, end: Int)
        case incomplete
        case failed(HandshakeError)
    }

    static let headLimits = [16, 64, 256, 1024, 16 * 1024]

    /// What one `feed` call did.
    enum Step {
        /// No head yet; `leftover` bytes of the chunk were not consumed (must be 0).
        case needMore(leftover: Int)
        case head(HTTPHead, used: Int)
    }

    /// Feeds one chunk through one of the three `feed` overloads.
    static func feed(_ parser: inout HTTPHeadParser, _ chunk: ArraySlice<UInt8>,
                     overload: Int) -> Result<Step, HandshakeError> {
        Result { () throws(HandshakeError) -> Step in
            switch overload {
            case 0:
                let result = chunk.withUnsafeBytes { raw in Result { () throws(HandshakeError) in try parser.feed(raw) } }
                guard let (head, used) = try result.get() else { return .needMore(leftover: 0) }
                return .head(head, used: used)
            case 1:
                var buffer = ByteBuffer(bytes: chunk)
                guard let head = try parser.feed(&buffer) else { return .needMore(leftover: buffer.readableBytes) }
                return .head(head, used: chunk.count - buffer.readableBytes)
            default:
                guard let (head, used) = try parser.feed(chunk) else { return .needMore(leftover: 0) }
                return .head(head, used: used)
            }
        }
    }

    /// Feeds `chunks` to a fresh parser, through the overload picked per chunk by `overloads`.
    static func feed(_ chunks: [ArraySlice<UInt8>], kind: HTTPHeadParser.Kind, limit: Int,
                     overloads: UInt8) throws(FuzzFailure) -> Outcome {
        var parser = HTTPHeadParser(kind: kind, maximumHeadSize: limit)
        var start = 0
        for (index, chunk) in chunks.enumerated() {
            switch feed(&parser, chunk, overload: (Int(overloads) >> (index % 4 * 2)) & 3) {
            case let .success(.needMore(leftover)):
                try checkEqual(leftover, 0, "bytes left unconsumed while the head is incomplete")
                start += chunk.count
            case let .success(.head(head, used)):
                try check((1...chunk.count).contains(used), "used \(used) bytes of a \(chunk.count)-byte chunk")
                return .head(head, end: start + used)
            case let .failure(error):
                // A failed parser stays failed.
                let again = feed(&parser, [UInt8(ascii: "\r"), UInt8(ascii: "\n")], overload: 2)
                guard case let .failure(repeated) = again else {
                    throw FuzzFailure("parser accepted bytes after failing with \(error)")
                }
                try checkEqual(repeated, error, "a failed parser repeats its error")
                return .failed(error)
            }
        }
        return .incomplete
    }

    /// Parses `bytes` whole and in chunks; the outcomes must match. Returns the outcome.
    static func parse(_ bytes: [UInt8], kind: HTTPHeadParser.Kind, limit: Int, plan: SplitPlan,
                      overloads: UInt8) throws(FuzzFailure) -> Outcome {
        let whole = try feed([bytes[...]], kind: kind, limit: limit, overloads: overloads)
        let chunked = try feed(plan.chunks(of: bytes), kind: kind, limit: limit, overloads: overloads)
        try checkEqual(chunked, whole, "head parsed in chunks (\(plan)) and whole")
        if case let .head(head, end) = whole {
            try check(end <= limit, "a \(end)-byte head accepted with a limit of \(limit)")
            try roundTrip(head, kind: kind)
        }
        return whole
    }

    /// A parsed head, encoded again, parses to the same head.
    static func roundTrip(_ head: HTTPHead, kind: HTTPHeadParser.Kind) throws(FuzzFailure) {
        let encoded = Array(head.encode().readableBytesView)
        let again = try feed([encoded[...]], kind: kind, limit: encoded.count, overloads: 0)
        try checkEqual(again, .head(head, end: encoded.count), "parse(encode(head))")
    }

    /// Parses a complete response that the engine wrote itself.
    static func parseOwnResponse(_ buffer: ByteBuffer) throws(FuzzFailure) -> (head: HTTPHead, bodyLength: Int) {
        let bytes = Array(buffer.readableBytesView)
        guard case let .head(head, end) = try feed([bytes[...]], kind: .response, limit: bytes.count, overloads: 0) else {
            throw FuzzFailure("our own response does not parse: \(String(decoding: bytes, as: UTF8.self))")
        }
        return (head, bytes.count - end)
    }
}
