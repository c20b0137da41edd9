/// Options of a `Connection`. They mirror what Apple's WebSocket APIs expose so Swift users recognise
/// them: Network.framework's `nw_ws_options` (auto-reply ping, maximum message size, skip UTF-8
/// validation) and `URLSessionWebSocketTask.maximumMessageSize`. Handshake-level options (additional
/// headers, subprotocols, skip handshake) live with the handshake types and the transport.
public struct ConnectionConfiguration: Sendable, Hashable {
    public var role: Role
    /// Answer every ping with a pong carrying the same payload (`nw_ws_options_set_auto_reply_ping`).
    public var autoReplyPing: Bool
    /// Largest message accepted, counted after decompression (`maximumMessageSize`); larger → close 1009.
    public var maximumMessageSize: Int
    /// Largest single frame payload accepted, checked at the header; larger → close 1009.
    public var maximumFrameSize: Int
    /// Validate text messages and close reasons as UTF-8, failing fast at the first bad byte (→ 1007).
    public var validateUTF8: Bool
    /// Reject non-minimal payload length encodings (RFC 6455 §5.2 "the minimal number of bytes MUST be used").
    public var requireMinimalLength: Bool
    /// Negotiated permessage-deflate parameters, or nil when no compression was agreed.
    public var deflate: NegotiatedDeflate?
    /// zlib level (0...9) for outgoing compressed messages. Any level is valid permessage-deflate;
    /// it trades output size for CPU (1 is several times faster than zlib's default 6).
    public var compressionLevel: Int

    public static let defaultMaximumMessageSize = 64 << 20

    public init(role: Role, autoReplyPing: Bool = true,
                maximumMessageSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
                maximumFrameSize: Int = ConnectionConfiguration.defaultMaximumMessageSize,
                validateUTF8: Bool = true, requireMinimalLength: Bool = true,
                deflate: NegotiatedDeflate? = nil, compressionLevel: Int = 6) {
        self.role = role
        self.autoReplyPing = autoReplyPing
        self.maximumMessageSize = maximumMessageSize
        self.maximumFrameSize = maximumFrameSize
        self.validateUTF8 = validateUTF8
        self.requireMinimalLength = requireMinimalLength
        self.deflate = deflate
        self.compressionLevel = compressionLevel
    }
}
