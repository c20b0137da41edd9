import NIOCore

/// An incremental parser of one HTTP/1.x request or response head (start line and header fields up to
/// the blank line), fed bytes split anywhere. It reports how many of the fed bytes belong to the head,
/// so that bytes after it (the first frames may share a TCP segment with the head) are kept for the
/// frame parser. Memory is bounded by `maximumHeadSize`.
///
/// Strictness: lines must end in CRLF (a bare LF or bare CR is an error, not silently accepted), field
/// names must be tokens with no space before the colon, obsolete line folding is rejected, and control
/// characters are rejected in values. Empty lines before the start line are skipped (RFC 7230 §3.5).
public struct HTTPHeadParser: Sendable {
    public enum Kind: Sendable, Hashable {
        case request
        case response
    }

    public let kind: Kind
    /// The most bytes a head may take, counting its final blank line (and any skipped empty lines).
    public let maximumHeadSize: Int

    /// Head bytes so far (after skipped leading empty lines).
    private var bytes: [UInt8] = []
    /// All bytes consumed for the current head, skipped empty lines included.
    private var consumed = 0
    private var failure: HandshakeError?

    public init(kind: Kind, maximumHeadSize: Int = 16 * 1024) {
        precondition(maximumHeadSize > 0, "maximumHeadSize must be positive")
        self.kind = kind
        self.maximumHeadSize = maximumHeadSize
    }

    /// Feeds the next bytes. Returns nil while the head is incomplete; once the blank line arrives,
    /// returns the head and how many of *these* bytes it used (the rest belong to what follows).
    /// After returning a head the parser is ready for a new one; after an error it keeps throwing it.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws(HandshakeError) -> (head: HTTPHead, consumed: Int)? {
        if let failure { throw failure }
        do {
            return try scan(chunk)
        } catch {
            failure = error
            throw error
        }
    }

    /// Feeds the readable bytes of `buffer` and, once the head is complete, moves its reader index past
    /// the head so that it holds exactly the bytes that follow. Returns nil (buffer fully consumed)
    /// while the head is incomplete.
    public mutating func feed(_ buffer: inout ByteBuffer) throws(HandshakeError) -> HTTPHead? {
        let result = try buffer.withUnsafeReadableBytes { chunk throws(HandshakeError) in try feed(chunk) }
        guard let (head, used) = result else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: used)
        return head
    }

    /// Feeds any byte collection (see `feed(_:)` for raw bytes).
    public mutating func feed<C: Collection<UInt8>>(_ chunk: C) throws(HandshakeError) -> (head: HTTPHead, consumed: Int)? {
        // Array.withUnsafeBytes only rethrows untyped errors, so carry the result out as a value.
        let result = Array(chunk).withUnsafeBytes { raw in Result { () throws(HandshakeError) in try feed(raw) } }
        return try result.get()
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    private mutating func scan(_ chunk: UnsafeRawBufferPointer) throws(HandshakeError) -> (head: HTTPHead, consumed: Int)? {
        for (index, byte) in chunk.enumerated() {
            consumed += 1
            guard consumed <= maximumHeadSize else { throw .headTooLarge(limit: maximumHeadSize) }
            let previous = bytes.last
            if previous == Self.cr && byte != Self.lf {
                throw .malformedHead("CR not followed by LF at byte \(bytes.count - 1) of the head")
            }
            bytes.append(byte)
            guard byte == Self.lf else { continue }
            guard previous == Self.cr else { throw .bareLineFeed(offset: bytes.count - 1) }
            if bytes.count == 2 {
                bytes.removeAll(keepingCapacity: true)  // an empty line before the start line
                continue
            }
            let n = bytes.count
            if n >= 4 && bytes[n - 4] == Self.cr && bytes[n - 3] == Self.lf {
                let head = try Self.parseHead(bytes[..<(n - 4)], kind: kind)
                bytes = []
                consumed = 0
                return (head, index + 1)
            }
        }
        return nil
    }

    // MARK: Parsing a complete head

    /// Parses the head without its final CRLFCRLF.
    private static func parseHead(_ text: ArraySlice<UInt8>, kind: Kind) throws(HandshakeError) -> HTTPHead {
        var lines = splitLines(text)
        let startLine = try parseStartLine(lines.removeFirst(), kind: kind)
        var headers = HTTPHeaderFields()
        for line in lines {
            headers.fields.append(try parseField(line))
        }
        return HTTPHead(startLine: startLine, headers: headers)
    }

    private static func splitLines(_ text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = text.startIndex, i = text.startIndex
        while i < text.endIndex {
            if text[i] == cr {  // always followed by LF: scan() checked
                lines.append(text[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        lines.append(text[start..<text.endIndex])
        return lines
    }

    private static func parseStartLine(_ line: ArraySlice<UInt8>, kind: Kind) throws(HandshakeError) -> HTTPHead.StartLine {
        let text = String(decoding: line, as: UTF8.self)
        switch kind {
        case .request:
            // method SP request-target SP HTTP-version (RFC 7230 §3.1.1)
            let parts = text.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw .malformedHead("request line \"\(text)\" is not \"METHOD target HTTP/x.y\"")
            }
            guard !parts[0].isEmpty, parts[0].utf8.allSatisfy(isTokenByte) else {
                throw .malformedHead("request method \"\(parts[0])\" is not a token")
            }
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .malformedHead("request-target \"\(parts[1])\" is empty or has invalid characters")
            }
            guard let version = HTTPVersion(parts[2]) else {
                throw .malformedHead("\"\(parts[2])\" is not an HTTP version (HTTP/x.y)")
            }
            return .request(method: String(parts[0]), target: String(parts[1]), version: version)
        case .response:
            // HTTP-version SP status-code SP reason-phrase (RFC 7230 §3.1.2); a missing reason is tolerated.
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, let version = HTTPVersion(parts[0]) else {
                throw .malformedHead("status line \"\(text)\" is not \"HTTP/x.y status reason\"")
            }
            guard parts[1].utf8.count == 3, parts[1].utf8.allSatisfy(isDigit), let status = Int(parts[1]) else {
                throw .malformedHead("status code \"\(parts[1])\" is not 3 digits")
            }
            // No status code starts with 0 (RFC 9110 §15: valid codes are 100-599), and "001" read as 1
            // could not be written back as it came (found by FuzzHandshakeResponse).
            guard status >= 100 else {
                throw .malformedHead("status code \"\(parts[1])\" is below 100")
            }
            let reason = parts.count == 3 ? String(parts[2]) : ""
            guard reason.utf8.allSatisfy(isFieldValueByte) else {
                throw .malformedHead("control character in the reason phrase")
            }
            return .response(version: version, status: status, reason: reason)
        }
    }

    private static func parseField(_ line: ArraySlice<UInt8>) throws(HandshakeError) -> HTTPHeaderField {
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            throw .malformedHead("obsolete line folding (a header line starting with whitespace)")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .malformedHead("header line \"\(String(decoding: line, as: UTF8.self))\" has no colon")
        }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .malformedHead("header name \"\(String(decoding: name, as: UTF8.self))\" is not a token (RFC 7230 §3.2.4 forbids whitespace before the colon)")
        }
        let nameText = String(decoding: name, as: UTF8.self)
        var value = line[(colon + 1)...]
        while let b = value.first, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { value.removeFirst() }
        while let b = value.last, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { value.removeLast() }
        guard value.allSatisfy(isFieldValueByte) else {
            throw .malformedHead("control character in the value of header \(nameText)")
        }
        return HTTPHeaderField(name: nameText, value: decodeFieldValue(value))
    }

    /// Values are decoded as UTF-8 when valid; otherwise as ISO-8859-1, which maps every byte, so that
    /// obs-text bytes stay visible instead of turning into replacement characters.
    private static func decodeFieldValue(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return String(scalars)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// tchar (RFC 7230 §3.2.6).
    static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    /// VCHAR, SP, HTAB or obs-text (RFC 7230 §3.2).
    private static func isFieldValueByte(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "\t") || (b >= 0x20 && b != 0x7F)
    }
}
