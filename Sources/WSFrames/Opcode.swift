/// A 4-bit frame opcode (RFC 6455 §5.2). Any of the 16 values can be represented, so that the
/// writer can emit reserved opcodes on purpose and the parser can name the one it rejected.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    /// Keeps the low 4 bits only: an opcode never has more.
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    // Computed and inlinable rather than `static let`: a global constant is read through an
    // accessor with a once-check, and these are compared for every frame.
    @inlinable public static var continuation: Opcode { Opcode(rawValue: 0x0) }
    @inlinable public static var text: Opcode { Opcode(rawValue: 0x1) }
    @inlinable public static var binary: Opcode { Opcode(rawValue: 0x2) }
    @inlinable public static var close: Opcode { Opcode(rawValue: 0x8) }
    @inlinable public static var ping: Opcode { Opcode(rawValue: 0x9) }
    @inlinable public static var pong: Opcode { Opcode(rawValue: 0xA) }

    /// Control opcodes have the high bit set (0x8–0xF).
    @inlinable public var isControl: Bool { rawValue & 0x8 != 0 }
    /// Text, binary (and continuation, which continues one of them).
    @inlinable public var isData: Bool { !isControl }
    /// 0x3–0x7 and 0xB–0xF have no meaning without an extension that defines them.
    @inlinable public var isReserved: Bool { (0x3...0x7).contains(rawValue) || rawValue >= 0xB }

    public var description: String {
        switch rawValue {
        case 0x0: "continuation"
        case 0x1: "text"
        case 0x2: "binary"
        case 0x8: "close"
        case 0x9: "ping"
        case 0xA: "pong"
        default: "reserved(0x\(String(rawValue, radix: 16)))"
        }
    }
}
