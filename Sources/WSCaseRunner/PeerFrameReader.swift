import NIOCore
import WSEngine

/// A frame header as the peer wrote it, before any validation.
struct RawFrameHeader: Sendable, Hashable {
    var fin: Bool
    /// The three RSV bits as a number (Autobahn numbering: 4 = RSV1).
    var rsv: UInt8
    /// The 4-bit opcode, reserved values included.
    var opcode: UInt8
    var maskingKey: MaskingKey?
    /// The 7-bit length field (126 / 127 announce the extended forms).
    var length7: UInt8
    var length: UInt64
    /// Stream offset of the header's first octet (counting from the first octet after the handshake).
    var offset: Int

    var isControl: Bool { opcode > 7 }
}

/// A lenient, resumable frame decoder: it never rejects anything, so that the runner can apply
/// Autobahn's checks itself, in Autobahn's order, and keep reading after a violation the way
/// Autobahn's fuzzer does (it fails the connection with a Close and goes on parsing to see the
/// peer's Close reply). `FrameParser` stops at the first violation, which is right for an endpoint
/// but cannot reproduce that.
struct PeerFrameReader: Sendable {
    enum Item: Sendable {
        case header(RawFrameHeader)
        /// The next unmasked payload chunk of the current frame; every frame ends with exactly one
        /// chunk with `frameComplete` (an empty one for an empty frame).
        case payload(ByteBuffer, frameComplete: Bool)
    }

    private var buffer = ByteBuffer()
    private var consumed = 0
    private var remaining: UInt64 = 0
    private var key: MaskingKey?
    private var phase = 0
    private var inFrame = false

    /// Octets appended but not consumed yet.
    var bufferedBytes: Int { buffer.readableBytes }

    mutating func append(_ bytes: ByteBuffer) {
        guard bytes.readableBytes > 0 else { return }
        if buffer.readableBytes == 0 {
            buffer = bytes
        } else {
            if buffer.readerIndex > 65_536 { buffer.discardReadBytes() }
            buffer.writeImmutableBuffer(bytes)
        }
    }

    mutating func next() -> Item? {
        if inFrame { return nextPayload() }
        guard let header = decodeHeader() else { return nil }
        inFrame = true
        remaining = header.length
        key = header.maskingKey
        phase = 0
        return .header(header)
    }

    private mutating func nextPayload() -> Item? {
        if remaining == 0 {
            inFrame = false
            return .payload(ByteBuffer(), frameComplete: true)
        }
        let available = buffer.readableBytes
        guard available > 0 else { return nil }
        let count = Int(min(UInt64(available), remaining))
        var chunk = buffer.readSlice(length: count)!
        if let key {
            // Copy before unmasking: the slice shares storage with the caller's read buffer.
            var copy = ByteBuffer()
            copy.reserveCapacity(count)
            copy.writeImmutableBuffer(chunk)
            copy.applyMask(key, phase: phase)
            chunk = copy
        }
        consumed += count
        remaining -= UInt64(count)
        phase = (phase + count) & 3
        let complete = remaining == 0
        if complete { inFrame = false }
        return .payload(chunk, frameComplete: complete)
    }

    private mutating func decodeHeader() -> RawFrameHeader? {
        guard buffer.readableBytes >= 2 else { return nil }
        let start = buffer.readerIndex
        let b0 = buffer.getInteger(at: start, as: UInt8.self)!
        let b1 = buffer.getInteger(at: start + 1, as: UInt8.self)!
        let masked = b1 & 0x80 != 0
        let length7 = b1 & 0x7F
        let extra = length7 == 126 ? 2 : (length7 == 127 ? 8 : 0)
        let headerLength = 2 + extra + (masked ? 4 : 0)
        guard buffer.readableBytes >= headerLength else { return nil }
        var length = UInt64(length7)
        if length7 == 126 {
            length = UInt64(buffer.getInteger(at: start + 2, as: UInt16.self)!)
        } else if length7 == 127 {
            length = buffer.getInteger(at: start + 2, as: UInt64.self)!
        }
        var key: MaskingKey?
        if masked, let bytes = buffer.getBytes(at: start + 2 + extra, length: 4) {
            key = MaskingKey(bytes)
        }
        let header = RawFrameHeader(fin: b0 & 0x80 != 0, rsv: (b0 >> 4) & 0x7, opcode: b0 & 0x0F, maskingKey: key,
                                    length7: length7, length: length, offset: consumed)
        buffer.moveReaderIndex(forwardBy: headerLength)
        consumed += headerLength
        return header
    }
}
