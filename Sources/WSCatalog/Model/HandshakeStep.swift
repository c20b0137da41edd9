import WSEngine

/// The opening handshake written by the case instead of the harness (sections 20–22). It must be
/// the case's first step. The harness sends it, reads the peer's answer and, when that completes a
/// valid handshake, runs the remaining steps on the open connection; otherwise the case ends there
/// and `expect.handshake` judges what the peer did.
public struct HandshakeStep: Sendable, Hashable {
    /// What the harness sends.
    public enum Message: Sendable, Hashable {
        /// The harness's usual request (Autobahn's, as `ClientRoleDriver` writes it) with edits:
        /// the harness is the client.
        case request(HeadEdits)
        /// The harness's usual 101 response with edits: the harness is the server.
        case response(HeadEdits)
        /// Exactly these octets instead of a request or response (it need not be valid HTTP).
        case raw(Payload)
        /// The harness's usual extended CONNECT over HTTP/2 (RFC 8441), edited, with what the
        /// harness does to the connection around it (section 28; the harness is the client).
        case http2(H2Request)
        /// The harness's own answer to a client's extended CONNECT over HTTP/2, sent verbatim
        /// (section 28.9; the harness is the server).
        case http2Answer(H2Answer)
    }

    public var message: Message
    /// Write the head in pieces of this many octets, each its own write (`chop: 1`: byte by byte).
    public var chop: Int?
    /// Frames written right after the head, in the same write: they reach the peer with the head.
    public var frames: [FrameStep]
    /// With `chop`: the pause after each piece, during which the harness listens for an answer
    /// (a slowloris request, harness as client). Nil: the pieces go back to back.
    public var pace: Duration?
    /// How long the harness waits for the answer instead of the open-handshake timeout (a paced
    /// request takes longer than that to write); it stops writing and gives up when it passes.
    public var timeout: Duration?
    /// Connections the harness opens first and holds until the case ends (harness as client).
    public var crowd: Crowd?

    public init(message: Message, chop: Int? = nil, frames: [FrameStep] = [], pace: Duration? = nil, timeout: Duration? = nil,
                crowd: Crowd? = nil) {
        self.message = message
        self.chop = chop
        self.frames = frames
        self.pace = pace
        self.timeout = timeout
        self.crowd = crowd
    }

    /// `crowd: {connections: n, send: <payload>}`: before the case's own connection, the harness
    /// opens up to `count` WebSocket connections one after another with its usual request, writes
    /// `send` on each once it is open (a half-message, or nothing: idle) and holds them until the
    /// case ends. It stops at the first one the server refuses (a limit); the case's connection then
    /// shows whether the server still serves a newcomer beside them.
    public struct Crowd: Sendable, Hashable {
        public var count: Int
        public var send: Payload

        public init(count: Int, send: Payload = .empty) {
            self.count = count
            self.send = send
        }
    }
}

/// One header field a case sets or adds; the value may be long (an oversized header section).
public struct HeaderEdit: Sendable, Hashable {
    public var name: String
    public var value: Payload

    public init(name: String, value: Payload) {
        self.name = name
        self.value = value
    }

    /// The value as header text (payloads of header values are ASCII in every shipped case).
    public var text: String { String(decoding: value.bytes(), as: UTF8.self) }
}

/// Changes to a request or response head, applied in this order: the start line fields, `remove`,
/// `set`, `add`.
public struct HeadEdits: Sendable, Hashable {
    /// Request method (e.g. `POST`), written as given.
    public var method: String?
    /// Request-target.
    public var target: String?
    /// Protocol version of the start line (e.g. HTTP/1.0).
    public var version: HTTPVersion?
    /// Response status code and reason phrase.
    public var status: Int?
    public var reason: String?
    /// Header names whose every field is removed (case-insensitive).
    public var remove: [String]
    /// Replace the first field of that name (removing later ones), or append it when absent.
    public var set: [HeaderEdit]
    /// Append these fields (duplicates allowed: that is how duplicate headers are sent).
    public var add: [HeaderEdit]

    public init(method: String? = nil, target: String? = nil, version: HTTPVersion? = nil, status: Int? = nil,
                reason: String? = nil, remove: [String] = [], set: [HeaderEdit] = [], add: [HeaderEdit] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.status = status
        self.reason = reason
        self.remove = remove
        self.set = set
        self.add = add
    }

    /// The edited head.
    public func apply(to head: HTTPHead) -> HTTPHead {
        var out = head
        switch head.startLine {
        case let .request(m, t, v):
            out.startLine = .request(method: method ?? m, target: target ?? t, version: version ?? v)
        case let .response(v, s, r):
            out.startLine = .response(version: version ?? v, status: status ?? s, reason: reason ?? r)
        }
        var fields = out.headers.fields
        for name in remove { fields.removeAll { Self.same($0.name, name) } }
        for edit in set {
            if let first = fields.firstIndex(where: { Self.same($0.name, edit.name) }) {
                fields[first] = HTTPHeaderField(name: edit.name, value: edit.text)
                var i = first + 1
                while i < fields.count {
                    if Self.same(fields[i].name, edit.name) { fields.remove(at: i) } else { i += 1 }
                }
            } else {
                fields.append(HTTPHeaderField(name: edit.name, value: edit.text))
            }
        }
        for edit in add { fields.append(HTTPHeaderField(name: edit.name, value: edit.text)) }
        out.headers = HTTPHeaderFields(fields)
        return out
    }

    static func same(_ a: String, _ b: String) -> Bool { a.lowercased() == b.lowercased() }
}
