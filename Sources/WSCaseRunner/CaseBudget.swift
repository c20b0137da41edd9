import WSCatalog

extension TestCase {
    /// The longest a run of this case can legitimately take with the given timeouts: the opening
    /// handshake, every barrier, await and pause, the longest guard, then the closing handshake and
    /// the server's TCP close, plus a second of slack. A case still running after this is stuck (a
    /// peer that keeps the connection busy forever) and is cut off.
    public func budget(_ o: CaseRunOptions) -> Duration {
        var total = o.openHandshakeTimeout
        var longestGuard = Duration.zero
        for step in steps {
            switch step {
            case let .barrier(b): total += b.timeout
            case let .await(a): total += a.timeout
            case let .pause(d): total += d
            case let .guardTimer(g): longestGuard = max(longestGuard, g.after)
            case let .handshake(h) where h.crowd != nil: total += h.timeout ?? o.openHandshakeTimeout // then its own connection
            case let .handshake(h): total = max(total, h.timeout ?? .zero)
            default: break
            }
        }
        return total + longestGuard + o.closeHandshakeTimeout + o.serverConnectionDropTimeout + .seconds(1)
    }
}
