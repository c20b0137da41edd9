/// The four permessage-deflate parameters of one offer or response (RFC 7692 §7.1), as written.
/// Serialised in Autobahn's order: `client_no_context_takeover; client_max_window_bits;
/// server_no_context_takeover; server_max_window_bits`.
public struct PerMessageDeflateParameters: Hashable, Sendable, CustomStringConvertible {
    public static let extensionName = "permessage-deflate"

    public var serverNoContextTakeover: Bool
    public var clientNoContextTakeover: Bool
    /// 8...15 when present.
    public var serverMaxWindowBits: Int?
    /// Absent (nil), present without a value (offers only), or with a value 8...15.
    public var clientMaxWindowBits: ClientMaxWindowBits?

    public init(serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
                serverMaxWindowBits: Int? = nil, clientMaxWindowBits: ClientMaxWindowBits? = nil) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
    }

    /// Which side wrote the element; the rules differ only for `client_max_window_bits`, whose value
    /// is optional in an offer and required in a response (§7.1.2.2).
    public enum Stage: Hashable, Sendable { case offer, response }

    /// Validates one `permessage-deflate` element: known parameters only, each at most once, no value
    /// on the `*_no_context_takeover` flags, window bits a decimal 8...15 without leading zeros or sign.
    public init(_ element: ExtensionOffer, stage: Stage) throws(PerMessageDeflateError) {
        guard element.name == Self.extensionName else { throw .notPerMessageDeflate(extensionName: element.name) }
        self.init()
        var seen = Set<String>()
        for parameter in element.parameters {
            // An unknown name throws below on its first occurrence, so `seen` holds known names only.
            guard seen.insert(parameter.name).inserted else { throw .duplicateParameter(parameter.name) }
            switch parameter.name {
            case "server_no_context_takeover":
                try Self.requireNoValue(parameter)
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                try Self.requireNoValue(parameter)
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let value = parameter.value else { throw .missingValue(parameter: parameter.name) }
                serverMaxWindowBits = try Self.windowBits(value, parameter: parameter.name)
            case "client_max_window_bits":
                if let value = parameter.value {
                    clientMaxWindowBits = .bits(try Self.windowBits(value, parameter: parameter.name))
                } else if stage == .offer {
                    clientMaxWindowBits = .noValue
                } else {
                    throw .missingValue(parameter: parameter.name)
                }
            default:
                throw .unknownParameter(parameter.name)
            }
        }
    }

    /// The element to put in a header.
    public var extensionOffer: ExtensionOffer {
        var parameters: [ExtensionParameter] = []
        if clientNoContextTakeover { parameters.append(.init(name: "client_no_context_takeover")) }
        switch clientMaxWindowBits {
        case nil: break
        case .noValue: parameters.append(.init(name: "client_max_window_bits"))
        case let .bits(bits): parameters.append(.init(name: "client_max_window_bits", value: String(bits)))
        }
        if serverNoContextTakeover { parameters.append(.init(name: "server_no_context_takeover")) }
        if let bits = serverMaxWindowBits {
            parameters.append(.init(name: "server_max_window_bits", value: String(bits)))
        }
        return ExtensionOffer(name: Self.extensionName, parameters: parameters)
    }

    public var description: String { extensionOffer.description }

    /// The legal range of window bits (RFC 7692 §7.1.2).
    public static let windowBitsRange = 8...15

    static func requireNoValue(_ parameter: ExtensionParameter) throws(PerMessageDeflateError) {
        if let value = parameter.value { throw .unexpectedValue(parameter: parameter.name, value: value) }
    }

    /// `1*DIGIT` without leading zeros, 8...15: only the exact strings "8" ... "15" qualify.
    static func windowBits(_ value: String, parameter: String) throws(PerMessageDeflateError) -> Int {
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= 2, utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              utf8.first != UInt8(ascii: "0"), let bits = Int(value), windowBitsRange.contains(bits)
        else { throw .invalidWindowBits(parameter: parameter, value: value) }
        return bits
    }
}

/// `client_max_window_bits` in an offer may come without a value ("I can limit my window if you
/// ask"); with a value it is a limit 8...15.
public enum ClientMaxWindowBits: Hashable, Sendable {
    case noValue
    case bits(Int)

    /// The value, if any.
    public var bits: Int? {
        if case let .bits(b) = self { return b }
        return nil
    }
}
