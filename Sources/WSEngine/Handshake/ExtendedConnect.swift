/// The opening handshake of a WebSocket over HTTP/2 (RFC 8441): an extended CONNECT's header list
/// and the answer to it, checked by the rules of RFC 8441 §4–5 and RFC 9113 §8 (field names, values,
/// pseudo-header fields, connection-specific fields). Sans-I/O: header lists in, verdicts out.
public enum ExtendedConnect {
    /// The request pseudo-header fields RFC 9113 §8.3.1 and RFC 8441 §4 define.
    public static let requestPseudoFields: Set<String> = [":method", ":scheme", ":path", ":authority", ":protocol"]
    /// Fields RFC 9113 §8.2.2 calls connection-specific (te is allowed with the value "trailers" only).
    public static let connectionSpecificFields: Set<String> = ["connection", "upgrade", "keep-alive", "transfer-encoding", "proxy-connection"]

    /// A valid extended CONNECT for a WebSocket.
    public struct Request: Sendable, Hashable {
        public var scheme: String
        public var path: String
        public var authority: String?
        public var subprotocols: [String]
        public var extensions: String?
    }

    /// A valid answer.
    public struct Response: Sendable, Hashable {
        public var status: Int
        /// True for a 2xx that leaves the stream open: the WebSocket is open (RFC 8441 §5).
        public var opens: Bool
    }

    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// RFC 9113 §8.1.1: malformed; a server resets the stream with PROTOCOL_ERROR.
        case malformed(String)
        /// Well-formed, but not a WebSocket request this side accepts (with the status to answer).
        case refused(status: Int, String)

        public var description: String {
            switch self {
            case let .malformed(why): "malformed: \(why)"
            case let .refused(status, why): "refused (\(status)): \(why)"
            }
        }
    }

    /// The syntax every HTTP/2 header list must follow (RFC 9113 §8.2, §8.2.1, §8.2.2, §8.3), with
    /// `allowed` as its pseudo-header fields; returns them, each at most once.
    static func fields(_ list: [(name: String, value: String)], allowed: Set<String>) throws(Failure) -> [String: String] {
        var pseudo: [String: String] = [:]
        var regular = false
        for (name, value) in list {
            guard !name.isEmpty else { throw .malformed("an empty field name") }
            if name.hasPrefix(":") {
                guard allowed.contains(name) else { throw .malformed("the pseudo-header field \(name) is not defined here") }
                guard pseudo[name] == nil else { throw .malformed("\(name) appears twice") }
                guard !regular else { throw .malformed("\(name) follows a regular field") }
                pseudo[name] = value
                continue
            }
            regular = true
            for byte in name.utf8 {
                if (0x41...0x5A).contains(byte) { throw .malformed("the field name \(name) has upper-case letters") }
                if byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: ":") { throw .malformed("the field name \(name) has an invalid character") }
            }
            if connectionSpecificFields.contains(name) || (name == "te" && value != "trailers") {
                throw .malformed("\(name) is a connection-specific field")
            }
        }
        for (name, value) in list {
            let bytes = Array(value.utf8)
            if bytes.contains(where: { $0 == 0 || $0 == 0x0A || $0 == 0x0D }) { throw .malformed("the value of \(name) has NUL, CR or LF") }
            if let first = bytes.first, let last = bytes.last, [0x20, 0x09].contains(first) || [0x20, 0x09].contains(last) {
                throw .malformed("the value of \(name) starts or ends with whitespace")
            }
        }
        return pseudo
    }

    /// Checks an extended CONNECT as a server receives it.
    public static func validateRequest(_ list: [(name: String, value: String)]) throws(Failure) -> Request {
        let pseudo = try fields(list, allowed: requestPseudoFields)
        guard let method = pseudo[":method"] else { throw .malformed("no :method") }
        guard let proto = pseudo[":protocol"] else {
            if method == "CONNECT", pseudo[":scheme"] != nil || pseudo[":path"] != nil {
                throw .malformed("a CONNECT without :protocol has no :scheme or :path (RFC 9113 §8.5)")
            }
            throw .refused(status: method == "CONNECT" ? 405 : 404, "not an extended CONNECT")
        }
        guard method == "CONNECT" else { throw .malformed(":protocol on \(method), not CONNECT (RFC 8441 §4)") }
        guard let scheme = pseudo[":scheme"], let path = pseudo[":path"] else {
            throw .malformed("an extended CONNECT needs :scheme and :path (RFC 8441 §4)")
        }
        guard !path.isEmpty else { throw .malformed("an empty :path") }
        guard proto == "websocket" else { throw .refused(status: 400, ":protocol \(proto) is not websocket") }
        guard scheme == "http" || scheme == "https" else { throw .refused(status: 400, ":scheme \(scheme) is neither http nor https") }
        guard path.hasPrefix("/") else { throw .refused(status: 400, ":path \(path) does not start with a slash") }
        let regular = HTTPHeaderFields(list.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) })
        if let host = regular["host"].first, let authority = pseudo[":authority"], host != authority {
            throw .refused(status: 400, "host \(host) differs from :authority \(authority)")
        }
        guard regular["sec-websocket-version"] == ["13"] else {
            throw .refused(status: 426, "sec-websocket-version is \(regular["sec-websocket-version"].joined(separator: ", ")), not 13")
        }
        let extensions = regular["sec-websocket-extensions"]
        return Request(scheme: scheme, path: path, authority: pseudo[":authority"],
                       subprotocols: regular.tokens("sec-websocket-protocol"),
                       extensions: extensions.isEmpty ? nil : extensions.joined(separator: ", "))
    }

    /// Checks the answer to an extended CONNECT as a client receives it; `endStream` is the END_STREAM
    /// flag of its HEADERS. A 2xx that ends the stream is valid but opens nothing.
    public static func validateResponse(_ list: [(name: String, value: String)], endStream: Bool) throws(Failure) -> Response {
        let pseudo = try fields(list, allowed: [":status"])
        guard let text = pseudo[":status"] else { throw .malformed("no :status") }
        guard text.utf8.count == 3, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let status = Int(text), status >= 200 else {
            throw .malformed(":status \(text) is not a final status code")
        }
        return Response(status: status, opens: (200..<300).contains(status) && !endStream)
    }
}
