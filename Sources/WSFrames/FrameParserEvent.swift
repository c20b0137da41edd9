import NIOCore

/// One step of `FrameParser.nextEvent()`: a validated header, then the frame's payload in one or
/// more chunks as the bytes arrive.
public enum FrameParserEvent: Hashable, Sendable {
    /// A complete, validated frame header.
    case header(FrameHeader)
    /// An unmasked chunk of the current frame's payload. Every frame ends with exactly one chunk
    /// with `frameComplete: true` (an empty chunk for an empty frame).
    case payload(ByteBuffer, frameComplete: Bool)
}
