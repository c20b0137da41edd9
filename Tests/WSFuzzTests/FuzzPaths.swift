import Foundation

/// Where the fuzz targets' folders are, found from this file's location in the checkout.
enum FuzzPaths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func folder(_ target: String) -> URL { root.appendingPathComponent("Fuzz/\(target)") }

    /// The regular, non-hidden files directly in `Fuzz/<target>/<subfolder>`, sorted.
    static func files(_ target: String, _ subfolder: String) -> [URL] {
        let dir = folder(target).appendingPathComponent(subfolder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }
}
