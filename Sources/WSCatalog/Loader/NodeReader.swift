import Foundation
import Yams

/// Typed, located access to a YAML node tree. Every failure becomes a `CatalogError` carrying the
/// file, the node's line and column, the field path and what would have been valid.
struct NodeReader {
    let file: String
    /// Prepended to field paths, e.g. "case 1.1.8 (from vary): ".
    var context: String = ""

    func error(_ node: Node?, _ field: String, _ message: String) -> CatalogError {
        let mark = node?.mark
        return CatalogError(file: file, line: mark?.line, column: mark?.column, field: context + field, message: message)
    }

    func isNull(_ node: Node) -> Bool {
        guard case let .scalar(s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A mapping whose keys must all be in `allowed` (and include `required`).
    func fields(_ node: Node, _ field: String, allowed: [String], required: [String] = []) throws(CatalogError) -> Fields {
        guard case let .mapping(m) = node else {
            throw error(node, field, "expected a mapping with keys \(list(allowed)), found \(kind(node))")
        }
        var values: [String: Node] = [:]
        for (k, v) in m {
            guard case let .scalar(ks) = k else { throw error(k, field, "mapping keys must be plain strings") }
            if !allowed.contains(ks.string) {
                var hint = ""
                if let near = closest(ks.string, in: allowed) { hint = " (did you mean \"\(near)\"?)" }
                throw error(k, field, "unknown key \"\(ks.string)\"\(hint); valid keys: \(list(allowed))")
            }
            values[ks.string] = v
        }
        for r in required where values[r] == nil {
            throw error(node, field, "missing required key \"\(r)\"; valid keys: \(list(allowed))")
        }
        return Fields(reader: self, node: node, mapping: m, values: values, field: field)
    }

    func string(_ node: Node, _ field: String) throws(CatalogError) -> String {
        guard case let .scalar(s) = node, !isNull(node) || s.style == .singleQuoted || s.style == .doubleQuoted else {
            throw error(node, field, "expected a string, found \(kind(node))")
        }
        return s.string
    }

    func bool(_ node: Node, _ field: String) throws(CatalogError) -> Bool {
        if case let .scalar(s) = node {
            switch s.string {
            case "true", "True", "TRUE", "yes": return true
            case "false", "False", "FALSE", "no": return false
            default: break
            }
        }
        throw error(node, field, "expected true or false, found \(kind(node))")
    }

    /// A non-negative integer; accepts `_` separators, `0x` hex, the binary size suffixes
    /// KiB / MiB / GiB (`64KiB` = 65536) and integer arithmetic on such terms with + - * / (no
    /// parentheses, * and / first): `1MiB+1`, which `{max_message_size}+1` becomes once a
    /// `requires` parameter is substituted, or `{max_message_size}/4+1`.
    func int(_ node: Node, _ field: String, range: ClosedRange<Int> = 0...Int.max) throws(CatalogError) -> Int {
        guard case let .scalar(s) = node, let v = NodeReader.parseInt(s.string) else {
            throw error(node, field, "expected a non-negative integer (e.g. 125, 0x7e, 64KiB), found \(kind(node))")
        }
        guard range.contains(v) else {
            throw error(node, field, "\(v) is out of range; valid: \(range.lowerBound)...\(range.upperBound)")
        }
        return v
    }

    static func parseInt(_ text: String) -> Int? {
        // Sums and differences of products and quotients, left to right, no parentheses
        // (`{max_message_size}/4+1`). Values are non-negative: a leading sign is not allowed.
        var total = 0
        var sign = 1
        var term = ""
        for ch in text + "+" {
            guard ch == "+" || ch == "-" else { term.append(ch); continue }
            guard let v = parseProduct(term) else { return nil }
            let (r, overflow) = total.addingReportingOverflow(sign * v)
            guard !overflow else { return nil }
            total = r
            sign = ch == "+" ? 1 : -1
            term = ""
        }
        return total >= 0 ? total : nil
    }

    private static func parseProduct(_ text: String) -> Int? {
        var value: Int?
        var op: Character = "*"
        var factor = ""
        for ch in text + "*" {
            guard ch == "*" || ch == "/" else { factor.append(ch); continue }
            guard let f = parseTerm(factor.trimmedOf(" ")) else { return nil }
            if let v = value {
                if op == "*" {
                    let (r, overflow) = v.multipliedReportingOverflow(by: f)
                    guard !overflow else { return nil }
                    value = r
                } else {
                    guard f != 0 else { return nil }
                    value = v / f
                }
            } else {
                value = f
            }
            op = ch
            factor = ""
        }
        return value
    }

    private static func parseTerm(_ text: String) -> Int? {
        var t = text.replacingOccurrences(of: "_", with: "")
        var factor = 1
        for (suffix, f) in [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30)] where t.hasSuffix(suffix) {
            t = String(t.dropLast(suffix.count)).trimmedOf(" ")
            factor = f
        }
        let value: Int?
        if t.hasPrefix("0x") || t.hasPrefix("0X") {
            value = Int(t.dropFirst(2), radix: 16)
        } else if !t.isEmpty, t.allSatisfy({ $0.isASCII && $0.isNumber }) {
            value = Int(t)
        } else {
            value = nil
        }
        guard let v = value else { return nil }
        let (r, overflow) = v.multipliedReportingOverflow(by: factor)
        return overflow ? nil : r
    }

    /// A duration: a number of seconds (`1`, `0.5`) or a number with `s` or `ms` (`10s`, `500ms`).
    func duration(_ node: Node, _ field: String) throws(CatalogError) -> Duration {
        guard case let .scalar(s) = node, let d = NodeReader.parseDuration(s.string) else {
            throw error(node, field, "expected a duration such as 1s, 0.5s, 500ms or 10 (seconds), found \(kind(node))")
        }
        return d
    }

    static func parseDuration(_ text: String) -> Duration? {
        var t = text.trimmedOf(" ")
        var unitNanos: Int64 = 1_000_000_000
        if t.hasSuffix("ms") {
            t.removeLast(2); unitNanos = 1_000_000
        } else if t.hasSuffix("s") {
            t.removeLast()
        }
        let parts = t.trimmedOf(" ").split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, parts[0].allSatisfy(\.isNumber) else { return nil }
        var nanos = whole * unitNanos
        if parts.count == 2 {
            let frac = parts[1]
            guard !frac.isEmpty, frac.count <= 9, frac.allSatisfy(\.isNumber), let f = Int64(frac) else { return nil }
            var scale: Int64 = 1
            for _ in 0..<frac.count { scale *= 10 }
            nanos += f * unitNanos / scale
        }
        return .nanoseconds(nanos)
    }

    func sequence(_ node: Node, _ field: String) throws(CatalogError) -> [Node] {
        guard case let .sequence(s) = node else { throw error(node, field, "expected a list, found \(kind(node))") }
        return Array(s)
    }

    func kind(_ node: Node) -> String {
        switch node {
        case let .scalar(s): isNull(node) && s.style != .singleQuoted && s.style != .doubleQuoted ? "null" : "\"\(s.string)\""
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func list(_ keys: [String]) -> String { keys.sorted().joined(separator: ", ") }

    /// The allowed word nearest to `word` if it is a plausible typo (edit distance ≤ 2).
    func closest(_ word: String, in candidates: [String]) -> String? {
        let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(1, x.count) where !x.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] == y[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return x.isEmpty ? y.count : row[y.count]
    }
}

/// The checked keys of one mapping.
struct Fields {
    let reader: NodeReader
    let node: Node
    let mapping: Node.Mapping
    /// The mapping by key. Yams's own `mapping[key]` compares whole nodes, resolving each key's tag
    /// with regular expressions: that made loading the catalog take 0.4 s.
    let values: [String: Node]
    let field: String

    /// The value of `key`, nil if absent or null.
    subscript(key: String) -> Node? {
        guard let v = values[key], !reader.isNull(v) else { return nil }
        return v
    }

    /// The value of `key` as written, null included.
    subscript(raw key: String) -> Node? { values[key] }

    func path(_ key: String) -> String { field.isEmpty ? key : "\(field).\(key)" }

    func has(_ key: String) -> Bool { self[key] != nil }

    func string(_ key: String) throws(CatalogError) -> String? {
        guard let v = self[key] else { return nil }
        return try reader.string(v, path(key))
    }

    func requiredString(_ key: String) throws(CatalogError) -> String {
        guard let s = try string(key) else { throw reader.error(node, field, "missing required key \"\(key)\"") }
        return s
    }

    func bool(_ key: String) throws(CatalogError) -> Bool? {
        guard let v = self[key] else { return nil }
        return try reader.bool(v, path(key))
    }

    func int(_ key: String, range: ClosedRange<Int> = 0...Int.max) throws(CatalogError) -> Int? {
        guard let v = self[key] else { return nil }
        return try reader.int(v, path(key), range: range)
    }

    func duration(_ key: String) throws(CatalogError) -> Duration? {
        guard let v = self[key] else { return nil }
        return try reader.duration(v, path(key))
    }

    func requiredDuration(_ key: String) throws(CatalogError) -> Duration {
        guard let d = try duration(key) else { throw reader.error(node, field, "missing required key \"\(key)\"") }
        return d
    }

    /// A string or a list of strings.
    func strings(_ key: String) throws(CatalogError) -> [String] {
        guard let v = self[key] else { return [] }
        if case .scalar = v { return [try reader.string(v, path(key))] }
        var out: [String] = []
        for (i, item) in try reader.sequence(v, path(key)).enumerated() {
            out.append(try reader.string(item, "\(path(key))[\(i)]"))
        }
        return out
    }
}
