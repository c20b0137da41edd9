import Foundation
import Testing
import WSBuiltinCatalog
import WSCatalog
import WSResults

/// The catalog the EmbedCatalog plugin builds into the code is the repository's `Cases` directory,
/// byte for byte: the same files, the same cases and digest, the same datasets.
@Suite struct BuiltinCatalogTests {
    @Test func sameCaseFilesAsTheDirectory() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.cases.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(BuiltinCatalog.caseFiles.map(\.name) == files)
        for file in BuiltinCatalog.caseFiles {
            #expect(file.text == (try String(contentsOf: Repo.cases.appendingPathComponent(file.name), encoding: .utf8)), "\(file.name)")
        }
        #expect(CatalogDigest.builtin == CatalogDigest.compute(directory: Repo.cases))
    }

    @Test func sameCasesAsTheDirectory() throws {
        let builtin = try CatalogLoader.loadBuiltin()
        let directory = try Shipped.catalog()
        #expect(builtin.ids == directory.ids)
        #expect(builtin.cases.count == directory.cases.count)
        #expect(builtin.dataDirectory == nil)
        #expect(builtin.cases.first?.source.file == "Cases/01-framing.yaml")
    }

    @Test func datasetsComeFromTheBuiltinCopies() throws {
        for dataset in Dataset.all where dataset.origin == .file {
            let embedded = try dataset.load(dataDirectory: nil)
            let file = [UInt8](try Data(contentsOf: Repo.cases.appendingPathComponent("data/\(dataset.name)")))
            #expect(embedded == file, "\(dataset.name)")
        }
        #expect(BuiltinCatalog.dataFile(named: "no-such-file") == nil)
    }

    @Test func sectionParametersApplyToTheBuiltinCatalog() throws {
        let without = try CatalogLoader.loadBuiltin()
        let with = try CatalogLoader.loadBuiltin(parameters: [.maxMessageSize: 1 << 20])
        #expect(without.cases.contains { !$0.missingParameters.isEmpty })
        #expect(with.cases.allSatisfy { $0.missingParameters.isEmpty })
    }
}
