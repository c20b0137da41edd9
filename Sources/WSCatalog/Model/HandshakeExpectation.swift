import WSEngine
import WSResultFormat

/// How the opening handshake may go (sections 20–22): an ordered list of rules, the first that
/// matches what happened gives the handshake's verdict; when none matches, `behavior` is FAILED.
/// When the handshake completed, the case's events and close are judged as usual too and the worse
/// of the two verdicts counts (Cases/README.md, "Handshake expectations").
public struct HandshakeExpectation: Sendable, Hashable {
    public var rules: [HandshakeRule]

    public init(rules: [HandshakeRule]) { self.rules = rules }

    /// True when some rule accepts a completed handshake, so the case needs events and a close.
    public var acceptsOpening: Bool { rules.contains { $0.acceptsOpening } }

    /// The first rule that matches.
    public func match(_ outcome: HandshakeOutcome) -> HandshakeRule? { rules.first { $0.matches(outcome) } }
}

/// A status code or a class of them.
public enum StatusPattern: Sendable, Hashable, CustomStringConvertible {
    case code(Int)
    /// `4xx`: every code from 400 to 499.
    case statusClass(Int)

    public func matches(_ status: Int) -> Bool {
        switch self {
        case let .code(c): status == c
        case let .statusClass(k): status / 100 == k
        }
    }

    public var description: String {
        switch self {
        case let .code(c): String(c)
        case let .statusClass(k): "\(k)xx"
        }
    }
}

/// A header the response must carry with a given element (a comma-separated list element, cut at
/// its first `;` and compared ignoring ASCII case: `Sec-WebSocket-Version: 13` matches "13, 8";
/// `Sec-WebSocket-Extensions: permessage-deflate` matches "permessage-deflate; server_max_window_bits=10").
public struct HeaderToken: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var token: String

    public init(name: String, token: String) {
        self.name = name
        self.token = token
    }

    public var description: String { "\(name): \(token)" }
}

/// One acceptable (or explicitly failing) way for the handshake to go.
public struct HandshakeRule: Sendable, Hashable {
    public var verdict: Behavior
    /// The response's status must be one of these (any complete HTTP response, 101 included).
    public var status: [StatusPattern]?
    /// True: the handshake completed (a 101 the harness accepted, as client; as server: the client
    /// sent a WebSocket frame). False: it did not.
    public var opened: Bool?
    /// True: the peer closed or reset TCP before a complete response (as server: without sending
    /// a frame).
    public var closed: Bool?
    /// True: nothing conclusive happened within the open-handshake timeout; TCP still open.
    public var timeout: Bool?
    /// The response must carry these elements.
    public var headers: [HeaderToken]
    /// The response must not carry these elements (`not_headers`: an offered extension the server
    /// must decline, for example).
    public var notHeaders: [HeaderToken]
    /// The response must not carry these headers at all.
    public var absent: [String]
    /// The `result` text when this rule decides; nil: a generated description of what happened.
    public var result: String?

    public init(verdict: Behavior, status: [StatusPattern]? = nil, opened: Bool? = nil, closed: Bool? = nil,
                timeout: Bool? = nil, headers: [HeaderToken] = [], notHeaders: [HeaderToken] = [], absent: [String] = [],
                result: String? = nil) {
        self.verdict = verdict
        self.status = status
        self.opened = opened
        self.closed = closed
        self.timeout = timeout
        self.headers = headers
        self.notHeaders = notHeaders
        self.absent = absent
        self.result = result
    }

    /// A completed handshake can match this rule.
    public var acceptsOpening: Bool {
        if opened == false || closed == true || timeout == true { return false }
        if let status { return status.contains { $0.matches(101) } }
        return true
    }

    public func matches(_ outcome: HandshakeOutcome) -> Bool {
        if let opened, opened != outcome.opened { return false }
        if let closed, closed != (outcome.kind == .closed) { return false }
        if let timeout, timeout != (outcome.kind == .timeout) { return false }
        if status != nil || !headers.isEmpty || !notHeaders.isEmpty || !absent.isEmpty {
            guard let head = outcome.response else { return false }
            if let status, !status.contains(where: { $0.matches(head.status ?? 0) }) { return false }
            for h in headers where !HandshakeOutcome.elements(of: h.name, in: head).contains(where: { $0 == h.token.lowercased() }) {
                return false
            }
            for h in notHeaders where HandshakeOutcome.elements(of: h.name, in: head).contains(h.token.lowercased()) { return false }
            for name in absent where head.headers.contains(name: name) { return false }
        }
        return true
    }

    /// The rule in words, for reports: "OK if the status is 4xx with Sec-WebSocket-Version: 13".
    public var description: String {
        var parts: [String] = []
        if opened == true { parts.append("the handshake completes") }
        if opened == false { parts.append("the handshake does not complete") }
        if closed == true { parts.append("the peer closes the connection first") }
        if timeout == true { parts.append("nothing conclusive happens in time") }
        if let status { parts.append("the status is " + status.map(\.description).joined(separator: " or ")) }
        if !headers.isEmpty { parts.append("the response has " + headers.map(\.description).joined(separator: ", ")) }
        if !notHeaders.isEmpty { parts.append("the response lacks " + notHeaders.map(\.description).joined(separator: ", ")) }
        if !absent.isEmpty { parts.append("the response has no " + absent.joined(separator: ", ")) }
        return "\(verdict) if " + (parts.isEmpty ? "anything happens" : parts.joined(separator: " and "))
    }
}

/// What happened during an opening handshake, as far as the rules care.
public struct HandshakeOutcome: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// A complete HTTP response head arrived (as client); as server, the client answered.
        case response
        /// The peer closed or reset TCP first.
        case closed
        /// Nothing conclusive before the timeout (or the harness gave up).
        case timeout
    }

    public var kind: Kind
    public var opened: Bool
    public var response: HTTPHead?
    /// The harness answered a client (section 21): the outcome is what the client did after the
    /// harness's response, which changes only how it is put in words.
    public var harnessIsServer = false
    /// The client's WebSocket was an HTTP/2 stream (section 28.9): it ends or resets its stream,
    /// not the connection, and the harness's answer is HEADERS, not a response head.
    public var overHTTP2 = false

    public init(kind: Kind, opened: Bool, response: HTTPHead?) {
        self.kind = kind
        self.opened = opened
        self.response = response
    }

    /// The list elements of a header, lower-cased, each cut at its first `;`.
    static func elements(of name: String, in head: HTTPHead) -> [String] {
        head.headers.tokens(name).map { element in
            let cut = element.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return String(cut).trimmedOf(" \t").lowercased()
        }
    }

    public var description: String {
        switch kind {
        case .closed where harnessIsServer && overHTTP2: return "the client ended or reset its stream after the harness's answer"
        case .timeout where harnessIsServer && overHTTP2: return "the client neither ended its stream nor sent anything in time"
        case .closed where harnessIsServer: return "the client closed the connection after the harness's response"
        case .timeout where harnessIsServer: return "the client neither closed the connection nor sent anything in time"
        case .response where harnessIsServer:
            return opened ? "the client treated the connection as open" : "the client answered"
        case .closed: return "the peer closed the connection without an HTTP response"
        case .timeout: return "no complete HTTP response arrived in time"
        case .response:
            guard let head = response, case let .response(_, status, reason) = head.startLine else {
                return opened ? "the handshake completed" : "the peer answered"
            }
            var text = "the peer answered \(status) \(reason)".trimmedOf(" ")
            if status == 101 { text += opened ? " and the handshake completed" : ", which the harness could not accept" }
            return text
        }
    }
}
