/// The permessage-deflate configuration both ends agreed on: what the server and the client may
/// each do when compressing. Absent window parameters mean 15 (RFC 7692 §7.1.2).
public struct NegotiatedDeflate: Hashable, Sendable, CustomStringConvertible {
    /// The server resets its LZ77 window after every message it sends.
    public var serverNoContextTakeover: Bool
    /// The client resets its LZ77 window after every message it sends.
    public var clientNoContextTakeover: Bool
    /// The largest window (log2 of bytes, 8...15) the server compresses with.
    public var serverMaxWindowBits: Int
    /// The largest window (log2 of bytes, 8...15) the client compresses with.
    public var clientMaxWindowBits: Int

    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int = 15, clientMaxWindowBits: Int = 15) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// How messages sent by `sender` are compressed.
    public func direction(sentBy sender: Role) -> DeflateDirection {
        switch sender {
        case .server: DeflateDirection(windowBits: serverMaxWindowBits, resetsContextPerMessage: serverNoContextTakeover)
        case .client: DeflateDirection(windowBits: clientMaxWindowBits, resetsContextPerMessage: clientNoContextTakeover)
        }
    }

    /// What `role`'s compressor must respect.
    public func compressor(for role: Role) -> DeflateDirection { direction(sentBy: role) }

    /// What `role`'s decompressor can rely on: the peer's window and context reset. (A decompressor
    /// with a larger window accepts any smaller one, so `DeflateCodec` always inflates with 15.)
    public func decompressor(for role: Role) -> DeflateDirection { direction(sentBy: role.peer) }

    public var description: String {
        "server(window \(serverMaxWindowBits), \(serverNoContextTakeover ? "no " : "")context takeover) "
            + "client(window \(clientMaxWindowBits), \(clientNoContextTakeover ? "no " : "")context takeover)"
    }
}

/// The compression rules for messages travelling in one direction.
public struct DeflateDirection: Hashable, Sendable {
    /// log2 of the LZ77 window the sender may use, 8...15.
    public var windowBits: Int
    /// True when the sender starts every message with an empty window (`*_no_context_takeover`).
    public var resetsContextPerMessage: Bool

    public init(windowBits: Int, resetsContextPerMessage: Bool) {
        self.windowBits = windowBits
        self.resetsContextPerMessage = resetsContextPerMessage
    }
}
