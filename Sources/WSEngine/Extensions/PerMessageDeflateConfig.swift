/// What to do when negotiation would limit our own compressor to window bits 8 (256 bytes).
///
/// zlib 1.2.9 and later (1.2.13 on the development machine) refuse raw deflate with window bits 8:
/// `deflateInit2` returns `Z_STREAM_ERROR`. Older versions silently used 9, producing back-references
/// a 256-byte-window peer cannot resolve. RFC 7692 §7.1.2 then leaves a side two honest choices.
public enum WindowBits8Support: Hashable, Sendable {
    /// Accept the limit and compress with run-length matches only (zlib `Z_RLE`: every distance is 1),
    /// which any window can decode. Repetitive data still compresses; the rest is Huffman-coded only.
    case runLengthOnly
    /// Treat the limit as unsupported: a server declines such an offer (§7.1.2.1), a client fails the
    /// connection on such a response ("does not support the configuration", §7.1).
    case unsupported
}

/// The permessage-deflate offer a client makes, and what it is able to honour.
public struct ClientDeflateConfig: Hashable, Sendable {
    /// Announce that the client will not use context takeover (a hint the server may confirm).
    public var clientNoContextTakeover: Bool
    /// Offer `client_max_window_bits`: without a value the server may pick our window; with a value
    /// we promise not to exceed it. Nil leaves it out (the server then must not limit us).
    public var clientMaxWindowBits: ClientMaxWindowBits?
    /// Ask the server to reset its context after every message.
    public var serverNoContextTakeover: Bool
    /// Ask the server to limit its window to at most this (8...15).
    public var serverMaxWindowBits: Int?
    public var windowBits8: WindowBits8Support

    public init(clientNoContextTakeover: Bool = false, clientMaxWindowBits: ClientMaxWindowBits? = .noValue,
                serverNoContextTakeover: Bool = false, serverMaxWindowBits: Int? = nil,
                windowBits8: WindowBits8Support = .runLengthOnly) {
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.serverNoContextTakeover = serverNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.windowBits8 = windowBits8
    }

    /// Autobahn's default offer: `permessage-deflate; client_no_context_takeover; client_max_window_bits`.
    public static let autobahn = ClientDeflateConfig(clientNoContextTakeover: true, clientMaxWindowBits: .noValue)

    /// The parameters written in the offer.
    public var offerParameters: PerMessageDeflateParameters {
        PerMessageDeflateParameters(serverNoContextTakeover: serverNoContextTakeover,
                                    clientNoContextTakeover: clientNoContextTakeover,
                                    serverMaxWindowBits: serverMaxWindowBits,
                                    clientMaxWindowBits: clientMaxWindowBits)
    }
}

/// A server's own preferences when answering permessage-deflate offers. Client requests
/// (`server_no_context_takeover`, `server_max_window_bits`) are always honoured on top of these.
public struct ServerDeflateConfig: Hashable, Sendable {
    /// Reset our context after every message even when the client did not ask.
    public var serverNoContextTakeover: Bool
    /// Limit our window to at most this (8...15); answered as `server_max_window_bits`.
    public var serverMaxWindowBits: Int?
    /// Ask the client to reset its context after every message.
    public var clientNoContextTakeover: Bool
    /// Ask the client to limit its window (8...15). RFC 7692 §7.1.2.2 allows it only when the offer
    /// has `client_max_window_bits`; otherwise the offer is accepted without the limit, or declined
    /// when `requireClientMaxWindowBits` is set.
    public var clientMaxWindowBits: Int?
    /// Decline offers that do not let us limit the client's window (what Autobahn's fuzzingserver
    /// does in cases 13.3–13.6).
    public var requireClientMaxWindowBits: Bool
    public var windowBits8: WindowBits8Support

    public init(serverNoContextTakeover: Bool = false, serverMaxWindowBits: Int? = nil,
                clientNoContextTakeover: Bool = false, clientMaxWindowBits: Int? = nil,
                requireClientMaxWindowBits: Bool = false, windowBits8: WindowBits8Support = .runLengthOnly) {
        precondition(serverMaxWindowBits.map(PerMessageDeflateParameters.windowBitsRange.contains) ?? true,
                     "serverMaxWindowBits must be 8...15")
        precondition(clientMaxWindowBits.map(PerMessageDeflateParameters.windowBitsRange.contains) ?? true,
                     "clientMaxWindowBits must be 8...15")
        self.serverNoContextTakeover = serverNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
        self.requireClientMaxWindowBits = requireClientMaxWindowBits
        self.windowBits8 = windowBits8
    }
}
