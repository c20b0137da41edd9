import NIOCore

/// Role-aware writer of valid frames: a client masks every frame with a fresh random key, a server
/// never masks, and lengths use the minimal form. It does not check opcodes, RSV bits or control
/// frame sizes; those are the caller's. Use `FrameWriter` to write anything else on purpose.
public struct FrameEncoder: Sendable {
    public let role: Role

    public init(role: Role) {
        self.role = role
    }

    /// Writes `frame`, replacing its masking key as the role requires.
    public func encode(_ frame: Frame, into buffer: inout ByteBuffer) {
        var generator = SystemRandomNumberGenerator()
        encode(frame, using: &generator, into: &buffer)
    }

    /// Writes `frame`, drawing a client's masking key from `generator` (deterministic in tests).
    public func encode<G: RandomNumberGenerator>(_ frame: Frame, using generator: inout G,
                                                  into buffer: inout ByteBuffer) {
        var frame = frame
        frame.maskingKey = role.masksOutgoingFrames ? MaskingKey.random(using: &generator) : nil
        FrameWriter.write(frame, into: &buffer)
    }
}
