import WSResultFormat

/// wsconform wire-log entries as Autobahn's wire-log rows (autobahn.md §6.3).
enum AutobahnWireLog {
    /// `TO`/`RO` for octets, `TF`/`RF` for frames; harness notes have no Autobahn row (nil).
    static func row(_ e: WireLogEntryRecord) -> OrderedJSON? {
        let sent = e.dir == "sent"
        if let f = e.frame {
            let payload = OrderedJSON.array([.int(f.length ?? 0), .string(AutobahnCaseFile.payloadText(framePayload(f)))])
            if sent {
                return .array([.string("TF"), payload, .int(f.opcode), .bool(f.fin ?? true), .int(f.rsv ?? 0),
                               .optional(f.mask), .null, .null, .bool(false)])
            }
            return .array([.string("RF"), payload, .int(f.opcode), .bool(f.fin ?? true), .int(f.rsv ?? 0),
                           .bool(f.mask != nil), .optional(f.mask)])
        }
        if let n = e.octets {
            let hex = (e.hex ?? "") + (n > (e.hex?.count ?? 0) / 2 ? " ..." : "")
            return sent ? .array([.string("TO"), .array([.int(n), .string(hex)]), .bool(false)])
                : .array([.string("RO"), .array([.int(n), .string(hex)])])
        }
        return nil
    }

    /// Autobahn shows binary frame payloads (and Close payloads) as `0x<hex>`.
    private static func framePayload(_ f: WireLogEntryRecord.Frame) -> PayloadPreview {
        var p = f.preview
        if f.opcode == 8, let t = p.text, !t.isEmpty {
            // A Close payload starts with the code in two octets: show it as hex like Autobahn.
            p = PayloadPreview(hex: Array(t.utf8).map { byte in
                let h = String(byte, radix: 16)
                return h.count == 1 ? "0" + h : h
            }.joined(), truncated: p.truncated)
        }
        return p
    }
}
