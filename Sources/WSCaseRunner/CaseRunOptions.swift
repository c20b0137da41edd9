import Foundation
import WSResults

/// How the runner behaves as an endpoint. The defaults are Autobahn's (autobahn.md §2.4).
public struct CaseRunOptions: Sendable, Hashable {
    /// The opening handshake (TCP connect included) must complete within this.
    public var openHandshakeTimeout: Duration
    /// After sending a Close, wait this long for the peer's before dropping TCP.
    public var closeHandshakeTimeout: Duration
    /// Harness as client: after the closing handshake the server must close TCP within this.
    public var serverConnectionDropTimeout: Duration
    /// Fail connections by dropping TCP at once instead of sending a Close (Autobahn's `failByDrop`).
    public var failByDrop: Bool
    /// Hard limit for one case, from the connection attempt to the verdict. Nil: the case's own
    /// budget (`TestCase.budget`), which already covers its guards, waits and timeouts.
    public var caseTimeout: Duration?
    /// Pause between the pieces of a chopped frame. Each piece is always its own write (its own
    /// syscall, and TCP segment with TCP_NODELAY), which is what Autobahn's reactor re-entry
    /// between chops amounts to; a pause on top only slows the run (9.5.1 writes 16 384 pieces)
    /// and cannot make the peer's reads smaller than the kernel delivers them.
    public var chopDelay: Duration
    /// Largest message the harness assembles (larger ones fail the connection with 1009): 256 MiB by
    /// default, since 24.4.1 expects a 128 MiB echo from a server without a limit.
    public var maximumMessageSize: Int
    /// The `User-Agent` of the opening handshake (harness as client).
    public var userAgent: String
    public var origin: String?
    public var subprotocols: [String]
    /// zlib level of the harness's own compressed messages. Verdicts do not depend on it (any level
    /// is valid permessage-deflate and the peer's inflater sees LZ77 matches and dynamic Huffman
    /// blocks at every level from 1); 1 makes the compression cases several times cheaper than
    /// zlib's default 6, which Autobahn uses.
    public var compressionLevel: Int
    /// Where datasets of sections 12/13 live (`Cases/data`).
    public var dataDirectory: URL?

    public init(openHandshakeTimeout: Duration = .seconds(5), closeHandshakeTimeout: Duration = .seconds(1),
                serverConnectionDropTimeout: Duration = .seconds(1), failByDrop: Bool = false, caseTimeout: Duration? = nil,
                chopDelay: Duration = .zero,
                maximumMessageSize: Int = 256 << 20, userAgent: String = "wsconform/\(WSConformanceInfo.version)",
                origin: String? = nil, subprotocols: [String] = [], compressionLevel: Int = 1,
                dataDirectory: URL? = nil) {
        self.openHandshakeTimeout = openHandshakeTimeout
        self.closeHandshakeTimeout = closeHandshakeTimeout
        self.serverConnectionDropTimeout = serverConnectionDropTimeout
        self.failByDrop = failByDrop
        self.caseTimeout = caseTimeout
        self.chopDelay = chopDelay
        self.maximumMessageSize = maximumMessageSize
        self.userAgent = userAgent
        self.origin = origin
        self.subprotocols = subprotocols
        self.compressionLevel = min(9, max(0, compressionLevel))
        self.dataDirectory = dataDirectory
    }
}
