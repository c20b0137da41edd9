import NIOCore

/// A cheap value that depends on a decoded payload (length, first and last byte), used identically
/// for every decoder so that each must really produce its frames.
@inline(__always)
func digest(_ payload: ByteBuffer) -> UInt64 {
    let count = payload.readableBytes
    guard count > 0 else { return 0 }
    let first = payload.getInteger(at: payload.readerIndex, as: UInt8.self)!
    let last = payload.getInteger(at: payload.readerIndex + count - 1, as: UInt8.self)!
    return UInt64(count) &+ UInt64(first) << 32 &+ UInt64(last) << 40
}
