import Foundation
import WSCatalog

/// Writes each finding as a catalog file of its own (one case), loadable by `wsconform cases
/// validate DIR` and runnable with `wsconform test-server --catalog DIR`. The text is loaded back
/// before it is written, so a file the loader would reject is never left behind.
public struct FuzzFindingWriter: Sendable {
    public var directory: URL
    public var section: Int
    public var sectionTitle: String
    /// `fuzz-server` or `fuzz-client`, and what it ran against, for the file's comments.
    public var command: String
    public var target: String
    public var seed: UInt64

    public init(directory: URL, section: Int, sectionTitle: String, command: String, target: String, seed: UInt64) {
        self.directory = directory
        self.section = section
        self.sectionTitle = sectionTitle
        self.command = command
        self.target = target
        self.seed = seed
    }

    /// The file name of a finding: `90-fuzz-server-seed42-seq17.yaml`.
    public func fileName(_ f: FuzzFinding) -> String {
        "\(section)-\(command)-seed\(seed)-seq\(f.original.index).yaml"
    }

    /// The file's text.
    public func text(_ f: FuzzFinding) -> String {
        var c = f.testCase
        c.notes.insert("Finding: \(f.kind) (\(f.kind.meaning)). \(f.detail)", at: 0)
        if f.sequence != f.original {
            c.notes.append("Shrunk from sequence \(f.original.index) as generated: \(f.original.items.count) item(s) before the "
                + (f.original.violation == nil ? "Close" : "violation") + ", now \(f.sequence.items.count).")
        }
        if f.duplicates > 0 { c.notes.append("\(f.duplicates) other sequence(s) of the run showed the same (\(f.signature)).") }
        var comments = ["Found by: wsconform \(command) \(target) --seed \(seed) (sequence \(f.original.index))",
                        "\(f.kind): \(f.kind.meaning)"]
        if let reproduced = f.reproduced { comments.append(reproduced ? "Reproduced when re-run." : "Did NOT reproduce when re-run.") }
        // Masking makes a sequence mean what it says in one role only.
        c.roles = command == "fuzz-client" ? [.clientUnderTest] : [.serverUnderTest]
        return FuzzCaseYAML.file(section: section, title: sectionTitle, cases: [c], comments: comments)
    }

    /// Checks the text with the catalog loader, then writes it; returns the file.
    public func write(_ f: FuzzFinding) throws(NetFuzzError) -> URL {
        let name = fileName(f)
        let text = text(f)
        do {
            _ = try CatalogLoader.load(sources: [(name, text)])
        } catch {
            throw .cannotWrite("internal error: the finding file \(name) does not load: \(error)")
        }
        let url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            throw .cannotWrite("cannot write \(url.path): \(error.localizedDescription)")
        }
        return url
    }
}
