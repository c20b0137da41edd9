import NIOCore

/// XOR masking of payload bytes with a 4-byte key (RFC 6455 §5.3), processed a machine word and
/// more at a time instead of byte by byte.
///
/// `phase` is the position of the first byte within the key cycle (`payloadOffset % 4`), so a payload
/// that arrives in chunks can be (un)masked chunk by chunk. Masking is an involution: applying the
/// same key at the same phase twice restores the original bytes.
public enum Masking {
    /// Masks (or unmasks) `buffer` in place.
    @inlinable
    public static func apply(_ key: MaskingKey, to buffer: UnsafeMutableRawBufferPointer, phase: Int = 0) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        xor(source: UnsafeRawPointer(base), destination: base, count: buffer.count, key: key, phase: phase)
    }

    /// Copies `source` into the start of `destination` while masking it, in a single pass.
    /// `destination` must hold at least `source.count` bytes; the regions may be identical but must
    /// not otherwise overlap.
    @inlinable
    public static func copy(from source: UnsafeRawBufferPointer, to destination: UnsafeMutableRawBufferPointer,
                            key: MaskingKey, phase: Int = 0) {
        precondition(destination.count >= source.count, "destination too small for the masked copy")
        guard let src = source.baseAddress, let dst = destination.baseAddress, source.count > 0 else { return }
        xor(source: src, destination: dst, count: source.count, key: key, phase: phase)
    }

    /// The key's 4 bytes starting at `phase`, repeated twice, as a number (the first byte lowest).
    /// Shifts instead of per-byte switches: no branches, so masking a frame costs the same few
    /// instructions (and coverage edges, in the fuzz build) whatever its key phase.
    @inlinable
    static func numericWord(_ key: MaskingKey, phase: Int) -> UInt64 {
        let twice = UInt64(key.packed) | UInt64(key.packed) << 32
        let rotated = UInt32(truncatingIfNeeded: twice >> (8 &* UInt64(truncatingIfNeeded: phase & 3)))
        return UInt64(rotated) | UInt64(rotated) << 32
    }

    @inlinable
    static func xor(source: UnsafeRawPointer, destination: UnsafeMutableRawPointer, count: Int,
                    key: MaskingKey, phase: Int) {
        let numeric = numericWord(key, phase: phase)
        // In memory order, so that a plain 64-bit XOR masks 8 consecutive bytes.
        let w = UInt64(littleEndian: numeric)
        var i = 0
        // 32 bytes per step: independent 64-bit lanes that LLVM turns into vector XORs.
        while count - i >= 32 {
            let a = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let b = source.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
            let c = source.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)
            let d = source.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
            destination.storeBytes(of: a ^ w, toByteOffset: i, as: UInt64.self)
            destination.storeBytes(of: b ^ w, toByteOffset: i + 8, as: UInt64.self)
            destination.storeBytes(of: c ^ w, toByteOffset: i + 16, as: UInt64.self)
            destination.storeBytes(of: d ^ w, toByteOffset: i + 24, as: UInt64.self)
            i &+= 32
        }
        while count - i >= 8 {
            let a = source.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            destination.storeBytes(of: a ^ w, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        // Word steps are multiples of 8, so tail byte t takes the word's byte t.
        var tail = numeric
        while i < count {
            let b = source.load(fromByteOffset: i, as: UInt8.self)
            destination.storeBytes(of: b ^ UInt8(truncatingIfNeeded: tail), toByteOffset: i, as: UInt8.self)
            tail >>= 8
            i &+= 1
        }
    }
}

extension ByteBuffer {
    /// Masks (or unmasks) the readable bytes in place, the first of them at key position `phase`.
    @inlinable
    public mutating func applyMask(_ key: MaskingKey, phase: Int = 0) {
        withUnsafeMutableReadableBytes { Masking.apply(key, to: $0, phase: phase) }
    }
}
