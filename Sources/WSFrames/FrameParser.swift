import NIOCore

/// A resumable, role-aware WebSocket frame parser (RFC 6455 §5). Feed it bytes in chunks of any size
/// with `append`, then pull either whole frames (`nextFrame()`) or headers and payload chunks as they
/// arrive (`nextEvent()`). Use one of the two APIs per parser instance, not both.
///
/// Every rule violation throws a `ProtocolError` whose offset is the stream position (counting every
/// byte ever appended) of the offending byte: the first header byte for RSV, opcode, FIN and
/// fragmentation problems, the second byte for the MASK bit, and the first byte of the field holding
/// the length for length problems. After the first error the parser stays failed and every later call
/// throws the same error. Any split of the input gives identical results.
public struct FrameParser: Sendable {
    /// The largest payload `nextFrame()` can deliver: a whole frame must fit one `ByteBuffer`.
    /// Use `nextEvent()` for larger frames.
    public static let maximumWholeFrameSize: UInt64 = UInt64(UInt32.max) - 14

    /// Applies from the next frame header on.
    public var configuration: Configuration

    /// Appended bytes not consumed yet; `readerIndex` is the next unconsumed byte.
    // The state the public getters below read is visible to inlining: the getters are called for
    // every frame, and out of line a caller may copy the whole parser to call them.
    @usableFromInline var buffer: ByteBuffer
    @usableFromInline private(set) var consumed = 0
    @usableFromInline var message = FrameHeaderDecoder.MessageState()
    @usableFromInline var error: ProtocolError?
    /// Set while `nextEvent()` is between a header and the end of its payload.
    private var payload: PayloadProgress?
    private var mode = Mode.unset
    /// Stream offset up to which the buffered masked payloads are unmasked in place (`unmaskAhead`).
    var unmaskedThrough = 0

    private enum Mode: UInt8 { case unset, frames, events }

    private struct PayloadProgress {
        var remaining: UInt64
        var key: MaskingKey?
        var phase: Int
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.buffer = ByteBuffer()
    }

    /// Starts a new stream with `configuration`, keeping the memory this parser has allocated, for
    /// parsers reused from one connection (or fuzz input) to the next. Payloads handed out before
    /// stay valid (the buffer is then allocated anew).
    public mutating func reset(configuration: Configuration) {
        // Field by field rather than `self = FrameParser(...)`: the fuzz targets reset two parsers
        // per input, and building and destroying a whole parser showed in their coverage counters.
        // Every stored property is set here (FrameParserTests checks a reset parser against a fresh one).
        self.configuration = configuration
        buffer.clear() // keeps the memory unless a payload handed out still shares it
        consumed = 0
        message = FrameHeaderDecoder.MessageState()
        error = nil
        payload = nil
        mode = .unset
        unmaskedThrough = 0
    }

    /// Bytes appended but not consumed yet.
    @inlinable public var bufferedBytes: Int { buffer.readableBytes }

    /// Bytes consumed so far: the stream position of the next byte to parse.
    @inlinable public var streamOffset: Int { consumed }

    /// The error the parser failed with, if it has.
    @inlinable public var failure: ProtocolError? { error }

    /// True between the first and the final frame of a fragmented text or binary message.
    @inlinable public var isInsideFragmentedMessage: Bool { message.inProgress }

    // MARK: Input

    /// Appends received bytes. Bytes appended after a failure are dropped.
    public mutating func append(_ bytes: ByteBuffer) {
        guard error == nil, bytes.readableBytes > 0 else { return }
        if buffer.readableBytes == 0, bytes.readableBytes >= configuration.adoptionThreshold {
            // Adopt a large buffer: no copy, and payloads become slices of it. A small one is
            // copied into the parser's own buffer, which unmasking in place and later appends would
            // otherwise have to copy anyway (the caller shares the storage) at an allocation each.
            buffer = bytes
            return
        }
        bytes.withUnsafeReadableBytes { append($0) }
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard error == nil, bytes.count > 0 else { return }
        compactIfWorthwhile()
        if buffer.capacity == 0 {
            // A parser starts with NIO's shared empty storage, which a first write would copy and
            // then grow: allocate once instead, with room for a few more small reads.
            buffer = ByteBufferAllocator().buffer(capacity: max(bytes.count, Self.initialCapacity))
        }
        buffer.writeBytes(bytes)
    }

    /// The smallest buffer the parser allocates for appended bytes.
    static let initialCapacity = 512

    /// Appends received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        guard error == nil else { return }
        // Contiguous bytes ([UInt8], slices, ByteBufferView) take the raw path: across modules this
        // method is not specialised, and ByteBuffer's generic writeBytes walks protocol witnesses.
        if bytes.withContiguousStorageIfAvailable({ append(UnsafeRawBufferPointer($0)) }) != nil { return }
        compactIfWorthwhile()
        buffer.writeBytes(bytes)
    }

    /// Drops consumed bytes once they are at least half the buffer, so a long stream runs in
    /// bounded memory while the memmove cost stays amortised.
    private mutating func compactIfWorthwhile() {
        let read = buffer.readerIndex
        if read == 0 { return }
        if buffer.readableBytes == 0 {
            buffer.clear()
        } else if read >= configuration.compactionThreshold, read >= buffer.readableBytes {
            buffer.discardReadBytes()
        }
    }

    // MARK: Whole frames

    /// Returns the next complete frame with its payload unmasked, or nil until all its bytes have
    /// arrived. Violations in the header are reported as soon as the bytes that show them arrive.
    ///
    /// Payloads are slices of the appended buffers. Masked payloads are unmasked in place, together
    /// with those of the complete frames buffered after them (if the caller still shares the
    /// appended buffer's storage, it is copied first, once). Keeping a payload keeps that buffer
    /// alive, and a later `append` while payloads are held copies the bytes not yet consumed.
    public mutating func nextFrame() throws(ProtocolError) -> Frame? {
        if let error { throw error }
        precondition(mode != .events, "FrameParser: nextFrame() used on a parser driven by nextEvent()")
        mode = .frames

        let frameLimit = min(configuration.maxFrameSize, Self.maximumWholeFrameSize)
        let decoder = makeDecoder(frameLimit: frameLimit)
        let offset = consumed
        let header: FrameHeader, headerLength: Int
        switch buffer.withUnsafeReadableBytes({ decoder.decode($0, streamOffset: offset) }) {
        case .incomplete: return nil
        case let .failed(e): try fail(e)
        case let .complete(h, length): (header, headerLength) = (h, length)
        }
        // payloadLength <= frameLimit < 2^32, so the Int conversion is exact.
        let length = Int(header.payloadLength)
        guard buffer.readableBytes - headerLength >= length else { return nil }

        if header.maskingKey != nil, length > 0, offset &+ headerLength &+ length > unmaskedThrough {
            unmaskAhead(current: nil, decoder: decoder)
        }
        message.commit(header)
        buffer.moveReaderIndex(forwardBy: headerLength)
        let payload = buffer.readSlice(length: length)!
        consumed &+= headerLength &+ length
        return Frame(fin: header.fin, rsv: header.rsv, opcode: header.opcode, maskingKey: header.maskingKey,
                     payload: payload)
    }

    // MARK: Headers and payload chunks

    /// Returns the next header or payload chunk, or nil until more bytes arrive. Payload chunks are
    /// delivered as soon as any payload bytes are available, without waiting for the whole frame.
    public mutating func nextEvent() throws(ProtocolError) -> FrameParserEvent? {
        if let error { throw error }
        precondition(mode != .frames, "FrameParser: nextEvent() used on a parser driven by nextFrame()")
        mode = .events

        if var progress = payload {
            if progress.remaining == 0 {
                payload = nil
                return .payload(ByteBuffer(), frameComplete: true)
            }
            let available = buffer.readableBytes
            guard available > 0 else { return nil }
            let count = Int(min(UInt64(available), progress.remaining))
            if let key = progress.key, consumed &+ count > unmaskedThrough {
                unmaskAhead(current: (count, key, progress.phase), decoder: makeDecoder(frameLimit: configuration.maxFrameSize))
            }
            let chunk = buffer.readSlice(length: count)!
            consumed &+= count
            progress.remaining -= UInt64(count)
            progress.phase = (progress.phase &+ count) & 3
            let complete = progress.remaining == 0
            payload = complete ? nil : progress
            return .payload(chunk, frameComplete: complete)
        }

        let decoder = makeDecoder(frameLimit: configuration.maxFrameSize)
        let offset = consumed
        switch buffer.withUnsafeReadableBytes({ decoder.decode($0, streamOffset: offset) }) {
        case .incomplete:
            return nil
        case let .failed(e):
            try fail(e)
        case let .complete(header, headerLength):
            message.commit(header)
            buffer.moveReaderIndex(forwardBy: headerLength)
            consumed &+= headerLength
            payload = PayloadProgress(remaining: header.payloadLength, key: header.maskingKey, phase: 0)
            return .header(header)
        }
    }

    // MARK: Helpers

    private func makeDecoder(frameLimit: UInt64) -> FrameHeaderDecoder {
        FrameHeaderDecoder(configuration: configuration, frameLimit: frameLimit, message: message)
    }

    /// The largest buffer a failed parser keeps for `reset`.
    static let keptCapacity = 64 * 1024

    private mutating func fail(_ e: ProtocolError) throws(ProtocolError) -> Never {
        error = e
        // Nothing after the error will be parsed: drop the bytes now, and a large buffer's memory
        // with them (a small one stays for `reset`).
        if buffer.capacity > Self.keptCapacity {
            buffer = ByteBuffer()
        } else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        payload = nil
        throw e
    }
}
