/// One element of a `Sec-WebSocket-Extensions` header (RFC 6455 §9.1): an extension name and its
/// parameters, in the order they were written. The same shape serves offers (client) and responses
/// (server), as the header grammar is the same for both.
public struct ExtensionOffer: Hashable, Sendable, CustomStringConvertible {
    /// The extension token, e.g. `permessage-deflate`.
    public var name: String
    /// Parameters in wire order; duplicates are kept so that validators can reject them.
    public var parameters: [ExtensionParameter]

    public init(name: String, parameters: [ExtensionParameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// The element as it would appear in a header, e.g. `permessage-deflate; client_max_window_bits`.
    public var description: String { ExtensionHeader.serialize([self]) }
}

/// One `;`-separated extension parameter. `value` is nil when the parameter had no `=`; a
/// quoted-string value is stored unquoted and unescaped.
public struct ExtensionParameter: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var value: String?

    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }

    public var description: String {
        var out = ""
        ExtensionHeader.append(self, to: &out)
        return out
    }
}
