import Foundation
import Testing

/// Keeps the committed seed files equal to `SeedCorpus`. Run with `WSFUZZ_WRITE_SEEDS=1` (what
/// `scripts/fuzz.sh seeds` does) to write them after changing the list.
@Suite("Fuzz seed corpus")
struct SeedCorpusTests {
    static let writing = ProcessInfo.processInfo.environment["WSFUZZ_WRITE_SEEDS"] == "1"

    @Test("committed seed files match SeedCorpus", arguments: SeedCorpus.all)
    func seedFile(seed: Seed) throws {
        let url = FuzzPaths.folder(seed.target).appendingPathComponent("corpus/\(seed.fileName)")
        if Self.writing {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(seed.bytes).write(to: url)
        }
        let committed = try [UInt8](Data(contentsOf: url))
        #expect(committed == seed.bytes, "\(seed) differs from SeedCorpus (run scripts/fuzz.sh seeds)")
    }

    @Test("seed names are unique per target")
    func uniqueNames() {
        let names = SeedCorpus.all.map(\.description)
        #expect(Set(names).count == names.count)
    }

    @Test("no stale seed files")
    func noStaleSeeds() {
        let expected = Set(SeedCorpus.all.map(\.description))
        let committed = SeedCorpus.all.map(\.target).flatMap { target in
            FuzzPaths.files(target, "corpus").map { "\(target)/\($0.lastPathComponent)" }.filter { $0.contains("/seed-") }
        }
        #expect(Set(committed).subtracting(expected).isEmpty, "seed files no longer in SeedCorpus")
    }
}
