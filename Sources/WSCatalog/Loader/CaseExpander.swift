import Yams

/// A case mapping after its template was merged in and its `vary` parameters substituted.
struct ExpandedCase {
    let node: Node
    /// "n=3, len=126" for generated cases; nil for a plain case.
    let parameters: String?
    /// Parameters in `requires` that the run did not supply (their probe values were used).
    var missing: [CatalogParameter] = []
}

/// Turns one case entry into one or more plain case mappings.
///
/// * `template: name` — the named mapping from the file's `templates` is the base; the case's own
///   keys replace the template's keys of the same name (whole values, no deep merge).
/// * `vary` — either a mapping `name: [values]` whose lists all have the same length and are
///   zipped (case i takes the i-th value of every list), or a list of such mappings whose zips are
///   combined as a cartesian product (the first mapping varies slowest).
/// * Substitution — in every string of the case, `{name}` becomes the value's text; a string that
///   is exactly `{name}` becomes the value itself (a number, a mapping, null...). Inside a varied
///   case an unknown `{name}` is an error (write literal braces as hex payloads).
struct CaseExpander {
    var reader: NodeReader
    let templates: [String: Node]
    /// Values for `requires` parameters; absent ones get their probe value and are reported missing.
    var parameters: [CatalogParameter: Int] = [:]

    func expand(_ entry: Node, field: String) throws(CatalogError) -> [ExpandedCase] {
        guard case let .mapping(m) = entry else {
            throw reader.error(entry, field, "expected a case mapping, found \(reader.kind(entry))")
        }
        var pairs: [(Node, Node)] = []
        if let t = m["template"] {
            let name = try reader.string(t, "\(field).template")
            guard let base = templates[name], case let .mapping(tm) = base else {
                throw reader.error(t, "\(field).template",
                                   "no template named \"\(name)\"; templates in this file: \(reader.list(Array(templates.keys)))")
            }
            pairs = tm.map { ($0.key, $0.value) }
        }
        for (k, v) in m {
            let key = k.scalar?.string ?? ""
            if key == "template" || key == "vary" { continue }
            if let i = pairs.firstIndex(where: { $0.0.scalar?.string == key }) { pairs[i] = (k, v) } else { pairs.append((k, v)) }
        }
        let merged = Node.mapping(Node.Mapping(pairs, .implicit, .any, m.mark))
        let (runtime, missing) = try runtimeBindings(merged, field: field)
        guard let varyNode = m["vary"], !reader.isNull(varyNode) else {
            if runtime.isEmpty { return [ExpandedCase(node: merged, parameters: nil)] }
            return [ExpandedCase(node: try substitute(merged, runtime, field: field), parameters: nil, missing: missing)]
        }

        let combos = try combinations(varyNode, "\(field).vary").map { $0 + runtime }
        var out: [ExpandedCase] = []
        for combo in combos {
            let text = combo.map { "\($0.name)=\(reader.kind($0.value).trimmedOf("\""))" }.joined(separator: ", ")
            // Name the generated case in errors: "case 1.1.3 (vary n=3, len=126) ".
            var named = CaseExpander(reader: reader, templates: templates)
            named.reader.context = "(vary \(text)) "
            if let idNode = m["id"], let id = try? named.substitute(idNode, combo, field: field), let idText = id.scalar?.string {
                named.reader.context = "case \(idText) " + named.reader.context
            }
            out.append(ExpandedCase(node: try named.substitute(merged, combo, field: field), parameters: text, missing: missing))
        }
        return out
    }

    /// Bindings for the parameters the case `requires`, and which of them the run did not supply.
    private func runtimeBindings(_ merged: Node, field: String) throws(CatalogError) -> ([Binding], [CatalogParameter]) {
        guard let node = merged.mapping?["requires"], !reader.isNull(node) else { return ([], []) }
        let names: [Node] = if case let .sequence(s) = node { Array(s) } else { [node] }
        var bindings: [Binding] = []
        var missing: [CatalogParameter] = []
        for n in names {
            let name = try reader.string(n, "\(field).requires")
            guard let p = CatalogParameter(rawValue: name) else {
                throw reader.error(n, "\(field).requires",
                                   "unknown parameter \"\(name)\"; valid: \(reader.list(CatalogParameter.allCases.map(\.rawValue)))")
            }
            let value = parameters[p] ?? p.defaultValue ?? p.probeValue
            if parameters[p] == nil && p.defaultValue == nil { missing.append(p) }
            bindings.append((name, .scalar(Node.Scalar(String(value)))))
        }
        return (bindings, missing)
    }

    typealias Binding = (name: String, value: Node)

    private func combinations(_ node: Node, _ field: String) throws(CatalogError) -> [[Binding]] {
        var groups: [Node] = []
        switch node {
        case .mapping: groups = [node]
        case let .sequence(s): groups = Array(s)
        default: throw reader.error(node, field, "expected a mapping of parameter lists, or a list of such mappings")
        }
        guard !groups.isEmpty else { throw reader.error(node, field, "vary needs at least one parameter") }
        var names: Set<String> = []
        var result: [[Binding]] = [[]]
        for (gi, group) in groups.enumerated() {
            let gField = groups.count > 1 ? "\(field)[\(gi)]" : field
            guard case let .mapping(gm) = group else {
                throw reader.error(group, gField, "expected a mapping of parameter name to list of values")
            }
            var columns: [(String, [Node])] = []
            for (k, v) in gm {
                let name = k.scalar?.string ?? ""
                guard isIdentifier(name) else {
                    throw reader.error(k, gField, "parameter name \"\(name)\" must be letters, digits and _ (not starting with a digit)")
                }
                guard names.insert(name).inserted else { throw reader.error(k, gField, "parameter \"\(name)\" is defined twice") }
                let values = try reader.sequence(v, "\(gField).\(name)")
                if let first = columns.first, first.1.count != values.count {
                    throw reader.error(v, "\(gField).\(name)", "has \(values.count) values but \(first.0) has \(first.1.count); "
                        + "lists in one vary mapping are zipped and must have the same length")
                }
                columns.append((name, values))
            }
            guard let rows = columns.first?.1.count, rows > 0 else { throw reader.error(group, gField, "vary lists must not be empty") }
            var next: [[Binding]] = []
            for prefix in result {
                for r in 0..<rows { next.append(prefix + columns.map { ($0.0, $0.1[r]) }) }
            }
            result = next
        }
        return result
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let f = s.first, f == "_" || (f.isASCII && f.isLetter) else { return false }
        return s.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    }

    func substitute(_ node: Node, _ combo: [Binding], field: String) throws(CatalogError) -> Node {
        switch node {
        case let .scalar(s):
            let pieces = placeholders(in: s.string)
            if pieces.isEmpty { return node }
            func value(_ name: String) throws(CatalogError) -> Node {
                guard let b = combo.first(where: { $0.name == name }) else {
                    throw reader.error(node, field, "unknown vary parameter {\(name)}; parameters: \(reader.list(combo.map(\.name)))")
                }
                return b.value
            }
            if pieces.count == 1, pieces[0].range == s.string.startIndex..<s.string.endIndex {
                // The value may itself use other parameters (a payload of {max_message_size} octets).
                return try substitute(try value(pieces[0].name), combo.filter { $0.name != pieces[0].name }, field: field)
            }
            var text = ""
            var cursor = s.string.startIndex
            for p in pieces {
                text += s.string[cursor..<p.range.lowerBound]
                let v = try value(p.name)
                guard case let .scalar(vs) = v else {
                    throw reader.error(node, field, "{\(p.name)} is a \(reader.kind(v)) and cannot be inserted into a string")
                }
                text += reader.isNull(v) ? "" : vs.string
                cursor = p.range.upperBound
            }
            text += s.string[cursor...]
            return .scalar(Node.Scalar(text, .implicit, s.style == .plain ? .doubleQuoted : s.style, s.mark))
        case let .mapping(m):
            var pairs: [(Node, Node)] = []
            for (k, v) in m { pairs.append((k, try substitute(v, combo, field: field))) }
            return .mapping(Node.Mapping(pairs, m.tag, m.style, m.mark))
        case let .sequence(seq):
            var items: [Node] = []
            for item in seq { items.append(try substitute(item, combo, field: field)) }
            return .sequence(Node.Sequence(items, seq.tag, seq.style, seq.mark))
        case .alias:
            return node
        }
    }

    /// `{identifier}` occurrences in order.
    private func placeholders(in s: String) -> [(name: String, range: Range<String.Index>)] {
        var out: [(String, Range<String.Index>)] = []
        var i = s.startIndex
        while let open = s[i...].firstIndex(of: "{") {
            guard let close = s[open...].firstIndex(of: "}") else { break }
            let name = String(s[s.index(after: open)..<close])
            if isIdentifier(name) {
                out.append((name, open..<s.index(after: close)))
            }
            i = s.index(after: open)
            if isIdentifier(name) { i = s.index(after: close) }
        }
        return out
    }
}
