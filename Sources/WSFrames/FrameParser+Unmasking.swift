import NIOCore

extension FrameParser {
    /// Unmasks, in place, the buffered payload bytes of the frame being read and of the complete
    /// frames buffered after it, so that payloads can be handed out as slices of the buffer.
    ///
    /// WHY in place and ahead: a fresh buffer per payload (plus NIO's runtime exclusivity check on
    /// every access) cost more than parsing a small frame, and unmasking every complete frame in one
    /// pass means later payloads are ready slices: the buffer is mutated (and, if a caller still
    /// shares its storage, copied once) per batch of frames, not per frame.
    ///
    /// Frame boundaries depend only on the header bytes, never on configuration or message state,
    /// so the frames scanned here are exactly the ones the parser will read; the scan still stops
    /// at the first header the parser would reject, to do no work the parser will not use. Callers
    /// come here only for bytes past `unmaskedThrough`, which always ends at a consumed byte or a
    /// frame boundary: nothing is unmasked twice (that would restore the mask).
    ///
    /// - Parameters:
    ///   - current: payload bytes of the frame being read that are buffered at the reader index, with
    ///     its key and the key phase of the first of them (nil: start at a header).
    ///   - decoder: validates the headers that follow, as the parser would.
    mutating func unmaskAhead(current: (count: Int, key: MaskingKey, phase: Int)?, decoder: FrameHeaderDecoder) {
        assert(unmaskedThrough <= consumed, "unmasking bytes that are already unmasked")
        let offset = consumed
        unmaskedThrough = buffer.withUnsafeMutableReadableBytes { bytes -> Int in
            var position = 0
            if let current {
                Masking.apply(current.key, to: UnsafeMutableRawBufferPointer(rebasing: bytes[..<current.count]),
                              phase: current.phase)
                position = current.count
            }
            var decoder = decoder
            while position < bytes.count {
                let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
                guard case let .complete(header, headerLength) = decoder.decode(rest, streamOffset: offset &+ position),
                      UInt64(rest.count &- headerLength) >= header.payloadLength
                else { break }
                let length = Int(header.payloadLength)
                let start = position &+ headerLength
                if let key = header.maskingKey {
                    Masking.apply(key, to: UnsafeMutableRawBufferPointer(rebasing: bytes[start..<(start &+ length)]))
                }
                decoder.message.commit(header)
                position = start &+ length
            }
            return offset &+ position
        }
    }
}
