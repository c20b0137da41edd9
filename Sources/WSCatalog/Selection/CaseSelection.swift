/// "Exclude these case patterns for agents matching this pattern" (Autobahn's `exclude-agent-cases`).
/// Both patterns are anchored at both ends, as in Autobahn: `Skip*` with `2.*` skips 2.1 but not 12.1.
public struct AgentExclusion: Sendable, Hashable {
    public var agentPattern: String
    public var casePatterns: [String]

    public init(agentPattern: String, casePatterns: [String]) {
        self.agentPattern = agentPattern
        self.casePatterns = casePatterns
    }

    public func excludes(agent: String, case id: CaseID) -> Bool {
        Glob.matches(agentPattern, agent, anchoredAtEnd: true)
            && casePatterns.contains { Glob.matches($0, id.description, anchoredAtEnd: true) }
    }
}

/// The cases chosen by include and exclude patterns.
public struct CaseSelection: Sendable {
    /// Selected cases, de-duplicated, sorted by numeric id.
    public let cases: [TestCase]
    /// Things worth telling the user that are not errors (Autobahn syntax only: wildcard patterns
    /// that matched nothing).
    public let warnings: [String]

    /// Union of `include` minus union of `exclude`. Literal ids must exist (Autobahn would crash on
    /// an unknown one in `cases`). In wsconform syntax any pattern that matches nothing is an error
    /// (it is almost always a typo); in Autobahn syntax a wildcard or excluded id that matches
    /// nothing is only a warning, as Autobahn ignores it. With `role`, only the cases that test that
    /// kind of peer are candidates (`test-server` passes `.serverUnderTest`). Autobahn syntax (spec
    /// files) selects among Autobahn's own sections only (`CaseCatalog.autobahnSections`).
    public init(catalog: CaseCatalog, include: [String], exclude: [String] = [], syntax: PatternSyntax = .wsconform,
                role: CaseRole? = nil) throws(PatternError) {
        var warnings: [String] = []
        // An Autobahn spec file speaks of Autobahn's catalog: its "*" is the 517 cases, as there.
        let candidates = catalog.cases.filter { c in
            (role.map(c.tests) ?? true) && (syntax == .wsconform || CaseCatalog.autobahnSections.contains(c.id.section))
        }
        func resolve(_ texts: [String], excluding: Bool) throws(PatternError) -> Set<CaseID> {
            var ids: Set<CaseID> = []
            for text in texts {
                let p = try CasePattern(text, syntax: syntax)
                let hits = candidates.lazy.map(\.id).filter { p.matches($0) }
                if hits.isEmpty {
                    if let role, catalog.cases.contains(where: { p.matches($0.id) }) {
                        if excluding { continue }
                        throw PatternError(pattern: text, message: "matches only cases that do not test a "
                            + (role == .serverUnderTest ? "server" : "client") + " (see their roles)")
                    }
                    if p.isLiteral && !(excluding && syntax == .autobahn) {
                        throw PatternError(pattern: text, message: "no case has this id"
                            + (syntax == .wsconform ? " (for a whole subsection write \(text).*)" : ""))
                    }
                    if syntax == .wsconform {
                        let sections = catalog.sections.map { String($0.number) }.joined(separator: ", ")
                        throw PatternError(pattern: text, message: "matches no case (sections: \(sections))")
                    }
                    warnings.append("pattern \"\(text)\" matches no case")
                }
                ids.formUnion(hits)
            }
            return ids
        }
        let chosen = try resolve(include, excluding: false).subtracting(try resolve(exclude, excluding: true))
        self.cases = candidates.filter { chosen.contains($0.id) }
        self.warnings = warnings
    }

    public var ids: [CaseID] { cases.map(\.id) }

    /// The cases to run for one agent after `exclude-agent-cases`.
    public func cases(forAgent agent: String, excluding rules: [AgentExclusion]) -> [TestCase] {
        cases.filter { c in !rules.contains { $0.excludes(agent: agent, case: c.id) } }
    }
}
