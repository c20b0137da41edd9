import WSFrames

/// RFC 6455 §5.3 masking restated for the frame targets' oracle: the octet at payload position `i`
/// travels as `payload[i] XOR key[i mod 4]`. Deliberately independent of the engine's `Masking`,
/// so a bug there cannot hide from the parser's checks; 8 bytes per step, so that checking a payload
/// costs about what unmasking it did.
enum MaskedBytes {
    /// `wire` is `payload` masked with `key` (nil: sent as is), the first byte at key position `phase`.
    static func match(payload: UnsafeRawBufferPointer, wire: UnsafeRawBufferPointer, key: MaskingKey?, phase: Int) -> Bool {
        guard payload.count == wire.count else { return false }
        let count = payload.count
        guard count > 0, let p = payload.baseAddress, let w = wire.baseAddress else { return true }
        guard let key else { return p.compare(with: w, count: count) }
        let keyBytes = (key.b0, key.b1, key.b2, key.b3)
        func keyByte(_ position: Int) -> UInt8 {
            switch position & 3 {
            case 0: keyBytes.0
            case 1: keyBytes.1
            case 2: keyBytes.2
            default: keyBytes.3
            }
        }
        // The 8 key bytes that cover payload bytes i ..< i + 8 for any i ≡ 0 (mod 4), in memory order.
        var numeric: UInt64 = 0
        for j in 0..<8 { numeric |= UInt64(keyByte(phase + j)) << (8 * j) }
        let word = UInt64(littleEndian: numeric)
        var i = 0
        while count - i >= 8 {
            if p.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ word != w.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if p.load(fromByteOffset: i, as: UInt8.self) ^ keyByte(phase + i) != w.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            i += 1
        }
        return true
    }
}

private extension UnsafeRawPointer {
    func compare(with other: UnsafeRawPointer, count: Int) -> Bool {
        UnsafeRawBufferPointer(start: self, count: count).elementsEqual(UnsafeRawBufferPointer(start: other, count: count))
    }
}
