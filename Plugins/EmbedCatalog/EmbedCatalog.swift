import Foundation
import PackagePlugin

/// Generates the Swift source that carries the case catalog (`Cases/*.yaml` and `Cases/data/*`)
/// inside the target it is applied to, base64-encoded (exact bytes, whatever the content; a string
/// literal compiles fast where a byte-array literal of this size would not).
///
/// SwiftPM runs the plugin at every build, so an added, changed or removed case file always reaches
/// the binary: the embedded catalog cannot go stale. The plugin writes the file itself, and only
/// when its content changed (an unchanged catalog recompiles nothing). A generator tool built from
/// this package would get the package's build flags, and those of the fuzzing builds
/// (`-sanitize=fuzzer`, `-parse-as-library`) make a tool executable unlinkable; the prebuild command
/// only hands the generated directory to SwiftPM.
@main
struct EmbedCatalog: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let cases = context.package.directoryURL.appending(path: "Cases")
        let yaml = try files(in: cases).filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }
        let data = try files(in: cases.appending(path: "data"))
        let directory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let output = directory.appending(path: "EmbeddedCatalogFiles.swift")
        let source = Data(try render(cases: yaml, data: data).utf8)
        if (try? Data(contentsOf: output)) != source {
            try source.write(to: output, options: .atomic)
        }
        return [
            .prebuildCommand(
                displayName: "Embedded the case catalog (\(yaml.count) case files, \(data.count) data files)",
                executable: URL(fileURLWithPath: "/usr/bin/env"),
                arguments: ["true"],
                outputFilesDirectory: directory
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

    private func render(cases: [URL], data: [URL]) throws -> String {
        func entries(_ urls: [URL]) throws -> String {
            try urls.map { url in
                "        (\"\(url.lastPathComponent)\", \"\(try Data(contentsOf: url).base64EncodedString())\"),\n"
            }.joined()
        }
        return """
        // Generated at build time by the EmbedCatalog plugin from Cases/: do not edit.

        enum EmbeddedCatalogFiles {
            /// Case files: (file name, base64 of its bytes), sorted by name.
            static let cases: [(name: String, base64: String)] = [
        \(try entries(cases))    ]

            /// Files of Cases/data: (file name, base64 of its bytes), sorted by name.
            static let data: [(name: String, base64: String)] = [
        \(try entries(data))    ]
        }

        """
    }
}
