import ArgumentParser
import WSConformance

/// Which cases a run takes, for test-server and test-client alike: the command line's patterns
/// (wsconform syntax) when given, else the spec file's (Autobahn's prefix rules), else all; the
/// spec's exclusions apply only with its own cases.
struct PlanSelection {
    var selection: CaseSelection
    var patterns: (include: [String], exclude: [String], syntax: PatternSyntax)

    init(catalog: CaseCatalog, cases: [String], exclude: [String], specCases: [String]?, specExclude: [String],
         role: CaseRole) throws {
        let cliInclude = cases.flatMap(splitPatterns)
        let cliExclude = exclude.flatMap(splitPatterns)
        var include = cliInclude.isEmpty ? ["*"] : cliInclude
        var excluded = cliExclude
        var syntax = PatternSyntax.wsconform
        if let specCases, cliInclude.isEmpty {
            include = specCases
            excluded = specExclude + cliExclude
            syntax = .autobahn
        }
        do {
            selection = try CaseSelection(catalog: catalog, include: include, exclude: excluded, syntax: syntax, role: role)
        } catch {
            throw ValidationError("\(error)")
        }
        for w in selection.warnings { Log.info(w) }
        patterns = (include, excluded, syntax)
    }
}
