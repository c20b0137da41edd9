/// Deliberate departures from RFC 6455 §5.2 that `FrameWriter` applies when writing a frame. Every
/// field defaults to "none", which writes a valid header.
public struct FrameViolations: Hashable, Sendable {
    /// Forces the 7-, 16- or 64-bit length form (non-minimal forms allowed). A form too small for
    /// the length written is a precondition failure.
    public var lengthEncoding: LengthEncoding?
    /// Length written in the header instead of the real payload length (any value, including one
    /// with the most significant bit set). Without `lengthEncoding` the minimal form for it is used.
    public var declaredLength: UInt64?
    /// Sets the MASK bit but writes no key bytes and leaves the payload unmasked.
    public var maskBitWithoutKey: Bool
    /// Writes key bytes and masks the payload but leaves the MASK bit clear. Uses the frame's key,
    /// or a random one when it has none. Setting both mask violations is a precondition failure.
    public var maskKeyWithoutBit: Bool

    public init(lengthEncoding: LengthEncoding? = nil, declaredLength: UInt64? = nil,
                maskBitWithoutKey: Bool = false, maskKeyWithoutBit: Bool = false) {
        self.lengthEncoding = lengthEncoding
        self.declaredLength = declaredLength
        self.maskBitWithoutKey = maskBitWithoutKey
        self.maskKeyWithoutBit = maskKeyWithoutBit
    }

    /// A valid frame: no violation.
    public static let none = FrameViolations()
}
