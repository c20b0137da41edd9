import ArgumentParser
import Foundation
import WSConformance

struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "List, show or validate the conformance cases.",
        subcommands: [List.self, Show.self, Validate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases by section (all, or those matching patterns such as 6.4.* or 1*).",
            usage: "wsconform cases list [<options>] [<patterns> ...]")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
        var catalog: String?
        @Argument(help: "Case patterns, e.g. 6.4.* 2.1 9.*")
        var patterns: [String] = []

        func run() throws {
            global.apply()
            let (cat, _) = try CatalogLocator.load(catalog)
            var chosen: [TestCase]?
            if !patterns.isEmpty {
                do { chosen = try CaseSelection(catalog: cat, include: patterns.flatMap(splitPatterns)).cases } catch {
                    throw ValidationError("\(error)")
                }
            }
            print(CatalogText.list(cat, cases: chosen))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything about one case.")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
        var catalog: String?
        @Argument(help: "A case id, e.g. 6.4.1")
        var id: String

        func run() throws {
            global.apply()
            let (cat, _) = try CatalogLocator.load(catalog)
            guard let caseID = CaseID(id) else { throw ValidationError("\"\(id)\" is not a case id (numbers separated by dots, e.g. 6.4.1)") }
            guard let c = cat[caseID] else {
                throw ValidationError("no case \(id); 'wsconform cases list' shows them all")
            }
            print(CatalogText.show(c, in: cat))
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check case files; errors are reported as file:line:column: field: message (exit 2).",
            usage: "wsconform cases validate [<options>] [<paths> ...]")

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
        var catalog: String?
        @Argument(help: "Catalog directories or case files (default: the catalog built into wsconform).")
        var paths: [String] = []

        func run() throws {
            global.apply()
            let given = (catalog.map { [$0] } ?? []) + paths
            let (ok, text) = given.isEmpty ? CatalogText.validateBuiltin() : CatalogText.validate(paths: given.map { URL(fileURLWithPath: $0) })
            if ok {
                print(text)
            } else {
                throw CaseFileFailure(text)
            }
        }
    }
}

/// `--cases '1.*,2.*'` and repeated options both work.
func splitPatterns(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
