extension FrameParser {
    /// What a `FrameParser` accepts. Limits are checked at the frame header, before any payload is
    /// buffered, so an announced length is never allocated up front.
    public struct Configuration: Sendable, Hashable {
        /// The role of the engine that parses: `.server` expects masked frames, `.client` unmasked ones.
        public var role: Role
        /// Largest accepted payload of a single frame; larger ones fail with `.frameTooLarge` (1009).
        /// `nextFrame()` additionally caps it at `FrameParser.maximumWholeFrameSize`.
        public var maxFrameSize: UInt64
        /// Largest accepted sum of the frame payloads of one data message (control frames excluded);
        /// larger ones fail with `.messageTooLarge` (1009).
        public var maxMessageSize: UInt64
        /// RSV bits that a negotiated extension defines. With `.rsv1` (permessage-deflate), RSV1 is
        /// accepted only on the first frame of a text or binary message.
        public var allowedReservedBits: ReservedBits
        /// Reject lengths written in a longer form than needed (`.nonMinimalLength`).
        public var requireMinimalLength: Bool
        /// Reject unmasked frames at a server and masked frames at a client.
        public var enforceMaskDirection: Bool

        // Buffer management, not protocol settings: package-visible so that the fuzz targets, whose
        // inputs stay far below 4 KiB, reach these paths too.
        /// The size from which `append(_: ByteBuffer)` adopts the caller's buffer (when the parser
        /// holds no bytes) instead of copying it.
        package var adoptionThreshold = 4096
        /// Consumed bytes from which an append first moves the unconsumed ones to the front of the
        /// buffer (when they are no more than the consumed ones).
        package var compactionThreshold = 4096

        /// 64 MiB: the default frame and message limit.
        public static let defaultSizeLimit: UInt64 = 64 << 20

        public init(role: Role,
                    maxFrameSize: UInt64 = Configuration.defaultSizeLimit,
                    maxMessageSize: UInt64 = Configuration.defaultSizeLimit,
                    allowedReservedBits: ReservedBits = [],
                    requireMinimalLength: Bool = true,
                    enforceMaskDirection: Bool = true) {
            self.role = role
            self.maxFrameSize = maxFrameSize
            self.maxMessageSize = maxMessageSize
            self.allowedReservedBits = allowedReservedBits
            self.requireMinimalLength = requireMinimalLength
            self.enforceMaskDirection = enforceMaskDirection
        }
    }
}
