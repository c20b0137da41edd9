import WSEngine

/// One frame of a message as the harness will send it: which payload octets, which opcode, FIN.
public struct FramePlan: Sendable, Hashable {
    public var opcode: Opcode
    public var fin: Bool
    /// Octet range in the (possibly compressed) message payload.
    public var range: Range<Int>
    /// RSV1 for the first frame of a compressed message (RFC 7692 §6.1); never on continuations.
    public var compressed: Bool

    public init(opcode: Opcode, fin: Bool, range: Range<Int>, compressed: Bool = false) {
        self.opcode = opcode
        self.fin = fin
        self.range = range
        self.compressed = compressed
    }
}

extension MessageStep {
    /// How Autobahn's `sendMessage` splits a message of `length` octets into frames of at most
    /// `fragmentSize` octets (the step's own size, else `autoFragmentSize`, else one frame):
    ///
    /// * `length <= size` (or no size): one frame with FIN.
    /// * otherwise frames of `size` octets; the last carries FIN. When `length` is an exact multiple
    ///   of `size`, the last full frame still has FIN clear and an **empty** FIN continuation frame
    ///   follows (Autobahn's loop only stops after stepping past the end). 6.2.3 sends 29 one-octet
    ///   frames plus an empty one; 9.3.8 sends 4 x 1 MiB plus an empty one.
    ///
    /// For compressed messages pass the compressed length; only the first frame gets RSV1.
    public static func plan(type: MessageType, length: Int, fragmentSize: Int?, compressed: Bool = false) -> [FramePlan] {
        guard let size = fragmentSize, length > size else {
            return [FramePlan(opcode: type.opcode, fin: true, range: 0..<length, compressed: compressed)]
        }
        precondition(size >= 1, "fragment size must be at least 1")
        var frames: [FramePlan] = []
        frames.reserveCapacity(length / size + 1)
        var start = 0
        while true {
            let end = start + size
            let last = end > length
            frames.append(FramePlan(opcode: frames.isEmpty ? type.opcode : .continuation, fin: last,
                                    range: start..<min(end, length), compressed: compressed && frames.isEmpty))
            if last { break }
            start = end
        }
        return frames
    }

    /// The frames of this step in a case whose `autoFragmentSize` is `auto`.
    public func plan(autoFragmentSize auto: Int?, compressedLength: Int? = nil) -> [FramePlan] {
        MessageStep.plan(type: type, length: compressedLength ?? payload.count, fragmentSize: fragmentSize ?? auto,
                         compressed: compressedLength != nil)
    }
}
