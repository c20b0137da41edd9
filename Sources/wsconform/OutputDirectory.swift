import ArgumentParser
import Foundation
import WSConformance
import WSReports

/// The `--out` directory of a run. It is checked before anything runs (a usage error, exit 2, when
/// it cannot be used) and written only once the peer has answered, so a typo or an unreachable
/// server never costs the results of an earlier run.
enum OutputDirectory {
    /// The files of a finished or interrupted test-server run in one result directory.
    static let resultFiles = ["results.jsonl", "results.json"]

    /// Throws a one-line usage error when `dir` (or a parent) is a file, or when it holds the results
    /// of an earlier run and `force` is false.
    static func check(_ dir: URL, resultDirs: [URL], force: Bool) throws {
        try checkIsDirectory(dir)
        guard !force else { return }
        for d in resultDirs {
            for name in resultFiles where FileManager.default.fileExists(atPath: d.appendingPathComponent(name).path) {
                throw ValidationError("--out \(dir.path) holds the results of an earlier run (\(d.appendingPathComponent(name).path)); pass --force to replace them, or choose another --out.")
            }
        }
    }

    /// Throws a one-line usage error when `dir`, or the nearest existing parent, is not a directory.
    static func checkIsDirectory(_ dir: URL) throws {
        var url = dir.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return }
                let what = url.path == dir.standardizedFileURL.path ? "is a file" : "is inside \(url.path), which is a file"
                throw ValidationError("--out \(dir.path) \(what); give a directory (created if missing).")
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return }
            url = parent
        }
    }
}

/// A run's `results.jsonl`, created only when the first result is ready to be written, i.e. once
/// the server answered. Creating it replaces an earlier run in that directory (allowed by
/// `OutputDirectory.check`): the old journal is truncated and the old results.json removed, so
/// the directory never mixes two runs.
actor PendingJournal {
    let url: URL
    private var journal: ResultsJournal?
    private(set) var failure: String?
    /// Each case's line as written, for results.json (rendered once, not again at the end).
    private(set) var lines: [CaseID: String] = [:]
    /// The same lines as the reports read them, decoded as the cases finish so that the reports
    /// are rendered at the end without reading results.json back.
    private(set) var records: [CaseRecord] = []
    private let decoder = JSONDecoder()

    init(directory: URL) {
        url = directory.appendingPathComponent("results.jsonl")
    }

    /// Creates the journal now (idempotent); false when it cannot be created (see `failure`).
    @discardableResult
    func open() -> Bool {
        if journal != nil { return true }
        if failure != nil { return false }
        do {
            try? FileManager.default.removeItem(at: url.deletingLastPathComponent().appendingPathComponent("results.json"))
            journal = try ResultsJournal(url: url)
            return true
        } catch {
            failure = "cannot create \(url.path): \(error.localizedDescription)"
            return false
        }
    }

    func append(_ id: CaseID, _ node: OrderedJSON) {
        guard open() else { return }
        let line = node.render()
        lines[id] = line
        journal?.append(line: line)
        if let record = try? decoder.decode(CaseRecord.self, from: Data(line.utf8)) { records.append(record) }
    }

    /// Waits for every line to be on disk and closes the file; returns the first write error.
    func close() -> String? {
        guard let journal else { return nil }
        let error = journal.flush()
        journal.close()
        self.journal = nil
        return error.map { "cannot append to \(url.path): \($0)" }
    }
}
