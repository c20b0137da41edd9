import NIOCore

/// An incremental, fail-fast UTF-8 validator for a stream of bytes that arrives in chunks of any size
/// (RFC 6455 §8.1: an endpoint fails the connection as soon as the text it has received so far can no
/// longer be valid UTF-8, not only once the message is complete).
///
/// Failure offsets follow the Unicode "maximal subpart" rule (also used by WHATWG): the offset reported
/// is that of the first byte that can neither start nor continue a well-formed sequence. Examples:
/// `f4 90 80 80` fails at 1, `ed a0 80` (a surrogate) at 1, `c0 af` at 0, `e0 80` at 1, a lone `80` at 0;
/// `ce` alone is a valid prefix, and only `finish()` reports it (at offset 1, where a byte is missing).
///
/// Speed: an ASCII fast path checks 32 bytes per step; other bytes go through a shift-based DFA
/// (one table load and one shift per byte), with the error check done once per 16-byte block.
public struct UTF8Validator: Sendable, Hashable {
    /// DFA state: one of the `UTF8DFA` shift amounts.
    private var state: UInt8 = UTF8DFA.accept
    /// Offset of the first invalid byte, once one was seen. Failure is sticky.
    private var failureOffset: Int?
    /// Bytes fed since `init` or `reset()`, including any fed after a failure.
    public private(set) var bytesSeen: Int = 0

    public init() {}

    /// True while a multi-byte sequence has started but not yet ended (and nothing failed).
    public var isInsideSequence: Bool { failureOffset == nil && state != UTF8DFA.accept }

    /// True once an invalid byte was seen (by `validate` or `finish`).
    public var hasFailed: Bool { failureOffset != nil }

    /// Forgets everything: the next byte is offset 0 of a new stream.
    public mutating func reset() { self = UTF8Validator() }

    /// Validates the next chunk of the stream. Returns nil while everything so far is valid or a valid
    /// prefix; otherwise the offset, counted from the start of the whole stream, of the first byte that
    /// can no longer start or continue a valid sequence. Once failed, it keeps returning that offset.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let start = bytesSeen
        bytesSeen += bytes.count
        if let failureOffset { return failureOffset }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let (newState, errorIndex) = UTF8DFA.run(base, count: bytes.count, state: state)
        state = newState
        if let errorIndex { failureOffset = start + errorIndex }
        return failureOffset
    }

    /// Validates the readable bytes of `buffer` as the next chunk (see `validate(_:)`).
    public mutating func validate(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { validate($0) }
    }

    /// Validates any byte collection as the next chunk (see `validate(_:)`).
    public mutating func validate<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        if let result = bytes.withContiguousStorageIfAvailable({ validate(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { validate($0) }
    }

    /// Ends the stream. Returns nil when everything was valid and complete; otherwise the failure offset.
    /// A sequence truncated by the end of the stream fails at `bytesSeen`, where its next byte was due.
    public mutating func finish() -> Int? {
        if failureOffset == nil && state != UTF8DFA.accept {
            failureOffset = bytesSeen
        }
        return failureOffset
    }

    /// One-shot check of a complete byte string: nil when valid, else the failure offset.
    public static func firstInvalidOffset<C: Collection<UInt8>>(_ bytes: C) -> Int? {
        var validator = UTF8Validator()
        if let offset = validator.validate(bytes) { return offset }
        return validator.finish()
    }
}
