/// Parsing and writing of `Sec-WebSocket-Extensions` values (RFC 6455 §9.1):
///
///     extension-list = 1#extension
///     extension      = extension-token *( ";" extension-param )
///     extension-param = token [ "=" ( token / quoted-string ) ]
///
/// OWS is accepted around `,`, `;` and `=`. Quoted values are unescaped and must be tokens once
/// unquoted (RFC 6455 §9.1, repeated by RFC 7692 §7.1).
public enum ExtensionHeader {
    /// Parses one or more header values (a header may be sent on several lines) into offers, in order.
    ///
    /// - Parameter strict: when true, empty list elements (`a,,b`, a leading or trailing comma) are
    ///   errors. By default they are skipped, as RFC 7230 §7 requires of recipients.
    public static func parse(_ values: [String], strict: Bool = false) throws(ExtensionHeaderError) -> [ExtensionOffer] {
        var offers: [ExtensionOffer] = []
        for (index, value) in values.enumerated() {
            var parser = Parser(bytes: Array(value.utf8), valueIndex: index, strict: strict)
            offers += try parser.parseList()
        }
        return offers
    }

    /// Parses a single header value.
    public static func parse(_ value: String, strict: Bool = false) throws(ExtensionHeaderError) -> [ExtensionOffer] {
        try parse([value], strict: strict)
    }

    /// Writes offers as one header value: `name; param; param=value, name2`. Values that are not
    /// tokens are written as quoted-strings (with `"` and `\` escaped), so that deliberately invalid
    /// values survive the trip; names are written as given.
    public static func serialize(_ offers: [ExtensionOffer]) -> String {
        var out = ""
        for (i, offer) in offers.enumerated() {
            if i > 0 { out += ", " }
            out += offer.name
            for parameter in offer.parameters {
                out += "; "
                append(parameter, to: &out)
            }
        }
        return out
    }

    static func append(_ parameter: ExtensionParameter, to out: inout String) {
        out += parameter.name
        guard let value = parameter.value else { return }
        out += "="
        if HTTPToken.isToken(value) {
            out += value
        } else {
            out += "\""
            for ch in value {
                if ch == "\"" || ch == "\\" { out += "\\" }
                out.append(ch)
            }
            out += "\""
        }
    }
}

extension ExtensionHeader {
    /// A cursor over the octets of one header line.
    struct Parser {
        let bytes: [UInt8]
        let valueIndex: Int
        let strict: Bool
        var position = 0

        init(bytes: [UInt8], valueIndex: Int, strict: Bool) {
            self.bytes = bytes
            self.valueIndex = valueIndex
            self.strict = strict
        }

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func error(_ kind: ExtensionHeaderError.Kind, at offset: Int? = nil) -> ExtensionHeaderError {
            ExtensionHeaderError(kind, valueIndex: valueIndex, offset: offset ?? position)
        }

        mutating func skipWhitespace() {
            while let b = peek, HTTPToken.isWhitespace(b) { position += 1 }
        }

        mutating func parseList() throws(ExtensionHeaderError) -> [ExtensionOffer] {
            var offers: [ExtensionOffer] = []
            // True at the start and right after a comma: an element may (strict: must) follow.
            var afterSeparator = false
            skipWhitespace()
            while true {
                guard let b = peek else {
                    if strict && afterSeparator { throw error(.emptyElement) }
                    break
                }
                if b == UInt8(ascii: ",") {
                    if strict { throw error(.emptyElement) }
                    position += 1
                    skipWhitespace()
                    afterSeparator = true
                    continue
                }
                offers.append(try parseExtension())
                skipWhitespace()
                guard let next = peek else { break }
                guard next == UInt8(ascii: ",") else { throw error(.unexpectedCharacter(next)) }
                position += 1
                skipWhitespace()
                afterSeparator = true
            }
            if offers.isEmpty { throw error(.noExtension, at: 0) }
            return offers
        }

        mutating func parseExtension() throws(ExtensionHeaderError) -> ExtensionOffer {
            var offer = ExtensionOffer(name: try parseToken(.extensionName))
            skipWhitespace()
            while peek == UInt8(ascii: ";") {
                position += 1
                skipWhitespace()
                let name = try parseToken(.parameterName)
                skipWhitespace()
                var value: String?
                if peek == UInt8(ascii: "=") {
                    position += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "\"") {
                        value = try parseQuotedValue()
                    } else {
                        value = try parseToken(.parameterValue)
                    }
                    skipWhitespace()
                }
                offer.parameters.append(ExtensionParameter(name: name, value: value))
            }
            return offer
        }

        mutating func parseToken(_ role: ExtensionHeaderError.TokenRole) throws(ExtensionHeaderError) -> String {
            let start = position
            while let b = peek, HTTPToken.isTokenChar(b) { position += 1 }
            guard position > start else { throw error(.expectedToken(role, found: peek)) }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        /// Reads a quoted-string starting at the opening quote and returns it unescaped; the result
        /// must be a token (RFC 6455 §9.1).
        mutating func parseQuotedValue() throws(ExtensionHeaderError) -> String {
            let start = position
            position += 1
            var unescaped: [UInt8] = []
            while true {
                guard let b = peek else { throw error(.unterminatedQuotedString, at: start) }
                if b == UInt8(ascii: "\"") {
                    position += 1
                    break
                }
                if b == UInt8(ascii: "\\") {
                    position += 1
                    guard let escaped = peek, HTTPToken.isQuotedPairChar(escaped) else {
                        throw error(.invalidEscape(peek))
                    }
                    unescaped.append(escaped)
                } else {
                    guard HTTPToken.isQuotedTextChar(b) else { throw error(.invalidQuotedCharacter(b)) }
                    unescaped.append(b)
                }
                position += 1
            }
            let value = String(decoding: unescaped, as: UTF8.self)
            guard !unescaped.isEmpty, unescaped.allSatisfy(HTTPToken.isTokenChar) else {
                throw error(.quotedValueNotToken(value), at: start)
            }
            return value
        }
    }
}
