/// Starts the peer under test for each sequence and tells whether it died, for peers that are
/// processes of their own (fuzz-client's `--client-cmd`: one client run per sequence).
public protocol FuzzPeerLauncher: Sendable {
    associatedtype Handle: Sendable
    /// Called before the sequence's connection is opened.
    func launch(sequence: Int) async -> Handle
    /// Called once the sequence's connection is over: why the peer died (crashed), or nil.
    func finish(_ handle: Handle) async -> String?
}

/// A peer that runs on its own (a server, or a client started by the user).
public struct NoLauncher: FuzzPeerLauncher {
    public init() {}
    public func launch(sequence: Int) async {}
    public func finish(_ handle: Void) async -> String? { nil }
}
