import CCompressZlib
import CompressNIO
import NIOCore

/// Compresses whole messages as RFC 7692 §7.2.1 asks: raw DEFLATE, `Z_SYNC_FLUSH` at the end of the
/// message, and the trailing `00 00 ff ff` of the empty stored block removed.
final class MessageDeflater {
    private let compressor: ZlibCompressor
    /// Reused output space, sized for the worst case (deflateBound); each message's output is
    /// copied out at its exact size, so large messages do not each map fresh pages.
    private var scratch = ByteBuffer()

    /// - Parameter windowBits: 8...15. zlib refuses raw deflate with 8, so 8 is served with a
    ///   9-bit zlib window and the run-length strategy, whose only back-reference distance is 1:
    ///   valid for any window, hence for a peer that keeps only 256 bytes.
    init(windowBits: Int, level: Int) throws(DeflateError) {
        let zlibBits = max(windowBits, 9)
        let configuration = ZlibConfiguration(windowSize: Int32(zlibBits),
                                              compressionLevel: Int32(level),
                                              // A hash table no larger than the window (zlib's own
                                              // default pairing, 15/8): zlib rescans the whole table
                                              // each time the window slides, so a 32 Ki-entry table
                                              // over a 512-byte window costs ~64 operations per
                                              // input byte.
                                              memoryLevel: Int32(zlibBits - 7),
                                              strategy: windowBits <= 8 ? .rle : .default)
        do {
            compressor = try ZlibCompressor(algorithm: .deflate, configuration: configuration)
        } catch {
            throw .zlibFailure("deflateInit2 failed: \(error)")
        }
    }

    /// Forgets the sliding window (no context takeover).
    func reset() throws(DeflateError) {
        do { try compressor.reset() } catch { throw .zlibFailure("deflateReset failed: \(error)") }
    }

    func compress(_ message: ByteBuffer, allocator: ByteBufferAllocator) throws(DeflateError) -> ByteBuffer {
        // An empty message is an empty stored block minus its 00 00 ff ff: the single octet 00
        // (§7.2.3.6). zlib cannot be asked for it after a previous sync flush (a repeated flush
        // with no input is refused with Z_BUF_ERROR), and the block leaves the window unchanged.
        guard message.readableBytes > 0 else {
            var empty = allocator.buffer(capacity: 1)
            empty.writeInteger(UInt8(0))
            return empty
        }
        var input = message
        var output = scratch
        scratch = ByteBuffer() // `output` is now the only reference: no copy on write below
        output.clear(minimumCapacity: compressor.maxSize(from: input))
        do {
            // One call normally suffices (the buffer is sized by deflateBound); if zlib filled it,
            // give it more room and flush again until it has nothing left.
            try compressor.deflate(from: &input, to: &output, flush: .sync)
            while input.readableBytes > 0 || output.writableBytes == 0 {
                output.reserveCapacity(minimumWritableBytes: 4096)
                do {
                    try compressor.deflate(from: &input, to: &output, flush: .sync)
                } catch let error as CompressNIOError where error == .bufferOverflow && input.readableBytes == 0 {
                    break // Z_BUF_ERROR: nothing was pending after all
                }
            }
        } catch {
            throw .zlibFailure("deflate failed: \(error)")
        }
        let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
        guard output.readableBytes >= 4,
              output.getBytes(at: output.writerIndex - 4, length: 4) == tail
        else { throw .zlibFailure("sync flush did not end with 00 00 ff ff") }
        var result = allocator.buffer(capacity: output.readableBytes - 4)
        _ = output.withUnsafeReadableBytes { result.writeBytes(UnsafeRawBufferPointer(rebasing: $0.dropLast(4))) }
        output.clear()
        scratch = output
        return result
    }

    /// Whether this zlib accepts raw deflate with `bits` (it refuses 8 since 1.2.9). Used by tests to
    /// pin down the fact `WindowBits8Support` documents.
    static func zlibAcceptsRawWindowBits(_ bits: Int) -> Bool {
        // zlib remembers the z_stream's address, so it must not move between calls.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        guard CCompressZlib_deflateInit2(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -Int32(bits), 8,
                                         Z_DEFAULT_STRATEGY) == Z_OK else { return false }
        deflateEnd(stream)
        return true
    }
}
