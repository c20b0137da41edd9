import CCompressZlib
import NIOCore

/// A raw-DEFLATE decompressor (zlib, no header) whose output is produced in bounded steps.
///
/// Written on zlib directly (through compress-nio's `CCompressZlib`) rather than on
/// `CompressNIO.ZlibDecompressor`, because the codec needs stream state that the latter keeps
/// private: `data_type` (did the message end on a block boundary?) and the sliding window (to carry
/// it over a BFINAL block, RFC 7692 §7.2.3.4).
final class RawInflater {
    // zlib keeps pointers into the z_stream, so it must never move: it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    /// A block with BFINAL set ended the DEFLATE stream; more data needs a restarted stream.
    private(set) var streamEnded = false

    init(windowBits: Int = 15) throws(DeflateError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = CCompressZlib_inflateInit2(stream, -Int32(windowBits))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw .zlibFailure("inflateInit2(\(-windowBits)) returned \(rc)")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// True when everything inflated so far ends exactly at a DEFLATE block boundary (or the stream
    /// was ended by a BFINAL block): what a complete RFC 7692 message must look like after the
    /// `00 00 ff ff` tail has been added.
    var isAtBlockBoundary: Bool { streamEnded || stream.pointee.data_type & 128 != 0 }

    /// Forgets everything, including the sliding window.
    func reset() {
        inflateReset(stream)
        streamEnded = false
    }

    /// Inflates all of `input`, appending to `output`. `produced` counts the bytes of the current
    /// message; at most `limit + 1` are ever produced, after which `.messageTooLarge` is returned.
    /// Output is written in steps of at most `step` bytes, so a decompression bomb never allocates
    /// more than the limit allows.
    func inflate(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer,
                 produced: inout Int, limit: Int, step: Int) -> DeflateError? {
        guard let base = input.baseAddress, input.count > 0 else { return nil }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }
        while true {
            if streamEnded {
                // Data after a BFINAL block starts a new DEFLATE stream over the same window.
                if let failure = restartKeepingWindow() { return failure }
            }
            let remaining = limit - produced
            let room = remaining >= step ? step : remaining + 1
            var rc = Z_OK
            let written = output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { out in
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(room)
                rc = CCompressZlib.inflate(stream, Z_NO_FLUSH)
                let written = room - Int(stream.pointee.avail_out)
                stream.pointee.next_out = nil
                stream.pointee.avail_out = 0
                return written
            }
            produced += written
            if produced > limit { return .messageTooLarge(limit: limit) }
            switch rc {
            case Z_OK:
                // Room left over means zlib had nothing more to give for the input it was handed.
                if stream.pointee.avail_in == 0 && written < room { return nil }
            case Z_BUF_ERROR:
                // No progress possible: fine once all input is consumed and nothing is pending.
                return stream.pointee.avail_in == 0 ? nil : .zlibFailure("inflate made no progress")
            case Z_STREAM_END:
                streamEnded = true
                if stream.pointee.avail_in == 0 { return nil }
            case Z_DATA_ERROR, Z_NEED_DICT:
                return .invalidData(zlibMessage ?? "inflate returned \(rc)")
            case Z_MEM_ERROR:
                return .zlibFailure("out of memory")
            default:
                return .zlibFailure("inflate returned \(rc)")
            }
        }
    }

    private var zlibMessage: String? { stream.pointee.msg.map { String(cString: $0) } }

    private func restartKeepingWindow() -> DeflateError? {
        var window = [UInt8](repeating: 0, count: 1 << 15)
        var length: UInt32 = 0
        guard inflateGetDictionary(stream, &window, &length) == Z_OK, inflateReset(stream) == Z_OK else {
            return .zlibFailure("could not restart the inflate stream")
        }
        streamEnded = false
        if length > 0 && inflateSetDictionary(stream, window, length) != Z_OK {
            return .zlibFailure("could not restore the sliding window")
        }
        return nil
    }
}
