import WSResultFormat

/// The diff as JSON (`wsconform.diff/1`) for scripts: the compared runs, counts per kind, warnings
/// and every transition except the unchanged ones.
public enum DiffJSON {
    /// The `schema` value of the document.
    public static let schema = "wsconform.diff/1"

    /// The document as a JSON value.
    public static func node(_ diff: ReportDiff) -> OrderedJSON {
        func runs(_ list: [ReportRun]) -> OrderedJSON {
            .array(list.map { r in
                .object([("label", .string(r.label)), ("agent", .string(r.agent)), ("source", .string(r.source)),
                         ("origin", .string(r.origin.rawValue)), ("cases", .int(r.cases.count))])
            })
        }
        func side(_ c: CaseRecord?) -> OrderedJSON {
            guard let c else { return .null }
            return .object([("behavior", .string(c.behavior)), ("behaviorClose", .string(c.behaviorClose)),
                            ("acceptable", .bool(c.isAcceptable)), ("remoteCloseCode", .optional(c.remoteCloseCode))])
        }
        return .object([
            ("schema", .string(schema)),
            ("old", runs(diff.old)),
            ("new", runs(diff.new)),
            ("counts", .object(ReportDiff.Kind.allCases.map { ($0.rawValue, .int(diff.count($0))) })),
            ("regressions", .bool(diff.hasRegressions)),
            ("warnings", .array(diff.warnings.map(OrderedJSON.string))),
            ("transitions", .array(diff.transitions.filter { $0.kind != .unchanged }.map { t in
                .object([
                    ("kind", .string(t.kind.rawValue)), ("id", .string(t.id)), ("agent", .optional(t.agent)),
                    ("title", .optional(t.title)), ("old", side(t.old)), ("new", side(t.new)),
                    ("details", .array(t.details.filter { !$0.isEmpty }.map(OrderedJSON.string))),
                ])
            })),
        ])
    }

    /// The document as text (2-space indent).
    public static func render(_ diff: ReportDiff) -> String { node(diff).render(indent: 2) + "\n" }
}
