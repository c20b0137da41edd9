/// Smaller variants of a sequence, simplest first, for shrinking a finding: a variant is kept when
/// it still shows the same kind of finding. Every variant keeps the sequence's meaning (a valid
/// sequence stays valid, an invalid one keeps its violation), so its expectations stay right.
enum FuzzShrinker {
    static func candidates(_ s: FuzzSequence) -> [FuzzSequence] {
        var out: [FuzzSequence] = []
        func add(_ change: (inout FuzzSequence) -> Void) {
            var copy = s
            change(&copy)
            if copy != s { out.append(copy) }
        }
        if !s.items.isEmpty { add { $0.items = [] } }
        for i in s.items.indices.reversed() { add { $0.items.remove(at: i) } }
        if let v = s.violation, v.context > 0 {
            add {
                $0.violation!.frames.removeFirst(v.context)
                $0.violation!.context = 0
                $0.violation!.summary = v.summary.replacingOccurrences(of: ", inside a fragmented message", with: "")
            }
        }
        for (i, item) in s.items.enumerated() {
            guard case let .message(m) = item else { continue }
            if m.fragments.count > 1 {
                add { $0.items[i] = .message(FuzzMessage(type: m.type, payload: m.payload,
                                                         fragments: [.init(length: m.payload.count, mask: m.fragments[0].mask)])) }
            }
            if m.payload.count > 1 && m.fragments.count == 1 && m.type == .binary {
                // Half the payload (binary only: halving text could cut a character).
                add { $0.items[i] = .message(FuzzMessage(type: m.type, payload: Array(m.payload.prefix(m.payload.count / 2)),
                                                         fragments: [.init(length: m.payload.count / 2, mask: m.fragments[0].mask)])) }
            }
        }
        add(removeChops)
        add { $0.close = FuzzClose(code: .normalClosure, reason: []) }
        return out
    }

    /// Every frame written in one piece.
    static func removeChops(_ s: inout FuzzSequence) {
        s.items = s.items.map { item in
            switch item {
            case var .message(m):
                for i in m.fragments.indices {
                    m.fragments[i].chop = nil
                    m.fragments[i].pingAfter?.chop = nil
                }
                return .message(m)
            case var .ping(f): f.chop = nil; return .ping(f)
            case var .pong(f): f.chop = nil; return .pong(f)
            case .pause: return item
            }
        }
        if s.violation != nil {
            for i in s.violation!.frames.indices { s.violation!.frames[i].chop = nil }
        }
    }
}
