import ArgumentParser
import Foundation

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
