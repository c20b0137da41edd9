/// A parsed `ws://` or `wss://` URL: what a client needs to connect and what goes in the request line.
public struct WebSocketURL: Hashable, Sendable, CustomStringConvertible {
    public var secure: Bool
    public var host: String
    public var port: Int
    /// Path and query as sent in the request line (at least "/").
    public var target: String

    public init(secure: Bool, host: String, port: Int? = nil, target: String = "/") {
        self.secure = secure
        self.host = host
        self.port = port ?? (secure ? 443 : 80)
        self.target = target.isEmpty ? "/" : target
    }

    /// Parses `ws[s]://host[:port][/path][?query]`; IPv6 hosts in brackets. Fragments are not allowed
    /// (RFC 6455 §3).
    public init(_ text: String) throws(WebSocketURLError) {
        let lower = text.lowercased()
        let secure: Bool
        let rest: Substring
        if lower.hasPrefix("ws://") { secure = false; rest = text.dropFirst(5) }
        else if lower.hasPrefix("wss://") { secure = true; rest = text.dropFirst(6) }
        else { throw .init(text, "the scheme must be ws:// or wss://") }
        if rest.contains("#") { throw .init(text, "a WebSocket URL cannot have a fragment (#)") }
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        var target = String(rest[slash...])
        if target.hasPrefix("?") { target = "/" + target }
        var host = Substring(authority)
        var port: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .init(text, "unterminated IPv6 address") }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { port = Int(after.dropFirst()) ; if port == nil { throw .init(text, "bad port") } }
            else if !after.isEmpty { throw .init(text, "unexpected text after the IPv6 address") }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let p = Int(authority[authority.index(after: colon)...]) else { throw .init(text, "bad port") }
            port = p
        }
        if host.isEmpty { throw .init(text, "the host is missing") }
        if let port, !(1...65535).contains(port) { throw .init(text, "port \(port) is out of range") }
        self.init(secure: secure, host: String(host), port: port, target: target)
    }

    /// The URL with another target (path and query), e.g. for Autobahn's `/runCase?case=N&agent=A`.
    public func with(target: String) -> WebSocketURL {
        WebSocketURL(secure: secure, host: host, port: port, target: target)
    }

    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(secure ? "wss" : "ws")://\(h):\(port)\(target)"
    }
}

public struct WebSocketURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var url: String
    public var reason: String
    init(_ url: String, _ reason: String) { self.url = url; self.reason = reason }
    public var description: String { "invalid WebSocket URL \"\(url)\": \(reason)" }
}
