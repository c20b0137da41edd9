import Foundation
import Testing
import WSFuzzSupport

/// Replays every committed input (seeds, minimised corpus entries and crash regressions) through its
/// target's properties in the normal test run, so a regression shows up without libFuzzer.
@Suite("Fuzz corpus replay")
struct CorpusReplayTests {
    @Test("every committed input passes its target's properties", arguments: FuzzTarget.all.map(\.name))
    func replay(targetName: String) throws {
        let target = try #require(FuzzTarget.named(targetName))
        let inputs = FuzzPaths.files(targetName, "corpus") + FuzzPaths.files(targetName, "regressions")
        #expect(!inputs.isEmpty, "\(targetName) has no committed inputs")
        for file in inputs {
            let bytes = try [UInt8](Data(contentsOf: file))
            #expect(throws: Never.self, "\(targetName)/\(file.lastPathComponent)") { try target.run(bytes) }
        }
    }

    @Test("every target has its folder, dictionary and options", arguments: FuzzTarget.all.map(\.name))
    func layout(targetName: String) throws {
        let folder = FuzzPaths.folder(targetName)
        for file in ["\(targetName).swift", "\(targetName).dict", "\(targetName).options"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(targetName)/\(file)")
        }
        let options = try String(contentsOf: folder.appendingPathComponent("\(targetName).options"), encoding: .utf8)
        #expect(options.contains("[libfuzzer]") && options.contains("dict = \(targetName).dict"))
        // libFuzzer refuses a dictionary it cannot parse: entries are name="value" with \xNN escapes.
        let dict = try String(contentsOf: folder.appendingPathComponent("\(targetName).dict"), encoding: .utf8)
        let entries = dict.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(entries.count >= 10)
        for entry in entries {
            #expect(entry.wholeMatch(of: /[A-Za-z0-9_]+="([\x20-\x21\x23-\x5B\x5D-\x7E]|\\x[0-9a-f]{2}|\\\\|\\")*"/) != nil,
                    "\(targetName).dict: \(entry)")
        }
    }

    @Test("the target list matches the folders under Fuzz/")
    func targetsMatchFolders() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: FuzzPaths.root.appendingPathComponent("Fuzz").path)
        let folders = Set(names.filter { $0.hasPrefix("Fuzz") })
        #expect(folders == Set(FuzzTarget.all.map(\.name)))
    }
}
