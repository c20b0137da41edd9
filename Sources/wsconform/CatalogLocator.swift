import ArgumentParser
import Foundation
import WSConformance

/// Finds and loads the case catalog: `--catalog DIR`, else `./Cases`, else the `Cases` directory of
/// the package the executable was built in (it lives in `<package>/.build/<config>/`).
enum CatalogLocator {
    static func directory(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        let fm = FileManager.default
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("Cases")
        if hasCases(cwd) { return cwd }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Cases")
            if hasCases(candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw ValidationError("no case catalog found: there is no ./Cases directory and none next to the executable; pass --catalog DIR")
    }

    static func load(_ explicit: String?, parameters: [CatalogParameter: Int] = [:]) throws -> (CaseCatalog, URL) {
        let dir = try directory(explicit)
        do {
            return (try CatalogLoader.load(directory: dir, parameters: parameters), dir)
        } catch {
            throw CaseFileFailure("invalid case files in \(dir.path):\n\(error)\n\(error.errors.count) error\(error.errors.count == 1 ? "" : "s")")
        }
    }

    private static func hasCases(_ url: URL) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.contains { $0.hasSuffix(".yaml") }
    }
}

/// Invalid case files: printed in full, exit status 2.
struct CaseFileFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
