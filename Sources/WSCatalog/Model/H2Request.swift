/// An RFC 8441 case's own opening (section 28, harness as client over HTTP/2): the harness's usual
/// extended CONNECT with its header fields edited (names compared exactly: an upper-case name is a
/// case of its own), on a connection with the harness's SETTINGS extended, beside sibling
/// WebSockets opened first, and with what the harness does to the connection once the case's
/// WebSocket is open.
public struct H2Request: Sendable, Hashable {
    /// Names whose every field is removed (pseudo-header fields included).
    public var remove: [String]
    /// Replace the first field of that name in place (removing later ones), or append it.
    public var set: [HeaderEdit]
    /// Append these fields, after every other (a pseudo-header field added here follows the regular ones).
    public var add: [HeaderEdit]
    /// SETTINGS parameters the harness sends in addition to its own (identifier, value).
    public var settings: [H2Setting]
    /// WebSockets opened first on the same connection with the usual request; with `expect.h2.siblings`
    /// each must still echo a message once the case's WebSocket is over.
    public var siblings: Int
    /// Before the case's WebSocket opens, one more sibling writes half a message and is reset with
    /// RST_STREAM of this error code.
    public var resetSibling: UInt32?
    /// Once the case's WebSocket is open, the harness sends GOAWAY with this error code.
    public var goAway: UInt32?
    /// Once the case's WebSocket is open, the harness ends its side of the stream and then sends a
    /// DATA frame with these octets on it anyway.
    public var dataAfterEndStream: Payload?

    public init(remove: [String] = [], set: [HeaderEdit] = [], add: [HeaderEdit] = [], settings: [H2Setting] = [],
                siblings: Int = 0, resetSibling: UInt32? = nil, goAway: UInt32? = nil, dataAfterEndStream: Payload? = nil) {
        self.remove = remove
        self.set = set
        self.add = add
        self.settings = settings
        self.siblings = siblings
        self.resetSibling = resetSibling
        self.goAway = goAway
        self.dataAfterEndStream = dataAfterEndStream
    }

    /// The edited header list, in order.
    public func apply(to fields: [(name: String, value: String)]) -> [(name: String, value: String)] {
        Self.edit(fields, remove: remove, set: set, add: add)
    }

    /// `fields` with every field named in `remove` removed, then `set`, then `add` applied.
    static func edit(_ fields: [(name: String, value: String)], remove: [String], set: [HeaderEdit],
                     add: [HeaderEdit]) -> [(name: String, value: String)] {
        var out = fields
        for name in remove { out.removeAll { $0.name == name } }
        for edit in set {
            if let first = out.firstIndex(where: { $0.name == edit.name }) {
                out[first] = (edit.name, edit.text)
                var i = first + 1
                while i < out.count { if out[i].name == edit.name { out.remove(at: i) } else { i += 1 } }
            } else {
                out.append((edit.name, edit.text))
            }
        }
        for edit in add { out.append((edit.name, edit.text)) }
        return out
    }

    /// True when the request is the harness's usual one (only the connection around it differs).
    public var editsRequest: Bool { !remove.isEmpty || !set.isEmpty || !add.isEmpty }
}

/// One SETTINGS parameter.
public struct H2Setting: Sendable, Hashable {
    public var id: UInt16
    public var value: UInt32

    public init(id: UInt16, value: UInt32) {
        self.id = id
        self.value = value
    }
}

/// `expect.h2` (section 28): what the server must do on the HTTP/2 connection itself.
public struct H2Expectation: Sendable, Hashable {
    /// The server must end the case's stream with RST_STREAM, or the connection with GOAWAY,
    /// carrying one of these error codes (RFC 9113 §7). Another code is NON-STRICT; none is FAILED.
    public var reset: [UInt32]?
    /// Every sibling WebSocket must still echo a message after the case's WebSocket is over.
    public var siblings: Bool
    /// Every SETTINGS_ENABLE_CONNECT_PROTOCOL value the server sent is 0 or 1, the first is 1, and
    /// none is 0 after a 1 (RFC 8441 §3).
    public var connectSetting: Bool
    /// A server that ends the whole connection (nothing echoed, no Close) is NON-STRICT rather than
    /// FAILED: what the case tests is a SHOULD or a purpose, not a MUST (GOAWAY's graceful end).
    public var dropIsNonStrict: Bool
    /// Harness as server (section 28.9): the client's extended CONNECT must follow the rules beyond
    /// being well-formed (`ExtendedConnect.clientRequestFindings`): a MUST broken fails the case,
    /// a SHOULD is NON-STRICT.
    public var clientRequest: Bool

    public init(reset: [UInt32]? = nil, siblings: Bool = false, connectSetting: Bool = false, dropIsNonStrict: Bool = false,
                clientRequest: Bool = false) {
        self.reset = reset
        self.siblings = siblings
        self.connectSetting = connectSetting
        self.dropIsNonStrict = dropIsNonStrict
        self.clientRequest = clientRequest
    }

    /// RFC 9113 §7's names of error codes.
    public static let codeNames: [UInt32: String] = [
        0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR", 4: "SETTINGS_TIMEOUT",
        5: "STREAM_CLOSED", 6: "FRAME_SIZE_ERROR", 7: "REFUSED_STREAM", 8: "CANCEL", 9: "COMPRESSION_ERROR",
        10: "CONNECT_ERROR", 11: "ENHANCE_YOUR_CALM", 12: "INADEQUATE_SECURITY", 13: "HTTP_1_1_REQUIRED",
    ]

    public static func codeName(_ code: UInt32) -> String { codeNames[code] ?? "0x\(String(code, radix: 16))" }
}
