import Foundation
import Testing
@testable import WSCatalog

/// The case counts the documentation quotes come from the code: `wsconform cases list` prints
/// `CatalogText.counts`, and every count in the READMEs must agree with it.
@Suite struct CaseCountTests {
    struct Counts {
        var total, autobahn, own, servers, clients: Int
    }

    static func counts() throws -> Counts {
        let catalog = try Shipped.catalog()
        let autobahn = catalog.cases.filter { CatalogText.autobahnSections.contains($0.id.section) }.count
        return Counts(total: catalog.cases.count, autobahn: autobahn, own: catalog.cases.count - autobahn,
                      servers: catalog.cases.filter { $0.tests(.serverUnderTest) }.count,
                      clients: catalog.cases.filter { $0.tests(.clientUnderTest) }.count)
    }

    @Test("The README quotes the line 'wsconform cases list' ends with")
    func readmeQuotesTheTool() throws {
        let line = CatalogText.counts(try Shipped.catalog())
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(line), "README.md should quote: \(line)")
        #expect(CatalogText.list(try Shipped.catalog()).hasSuffix("\n" + line))
    }

    @Test("Every count in README.md and Cases/README.md agrees with the catalog", arguments: ["README.md", "Cases/README.md"])
    func documentedCounts(_ file: String) throws {
        let c = try Self.counts()
        let text = try String(contentsOf: Repo.root.appendingPathComponent(file), encoding: .utf8)
            .replacingOccurrences(of: "\n", with: " ")
        let rules: [(Regex<(Substring, Substring)>, Int, String)] = [
            (#/Autobahn's (\d+)(?![\d-])/#, c.autobahn, "Autobahn's N"),
            (#/(\d+) (?:cases )?of wsconform's own/#, c.own, "N of wsconform's own"),
            (#/wsconform's own (\d+)/#, c.own, "wsconform's own N"),
            (#/(\d+) (?:that )?test a server/#, c.servers, "N test a server"),
            (#/(\d+) (?:that )?test a client/#, c.clients, "N test a client"),
            (#/(\d+) cases: /#, c.total, "N cases:"),
        ]
        for (regex, expected, what) in rules {
            for m in text.matches(of: regex) {
                #expect(Int(m.output.1) == expected, "\(file): \"\(m.output.0)\" — \(what) is \(expected)")
            }
        }
    }
}
