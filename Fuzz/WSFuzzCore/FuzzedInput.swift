/// A small FuzzedDataProvider: turns the fuzzer's bytes into options, numbers and byte strings.
///
/// Options are read from the front, so a seed is "option bytes, then the data under test", and the
/// mutator keeps the data intact while flipping options. Reading past the end yields zeros (never a
/// trap), so every input, even an empty one, describes a complete run.
public struct FuzzedInput: Sendable {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public init(_ raw: UnsafeRawBufferPointer) { self.bytes = Array(raw) }

    /// Bytes not consumed yet.
    public var remainingCount: Int { bytes.count - position }

    /// The next byte, or 0 once the input is exhausted.
    public mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// Lowest bit of the next byte.
    public mutating func bool() -> Bool { byte() & 1 == 1 }

    /// The next `T.bitWidth / 8` bytes, little-endian (missing bytes are zeros).
    public mutating func integer<T: FixedWidthInteger & UnsignedInteger>(_: T.Type = T.self) -> T {
        var value: T = 0
        for i in 0..<(T.bitWidth / 8) { value |= T(byte()) << (8 * i) }
        return value
    }

    /// A value in `range`, from as few bytes as the range needs (one byte for up to 256 values).
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound)
        guard span > 0 else { return range.lowerBound }
        var raw: UInt64 = 0
        var covered: UInt64 = 0
        // Consume bytes until they can express every value of the span.
        while covered < span {
            raw = raw << 8 | UInt64(byte())
            covered = covered << 8 | 0xFF
        }
        return range.lowerBound + Int(raw % (span + 1))
    }

    /// One of `choices` (which must not be empty), chosen by the next byte.
    public mutating func pick<T>(_ choices: [T]) -> T {
        precondition(!choices.isEmpty, "pick needs at least one choice")
        return choices[integer(in: 0...(choices.count - 1))]
    }

    /// Up to `count` bytes (fewer when the input runs out).
    public mutating func bytes(upTo count: Int) -> [UInt8] {
        let n = max(0, min(count, remainingCount))
        defer { position += n }
        return Array(bytes[position..<(position + n)])
    }

    /// A byte string whose length is given by the next byte (0...255, capped by what remains).
    public mutating func shortBytes() -> [UInt8] {
        let length = Int(byte())
        return bytes(upTo: length)
    }

    /// Everything not consumed yet.
    public mutating func remainingBytes() -> [UInt8] { bytes(upTo: remainingCount) }
}
