import NIOCore

/// permessage-deflate payload transformation (RFC 7692 §7.2) for one connection, in one role.
///
/// A class because the zlib streams it owns hold the LZ77 windows carried between messages and
/// cannot be copied. It is `@unchecked Sendable` so that a connection can be handed to the task
/// that drives it; it is not safe to use from two tasks at the same time (zlib streams are not
/// thread-safe), and the owning connection must ensure that.
public final class DeflateCodec: @unchecked Sendable {
    public let negotiated: NegotiatedDeflate
    public let role: Role
    /// Largest decompressed message accepted; larger ones fail with `.messageTooLarge`.
    public let maxDecompressedMessageSize: Int
    /// zlib level 0...9 (0 writes stored blocks only).
    public let compressionLevel: Int
    /// Inflate with the peer's negotiated window instead of the largest one (15). A lenient
    /// receiver uses 15, which decodes anything; a strict one (a conformance harness) uses exactly
    /// the window the peer agreed to, so a peer that references data beyond it fails to decode.
    public let inflatesWithNegotiatedWindow: Bool

    /// Decompressed bytes of the message in progress (reset after its final chunk).
    public private(set) var decompressedSizeOfCurrentMessage = 0

    private var deflater: MessageDeflater?
    private var inflater: RawInflater?
    private let allocator = ByteBufferAllocator()

    /// Output step of the inflater: the most memory one inflate call may add beyond what is needed.
    static let inflateStep = 32 * 1024
    static let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

    public init(negotiated: NegotiatedDeflate, role: Role, maxDecompressedMessageSize: Int,
                compressionLevel: Int = 6, inflatesWithNegotiatedWindow: Bool = false) {
        precondition(maxDecompressedMessageSize >= 0, "maxDecompressedMessageSize must not be negative")
        precondition((0...9).contains(compressionLevel), "compressionLevel must be 0...9")
        self.negotiated = negotiated
        self.role = role
        self.maxDecompressedMessageSize = maxDecompressedMessageSize
        self.compressionLevel = compressionLevel
        self.inflatesWithNegotiatedWindow = inflatesWithNegotiatedWindow
    }

    /// Compresses one whole message (§7.2.1): raw DEFLATE with `Z_SYNC_FLUSH`, trailing
    /// `00 00 ff ff` removed. The window follows `negotiated` for our role, and the context is reset
    /// after the message when our side has no context takeover.
    public func compress(message: ByteBuffer) throws(DeflateError) -> ByteBuffer {
        let direction = negotiated.compressor(for: role)
        let deflater: MessageDeflater
        if let existing = self.deflater {
            deflater = existing
        } else {
            deflater = try MessageDeflater(windowBits: direction.windowBits, level: compressionLevel)
            self.deflater = deflater
        }
        let output = try deflater.compress(message, allocator: allocator)
        if direction.resetsContextPerMessage { try deflater.reset() }
        return output
    }

    /// Decompresses the next piece of a message's payload (one frame's payload, or any part of it).
    /// On the final piece the `00 00 ff ff` tail is appended (§7.2.2), the data must end on a DEFLATE
    /// block boundary, and the context is reset when the peer has no context takeover.
    ///
    /// Output is bounded: once the message would exceed `maxDecompressedMessageSize` this throws
    /// `.messageTooLarge` having produced at most one byte more than the limit, in steps of
    /// `inflateStep`. After any error the message is abandoned and the codec must not be used for
    /// the rest of the connection (the connection is to be failed).
    public func decompress(chunk: ByteBuffer, isFinal: Bool) throws(DeflateError) -> ByteBuffer {
        let inflater: RawInflater
        if let existing = self.inflater {
            inflater = existing
        } else {
            inflater = try RawInflater(windowBits: inflatesWithNegotiatedWindow ? negotiated.decompressor(for: role).windowBits : 15)
            self.inflater = inflater
        }
        var output = allocator.buffer(capacity: 0)
        var produced = decompressedSizeOfCurrentMessage
        var failure = chunk.withUnsafeReadableBytes { bytes in
            inflater.inflate(bytes, into: &output, produced: &produced,
                             limit: maxDecompressedMessageSize, step: Self.inflateStep)
        }
        // A stream already ended by BFINAL exactly at the end of the payload needs no tail (what
        // senders that finish every message with Z_FINISH produce).
        if failure == nil && isFinal && !inflater.streamEnded {
            failure = Self.tail.withUnsafeBytes { bytes in
                inflater.inflate(bytes, into: &output, produced: &produced,
                                 limit: maxDecompressedMessageSize, step: Self.inflateStep)
            }
            if failure == nil && !inflater.isAtBlockBoundary {
                failure = .invalidData("message does not end on a DEFLATE block boundary")
            }
        }
        if let failure {
            self.inflater = nil
            decompressedSizeOfCurrentMessage = 0
            throw failure
        }
        decompressedSizeOfCurrentMessage = produced
        if isFinal {
            decompressedSizeOfCurrentMessage = 0
            if negotiated.decompressor(for: role).resetsContextPerMessage { inflater.reset() }
        }
        return output
    }
}
