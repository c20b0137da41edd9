import NIOCore
import WSCatalog
import WSEngine

extension HandshakeStep {
    /// The step's frames as they go out right after the head: masked as `role` sends them unless a
    /// frame says otherwise (`mask: none` from a client, a key from a server).
    func frameBytes(role: Role) -> ByteBuffer {
        var out = ByteBuffer()
        for f in frames {
            let key: MaskingKey? = switch f.mask {
            case .auto: role == .client ? .random() : nil
            case .random: .random()
            case .none: nil
            case let .key(k): k
            }
            let frame = Frame(fin: f.fin, rsv: f.rsv, opcode: f.opcode, maskingKey: key, payload: ByteBuffer(bytes: f.payload.bytes()))
            out.writeImmutableBuffer(FrameWriter.bytes(frame, violations: FrameViolations(lengthEncoding: f.lengthEncoding,
                                                                                           declaredLength: f.declaredLength)))
        }
        return out
    }
}
