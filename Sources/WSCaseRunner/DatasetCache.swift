import Foundation
import NIOConcurrencyHelpers
import WSCatalog

/// Datasets of sections 12/13 loaded (or generated) once per run and shared by its cases.
package final class DatasetCache: Sendable {
    private let loaded = NIOLockedValueBox<[String: [UInt8]]>([:])
    /// Where the dataset files are; nil: the copies built into wsconform.
    package let directory: URL?

    package init(directory: URL?) {
        self.directory = directory
    }

    /// Loads every dataset the cases use; throws the first one that is missing or has the wrong size.
    package func preload(_ cases: [TestCase]) throws(DatasetError) {
        for name in Set(cases.compactMap(\.datasetName)).sorted() {
            _ = try bytes(name)
        }
    }

    package func bytes(_ name: String) throws(DatasetError) -> [UInt8] {
        if let hit = loaded.withLockedValue({ $0[name] }) { return hit }
        guard let dataset = Dataset.named(name) else { throw DatasetError(message: "unknown dataset \(name)") }
        let bytes: [UInt8]
        do {
            bytes = try dataset.load(dataDirectory: directory)
        } catch let error as DatasetError {
            throw error
        } catch {
            throw DatasetError(message: "\(error)")
        }
        loaded.withLockedValue { $0[name] = bytes }
        return bytes
    }

    /// The dataset a case's round trips use, if any (already loaded by `preload`).
    package func bytes(for testCase: TestCase) -> [UInt8]? {
        guard let name = testCase.datasetName else { return nil }
        return try? bytes(name)
    }
}
