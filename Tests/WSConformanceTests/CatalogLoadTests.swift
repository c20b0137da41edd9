import Testing
@testable import WSConformance

@Suite struct CatalogLoadTests {
    @Test func loadsWithoutErrors() throws {
        if case let .failure(e) = Shipped.result { Issue.record("\(e)") }
        let c = try Shipped.catalog()
        #expect(c.cases.count > 0)
    }
}
