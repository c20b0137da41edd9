import Foundation
@testable import WSCatalog

/// Paths inside the repository, found from this file's location (no bundle resources needed).
enum Repo {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let cases = root.appendingPathComponent("Cases")
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
}

/// The shipped catalog, loaded once for all tests.
enum Shipped {
    static let result: Result<CaseCatalog, CatalogErrors> = {
        do throws(CatalogErrors) { return .success(try CatalogLoader.load(directory: Repo.cases)) } catch { return .failure(error) }
    }()

    static func catalog() throws -> CaseCatalog { try result.get() }
}
