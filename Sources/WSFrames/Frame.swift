import NIOCore

/// The three reserved header bits. Values follow Autobahn's numbering, so a case written as
/// `rsv: 4` means RSV1 (the permessage-deflate bit), `rsv: 1` means RSV3.
public struct ReservedBits: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x7 }

    // Inlinable values, not `static let`s (see Opcode): they are tested for every frame.
    @inlinable public static var rsv1: ReservedBits { ReservedBits(rawValue: 0x4) }
    @inlinable public static var rsv2: ReservedBits { ReservedBits(rawValue: 0x2) }
    @inlinable public static var rsv3: ReservedBits { ReservedBits(rawValue: 0x1) }

    public var description: String { "rsv=\(rawValue)" }
}

/// A 4-byte masking key (RFC 6455 §5.3).
public struct MaskingKey: Hashable, Sendable, CustomStringConvertible {
    public var b0: UInt8, b1: UInt8, b2: UInt8, b3: UInt8

    @inlinable public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        (self.b0, self.b1, self.b2, self.b3) = (b0, b1, b2, b3)
    }

    /// Reads the key from 4 bytes; `bytes.count` must be 4.
    public init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        precondition(bytes.count == 4, "a masking key has exactly 4 bytes")
        var it = bytes.makeIterator()
        self.init(it.next()!, it.next()!, it.next()!, it.next()!)
    }

    /// A fresh key from the system's random source (RFC 6455 §5.3 asks for unpredictable keys).
    public static func random() -> MaskingKey {
        var g = SystemRandomNumberGenerator()
        return random(using: &g)
    }

    public static func random<G: RandomNumberGenerator>(using g: inout G) -> MaskingKey {
        let v = UInt32.random(in: .min ... .max, using: &g)
        return MaskingKey(UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8),
                          UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 24))
    }

    public var bytes: [UInt8] { [b0, b1, b2, b3] }

    /// Inlinable (a synthesized `==` is not): compared for every frame by the fuzz targets' checks.
    @inlinable public static func == (a: MaskingKey, b: MaskingKey) -> Bool {
        a.b0 == b.b0 && a.b1 == b.b1 && a.b2 == b.b2 && a.b3 == b.b3
    }

    /// Key byte `i mod 4`.
    @inlinable public subscript(i: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: packed >> (8 &* UInt32(truncatingIfNeeded: i & 3)))
    }

    /// The 4 bytes as a number, `b0` lowest: a shift picks a byte without branches.
    @inlinable var packed: UInt32 {
        UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
    }

    public var description: String { bytes.map { hex2($0) }.joined() }
}

@inline(__always) package func hex2(_ b: UInt8) -> String {
    let digits: [Character] = Array("0123456789abcdef")
    return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
}

/// How the payload length was written in a header (RFC 6455 §5.2): in the 7-bit field, or in the
/// 16-bit or 64-bit extended field. The parser reports it so that non-minimal encodings are visible.
public enum LengthEncoding: Sendable, Hashable {
    case short      // 0...125 in the first length byte
    case extended16 // 126 followed by a 16-bit length
    case extended64 // 127 followed by a 64-bit length

    /// The smallest encoding that can carry `length`.
    @inlinable public static func minimal(for length: UInt64) -> LengthEncoding {
        length <= 125 ? .short : (length <= 0xFFFF ? .extended16 : .extended64)
    }

    /// Bytes the length takes after the first two header bytes.
    @inlinable public var extraBytes: Int {
        switch self { case .short: 0; case .extended16: 2; case .extended64: 8 }
    }
}

/// A decoded frame header, as it was on the wire.
public struct FrameHeader: Hashable, Sendable {
    public var fin: Bool
    public var rsv: ReservedBits
    public var opcode: Opcode
    /// The masking key, or nil when the MASK bit was clear.
    public var maskingKey: MaskingKey?
    public var payloadLength: UInt64
    public var lengthEncoding: LengthEncoding

    @inlinable
    public init(fin: Bool = true, rsv: ReservedBits = [], opcode: Opcode, maskingKey: MaskingKey? = nil,
                payloadLength: UInt64, lengthEncoding: LengthEncoding? = nil) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
        self.lengthEncoding = lengthEncoding ?? .minimal(for: payloadLength)
    }

    public var isMasked: Bool { maskingKey != nil }

    /// Total header size in bytes: 2, plus the extended length, plus 4 for a masking key.
    @inlinable public var headerLength: Int { 2 + lengthEncoding.extraBytes + (maskingKey == nil ? 0 : 4) }

    /// Inlinable (a synthesized `==` is not). The length forms are told apart by their size.
    @inlinable public static func == (a: FrameHeader, b: FrameHeader) -> Bool {
        a.fin == b.fin && a.rsv == b.rsv && a.opcode == b.opcode && a.maskingKey == b.maskingKey
            && a.payloadLength == b.payloadLength && a.lengthEncoding.extraBytes == b.lengthEncoding.extraBytes
    }
}

/// A whole frame with its payload unmasked. `maskingKey` records the key it travelled with (or should
/// travel with, when written), so the wire form can be reproduced byte for byte.
public struct Frame: Hashable, Sendable, CustomStringConvertible {
    public var fin: Bool
    public var rsv: ReservedBits
    public var opcode: Opcode
    public var maskingKey: MaskingKey?
    /// Application (unmasked) payload bytes.
    public var payload: ByteBuffer

    public init(fin: Bool = true, rsv: ReservedBits = [], opcode: Opcode, maskingKey: MaskingKey? = nil,
                payload: ByteBuffer = ByteBuffer()) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payload = payload
    }

    public init<Bytes: Sequence>(fin: Bool = true, rsv: ReservedBits = [], opcode: Opcode,
                                 maskingKey: MaskingKey? = nil, bytes: Bytes) where Bytes.Element == UInt8 {
        self.init(fin: fin, rsv: rsv, opcode: opcode, maskingKey: maskingKey, payload: ByteBuffer(bytes: bytes))
    }

    @inlinable public var header: FrameHeader {
        FrameHeader(fin: fin, rsv: rsv, opcode: opcode, maskingKey: maskingKey,
                    payloadLength: UInt64(payload.readableBytes))
    }

    public var description: String {
        "Frame(\(opcode), fin=\(fin), \(rsv), mask=\(maskingKey.map { "\($0)" } ?? "none"), \(payload.readableBytes) bytes)"
    }
}
