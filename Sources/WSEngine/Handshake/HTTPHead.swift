import NIOCore

/// An HTTP/1.x request or response head: the start line and the header fields, without a body.
public struct HTTPHead: Hashable, Sendable, CustomStringConvertible {
    public enum StartLine: Hashable, Sendable {
        case request(method: String, target: String, version: HTTPVersion)
        case response(version: HTTPVersion, status: Int, reason: String)
    }

    public var startLine: StartLine
    public var headers: HTTPHeaderFields

    public init(startLine: StartLine, headers: HTTPHeaderFields = []) {
        self.startLine = startLine
        self.headers = headers
    }

    public var version: HTTPVersion {
        switch startLine {
        case let .request(_, _, version), let .response(version, _, _): version
        }
    }

    /// The request method, or nil for a response.
    public var method: String? {
        if case let .request(method, _, _) = startLine { method } else { nil }
    }

    /// The request-target, or nil for a response.
    public var target: String? {
        if case let .request(_, target, _) = startLine { target } else { nil }
    }

    /// The status code, or nil for a request.
    public var status: Int? {
        if case let .response(_, status, _) = startLine { status } else { nil }
    }

    /// The start line as written on the wire, without CRLF.
    public var startLineText: String {
        switch startLine {
        case let .request(method, target, version): "\(method) \(target) \(version)"
        case let .response(version, status, reason): "\(version) \(status) \(reason)"
        }
    }

    /// The wire form: start line, one line per field in order, blank line; all CRLF-terminated.
    public func encode() -> ByteBuffer {
        var out = ByteBuffer()
        write(to: &out)
        return out
    }

    /// Appends the wire form to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeString(startLineText)
        buffer.writeStaticString("\r\n")
        for field in headers {
            buffer.writeString(field.name)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    public var description: String {
        ([startLineText] + headers.map(\.description)).joined(separator: "\n")
    }
}
