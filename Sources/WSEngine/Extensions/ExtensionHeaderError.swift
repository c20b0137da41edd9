/// Why a `Sec-WebSocket-Extensions` value does not match RFC 6455 §9.1 (with the RFC 7230 token and
/// quoted-string rules), and where: `valueIndex` is the header line (0-based, in the order given to
/// `ExtensionHeader.parse`) and `offset` the UTF-8 byte offset inside that line.
public struct ExtensionHeaderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What the parser expected a token for.
    public enum TokenRole: Hashable, Sendable, CustomStringConvertible {
        case extensionName, parameterName, parameterValue

        public var description: String {
            switch self {
            case .extensionName: "an extension name"
            case .parameterName: "a parameter name"
            case .parameterValue: "a parameter value"
            }
        }
    }

    public enum Kind: Hashable, Sendable, CustomStringConvertible {
        /// A header line with no extension at all (`1#extension` needs one).
        case noExtension
        /// An empty list element such as `a, , b` or a trailing comma (rejected only in strict mode;
        /// RFC 7230 §7 asks recipients to accept them).
        case emptyElement
        /// A token was required here; `found` is the offending octet, or nil at the end of the line.
        case expectedToken(TokenRole, found: UInt8?)
        /// After an extension or parameter only `;`, `,` or the end of the line may follow.
        case unexpectedCharacter(UInt8)
        /// A quoted-string without its closing `"`.
        case unterminatedQuotedString
        /// A control character (other than HTAB) inside a quoted-string.
        case invalidQuotedCharacter(UInt8)
        /// A backslash escaping a character that may not be escaped, or at the end of the line.
        case invalidEscape(UInt8?)
        /// RFC 6455 §9.1: a quoted value must be a token once unquoted (this one is `value`).
        case quotedValueNotToken(String)

        public var description: String {
            switch self {
            case .noExtension: "no extension in the header value"
            case .emptyElement: "empty list element"
            case let .expectedToken(role, found?): "expected \(role), found \(Self.show(found))"
            case let .expectedToken(role, nil): "expected \(role), found the end of the value"
            case let .unexpectedCharacter(b): "unexpected \(Self.show(b)) (expected ';', ',' or the end of the value)"
            case .unterminatedQuotedString: "unterminated quoted-string"
            case let .invalidQuotedCharacter(b): "invalid \(Self.show(b)) inside a quoted-string"
            case let .invalidEscape(b?): "invalid escape of \(Self.show(b)) in a quoted-string"
            case .invalidEscape(nil): "backslash at the end of the value"
            case let .quotedValueNotToken(v): "quoted value \"\(v)\" is not a token once unquoted"
            }
        }

        static func show(_ b: UInt8) -> String {
            (0x21...0x7E).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : "octet 0x\(hex2(b))"
        }
    }

    public var kind: Kind
    /// Index of the header line the error is in.
    public var valueIndex: Int
    /// UTF-8 byte offset of the error inside that line.
    public var offset: Int

    public init(_ kind: Kind, valueIndex: Int, offset: Int) {
        self.kind = kind
        self.valueIndex = valueIndex
        self.offset = offset
    }

    public var description: String {
        "Sec-WebSocket-Extensions value \(valueIndex), offset \(offset): \(kind)"
    }
}
