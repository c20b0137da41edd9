/// permessage-deflate (RFC 7692) parameters as written in a `Sec-WebSocket-Extensions` element.
public struct DeflateParameters: Sendable, Hashable, CustomStringConvertible {
    public var serverNoContextTakeover = false
    public var clientNoContextTakeover = false
    /// nil: absent. 0: present without a value (only valid for `client_max_window_bits` in an offer).
    public var serverMaxWindowBits: Int?
    public var clientMaxWindowBits: Int?

    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int? = nil, clientMaxWindowBits: Int? = nil) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Parses one extension element such as `permessage-deflate; client_max_window_bits;
    /// server_max_window_bits=9`. Returns a message saying what is wrong on failure.
    public static func parse(_ text: String) -> Result<DeflateParameters, DeflateParseError> {
        let parts = text.split(separator: ";").map { $0.trimmedOf(" \t") }
        guard parts.first == "permessage-deflate" else {
            return .failure(DeflateParseError("must start with \"permessage-deflate\""))
        }
        var p = DeflateParameters()
        var seen: Set<String> = []
        for part in parts.dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmedOf(" \t\"") }
            let name = kv[0]
            guard seen.insert(name).inserted else { return .failure(DeflateParseError("parameter \(name) repeated")) }
            var bits: Int?
            if kv.count == 2 {
                guard let v = Int(kv[1]), (8...15).contains(v) else {
                    return .failure(DeflateParseError("\(name)=\(kv[1]): window bits must be 8...15"))
                }
                bits = v
            }
            switch name {
            case "server_no_context_takeover" where bits == nil: p.serverNoContextTakeover = true
            case "client_no_context_takeover" where bits == nil: p.clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let b = bits else { return .failure(DeflateParseError("server_max_window_bits needs a value 8...15")) }
                p.serverMaxWindowBits = b
            case "client_max_window_bits": p.clientMaxWindowBits = bits ?? 0
            default:
                return .failure(DeflateParseError("unknown or malformed parameter \"\(part)\" (valid: server_no_context_takeover, "
                    + "client_no_context_takeover, server_max_window_bits=8...15, client_max_window_bits[=8...15])"))
            }
        }
        return .success(p)
    }

    /// The element as a server answers it: `server_*` parameters first, as Autobahn writes them.
    public var responseHeader: String {
        var s = "permessage-deflate"
        if serverNoContextTakeover { s += "; server_no_context_takeover" }
        if let b = serverMaxWindowBits { s += "; server_max_window_bits=\(b)" }
        if clientNoContextTakeover { s += "; client_no_context_takeover" }
        if let b = clientMaxWindowBits { s += b == 0 ? "; client_max_window_bits" : "; client_max_window_bits=\(b)" }
        return s
    }

    /// The element as a client offers it, parameters in Autobahn's order (`client_*` first).
    public var description: String {
        var s = "permessage-deflate"
        if clientNoContextTakeover { s += "; client_no_context_takeover" }
        if let b = clientMaxWindowBits { s += b == 0 ? "; client_max_window_bits" : "; client_max_window_bits=\(b)" }
        if serverNoContextTakeover { s += "; server_no_context_takeover" }
        if let b = serverMaxWindowBits { s += "; server_max_window_bits=\(b)" }
        return s
    }
}

/// Why a deflate parameter string was rejected.
public struct DeflateParseError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// How the harness answers a client's permessage-deflate offer when the harness is the server.
/// Autobahn's `accept*` functions: the answer always echoes the `server_*` parameters the client
/// requested and may add `client_*` parameters of its own.
public struct DeflateAnswer: Sendable, Hashable, CustomStringConvertible {
    /// Add `client_no_context_takeover` (always allowed by RFC 7692 §7.1.1.2).
    public var clientNoContextTakeover: Bool
    /// Add `client_max_window_bits=N`; only applicable when the offer contains
    /// `client_max_window_bits` (RFC 7692 §7.1.2.2), otherwise this answer does not apply.
    public var clientMaxWindowBits: Int?

    public init(clientNoContextTakeover: Bool = false, clientMaxWindowBits: Int? = nil) {
        self.clientNoContextTakeover = clientNoContextTakeover
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// The response element for `offer`, or nil when this answer cannot be used with it.
    public func respond(to offer: DeflateParameters) -> DeflateParameters? {
        if clientMaxWindowBits != nil && offer.clientMaxWindowBits == nil { return nil }
        var r = DeflateParameters()
        r.serverNoContextTakeover = offer.serverNoContextTakeover
        r.serverMaxWindowBits = offer.serverMaxWindowBits
        r.clientNoContextTakeover = clientNoContextTakeover
        r.clientMaxWindowBits = clientMaxWindowBits
        return r
    }

    public var description: String {
        var parts: [String] = []
        if clientNoContextTakeover { parts.append("client_no_context_takeover") }
        if let b = clientMaxWindowBits { parts.append("client_max_window_bits=\(b)") }
        return parts.isEmpty ? "accept as offered" : "request " + parts.joined(separator: ", ")
    }
}

/// A case's permessage-deflate negotiation (sections 12, 13).
public struct DeflateSpec: Sendable, Hashable {
    /// Harness as client: the offers sent, in order, in one `Sec-WebSocket-Extensions` header. Any
    /// permessage-deflate response from the server is accepted.
    public var offers: [DeflateParameters]
    /// Harness as server: tried in order; for each, the client's permessage-deflate offers are tried
    /// in order and the first pair that applies is the response. None applies: no extension.
    public var answers: [DeflateAnswer]
    /// When nothing was negotiated: `behavior` UNIMPLEMENTED and the harness closes at once with 1000.
    public var required: Bool
    /// Section 24: hold the peer to RFC 7692 instead of accepting any answer as Autobahn does. As
    /// client the harness fails the handshake when the answer does not fit one of its offers
    /// (§7.1: a `server_max_window_bits` above the one asked for, an unconfirmed
    /// `server_no_context_takeover`, an unsolicited `client_max_window_bits`), and it inflates with
    /// exactly the window and context rules agreed, so a peer that exceeds them fails to decode.
    public var strict: Bool

    public init(offers: [DeflateParameters], answers: [DeflateAnswer], required: Bool = true, strict: Bool = false) {
        self.offers = offers
        self.answers = answers
        self.required = required
        self.strict = strict
    }

    /// The value of the `Sec-WebSocket-Extensions` request header (client role).
    public var offerHeader: String { offers.map(\.description).joined(separator: ", ") }

    /// The response to a client's offers (server role), or nil for "no extension".
    public func answer(clientOffers: [DeflateParameters]) -> DeflateParameters? {
        for a in answers {
            for offer in clientOffers {
                if let r = a.respond(to: offer) { return r }
            }
        }
        return nil
    }
}

extension StringProtocol {
    package func trimmedOf(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
