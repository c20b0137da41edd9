import Foundation
import PackagePlugin

/// Generates the Swift source that carries the case catalog (`Cases/*.yaml` and `Cases/data/*`)
/// inside the target it is applied to. The file list is read at every build, so an added, changed or
/// removed case file always reaches the binary: the embedded catalog cannot go stale.
@main
struct EmbedCatalog: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let cases = context.package.directoryURL.appending(path: "Cases")
        let yaml = try files(in: cases).filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
        let data = try files(in: cases.appending(path: "data"))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedCatalogFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding the case catalog (\(yaml.count) case files, \(data.count) data files)",
                executable: try context.tool(named: "CatalogEmbedder").url,
                arguments: [output.path, "--cases"] + yaml.map(\.path) + ["--data"] + data.map(\.path),
                inputFiles: yaml + data,
                outputFiles: [output]
            )
        ]
    }

    /// The regular files directly in `directory`, sorted by name (hidden files skipped).
    private func files(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isRegularFileKey],
                                                    options: [.skipsHiddenFiles])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
