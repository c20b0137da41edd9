import Foundation
import Testing
@testable import WSCatalog

@Suite struct CatalogTextTests {
    @Test func listHasEveryCaseUnderItsSection() throws {
        let c = try Shipped.catalog()
        let text = CatalogText.list(c)
        #expect(text.contains("6  UTF-8 Handling (145 cases)"))
        #expect(text.contains("  6.4.1") && text.hasSuffix("\n" + CatalogText.counts(c)))
        #expect(CatalogText.counts(c).hasPrefix("760 cases: 517 of Autobahn (sections 1-13), 243 of wsconform's own (sections 20-28); "))
        let sel = try CaseSelection(catalog: c, include: ["2.*"])
        let two = CatalogText.list(c, cases: sel.cases)
        #expect(two.split(separator: "\n").filter { $0.hasPrefix("  2.") }.count == 11)
    }

    @Test func showExplainsACase() throws {
        let c = try Shipped.catalog()
        let text = CatalogText.show(try #require(c[CaseID("6.4.3")!]), in: c)
        #expect(text.hasPrefix("6.4.3  "))
        #expect(text.contains("Section 6 UTF-8 Handling / Fail-fast on invalid UTF-8"))
        #expect(text.contains("frame header text, FIN clear, announcing 21 octets"))
        #expect(text.contains("barrier A (auto, at most 1s)"))
        #expect(text.contains("NON-STRICT if the events are exactly [timeout A, timeout B]"))
        #expect(text.contains("wrong closing side fails the case"))
        #expect(text.contains("Cases/06-utf8.yaml:"))
        let msg = CatalogText.show(try #require(c[CaseID("6.2.3")!]), in: c)
        #expect(msg.contains("in 30 frames"))
        #expect(CatalogText.show(try #require(c[CaseID("6.5.1")!]), in: c).contains("after 500ms"))
    }

    @Test func validateReportsErrorsOrASummary() throws {
        let good = CatalogText.validate(paths: [Repo.cases])
        #expect(good.ok && good.text == "OK: 760 cases in 20 sections")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x.yaml")
        try LoaderErrorTests.good.replacingOccurrences(of: "opcode: ping", with: "opcode: pingg").write(to: file, atomically: true, encoding: .utf8)
        let bad = CatalogText.validate(paths: [dir])
        #expect(!bad.ok)
        #expect(bad.text.contains("x.yaml:10:") && bad.text.contains("unknown opcode \"pingg\"") && bad.text.hasSuffix("1 error"))
    }
}
