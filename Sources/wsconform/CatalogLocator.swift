import ArgumentParser
import Foundation
import WSConformance

/// Loads the case catalog: the directory given with `--catalog DIR`, else the catalog built into
/// the binary (so wsconform runs alone, from any directory).
enum CatalogLocator {
    /// The `--catalog` help every command shows.
    static let optionHelp = "A directory of case files to use instead of the catalog built into wsconform (its datasets in DIR/data)."

    static func load(_ explicit: String?, parameters: [CatalogParameter: Int] = [:]) throws -> (CaseCatalog, CatalogSource) {
        guard let explicit else {
            do {
                return (try CatalogLoader.loadBuiltin(parameters: parameters), .builtin)
            } catch {
                throw CaseFileFailure("the catalog built into wsconform is invalid (rebuild it):\n\(error)")
            }
        }
        let dir = URL(fileURLWithPath: explicit)
        do {
            return (try CatalogLoader.load(directory: dir, parameters: parameters), .directory(dir))
        } catch {
            throw CaseFileFailure("invalid case files in \(dir.path):\n\(error)\n\(error.errors.count) error\(error.errors.count == 1 ? "" : "s")")
        }
    }

    /// What `wsconform --version` says about the built-in catalog.
    static var builtinSummary: String {
        guard let catalog = try? CatalogLoader.loadBuiltin() else { return "built-in catalog: INVALID (rebuild wsconform)" }
        return "built-in catalog: \(catalog.cases.count) cases in \(catalog.sections.count) sections (\(CatalogDigest.builtin))"
    }
}

/// Where a run's catalog came from, as results.json records it.
enum CatalogSource {
    case builtin
    case directory(URL)

    var digest: String {
        switch self {
        case .builtin: CatalogDigest.builtin
        case let .directory(dir): CatalogDigest.compute(directory: dir)
        }
    }

    /// The directory's path; nil for the built-in catalog.
    var path: String? {
        switch self {
        case .builtin: nil
        case let .directory(dir): dir.path
        }
    }
}

/// Invalid case files: printed in full, exit status 2.
struct CaseFileFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
