/// A close status code (RFC 6455 §7.4). Any 16-bit value can be held, so that invalid codes can be
/// sent on purpose and reported when received; `CloseCode.isValidOnWire` says which are allowed.
public struct CloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public init(integerLiteral value: UInt16) { self.rawValue = value }

    public static let normalClosure: CloseCode = 1000
    public static let goingAway: CloseCode = 1001
    public static let protocolError: CloseCode = 1002
    public static let unsupportedData: CloseCode = 1003
    /// 1005 and 1006 are reserved for reporting; never sent in a Close frame.
    public static let noStatusReceived: CloseCode = 1005
    public static let abnormalClosure: CloseCode = 1006
    public static let invalidPayloadData: CloseCode = 1007
    public static let policyViolation: CloseCode = 1008
    public static let messageTooBig: CloseCode = 1009
    public static let mandatoryExtension: CloseCode = 1010
    public static let internalError: CloseCode = 1011
    public static let serviceRestart: CloseCode = 1012
    public static let tryAgainLater: CloseCode = 1013
    public static let badGateway: CloseCode = 1014
    public static let tlsHandshake: CloseCode = 1015

    public var description: String { String(rawValue) }
}
