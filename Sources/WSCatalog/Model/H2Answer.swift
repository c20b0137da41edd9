/// A client-role RFC 8441 case's own answer to the client's extended CONNECT (section 28.9, the
/// harness as server over HTTP/2): the harness's usual answer (`:status 200` and `server`) with its
/// header fields edited (names compared exactly), sent as one HEADERS frame as it is, forbidden
/// fields and all, optionally with END_STREAM.
public struct H2Answer: Sendable, Hashable {
    /// `:status` instead of 200, written as given (`101`, `2`, `abc` are cases too).
    public var status: String?
    /// Names whose every field is removed (pseudo-header fields included).
    public var remove: [String]
    /// Replace the first field of that name in place (removing later ones), or append it.
    public var set: [HeaderEdit]
    /// Append these fields, after every other.
    public var add: [HeaderEdit]
    /// The HEADERS frame ends the stream: the harness's side is over at once.
    public var endStream: Bool

    public init(status: String? = nil, remove: [String] = [], set: [HeaderEdit] = [], add: [HeaderEdit] = [], endStream: Bool = false) {
        self.status = status
        self.remove = remove
        self.set = set
        self.add = add
        self.endStream = endStream
    }

    /// The answer's header list: `:status`, then `server`, edited.
    public func fields(serverName: String) -> [(name: String, value: String)] {
        H2Request.edit([(":status", status ?? "200"), ("server", serverName)], remove: remove, set: set, add: add)
    }
}
