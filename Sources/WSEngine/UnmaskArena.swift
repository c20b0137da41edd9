import NIOCore

/// Unmasks the payloads of several consecutive complete masked frames into one fresh buffer in a
/// single pass, so `FrameParser.nextFrame()` can hand out each payload as a slice of it.
///
/// WHY: one allocation per frame (plus NIO's runtime exclusivity checks on every buffer access)
/// costs more than parsing a small frame; sharing one allocation among the frames buffered together
/// makes coalesced small frames several times cheaper. Payload slices keep the whole arena alive,
/// so its size is capped (`byteLimit`, unless a single frame is larger).
enum UnmaskArena {
    /// Payload bytes one arena collects from several frames; a larger single frame gets its own.
    static let byteLimit = 64 * 1024

    /// Scans complete frames from the start of `bytes` (the first of which is a complete masked frame
    /// of `firstLength` payload bytes after `firstHeaderLength` header bytes), validating each header
    /// exactly as the parser will, and copies the unmasked payloads of the masked ones, in order, into
    /// one buffer. Stops before the first frame that is incomplete, invalid or would overflow the arena.
    ///
    /// - Returns: the arena and the number of masked frames whose payloads it holds (at least 1).
    static func fill(from bytes: UnsafeRawBufferPointer, streamOffset: Int, decoder: FrameHeaderDecoder,
                     firstHeaderLength: Int, firstLength: Int,
                     allocator: ByteBufferAllocator) -> (arena: ByteBuffer, frames: Int) {
        // Every complete frame's payload lies in `bytes`, so this bounds what the scan can collect.
        let capacity = max(firstLength, min(bytes.count - firstHeaderLength, byteLimit))
        var arena = allocator.buffer(capacity: capacity)
        var frames = 0
        var decoder = decoder
        arena.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { destination in
            var position = 0
            var written = 0
            while position < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
                guard case let .complete(header, headerLength) = decoder.decode(rest, streamOffset: streamOffset &+ position),
                      UInt64(rest.count - headerLength) >= header.payloadLength
                else { break }
                let length = Int(header.payloadLength)
                if let key = header.maskingKey {
                    // Never skip a masked frame: the parser takes payloads from the arena in order.
                    if capacity - written < length { break }
                    let start = position &+ headerLength
                    Masking.copy(from: UnsafeRawBufferPointer(rebasing: bytes[start..<(start &+ length)]),
                                 to: UnsafeMutableRawBufferPointer(rebasing: destination[written...]), key: key)
                    written &+= length
                    frames &+= 1
                }
                decoder.message.commit(header)
                position &+= headerLength &+ length
            }
            return written
        }
        return (arena, frames)
    }
}
