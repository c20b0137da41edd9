import Foundation
import PackagePlugin

/// Generates the Swift source that carries the case catalog (`Cases/*.yaml` and `Cases/data/*`)
/// inside the target it is applied to, base64-encoded (exact bytes, whatever the content; a string
/// literal compiles fast where a byte-array literal of this size would not).
///
/// The file is written by a build command, not by the plugin itself: SwiftPM invokes plugins only
/// when it plans a build (a manifest or source-file change), so a file the plugin wrote would keep
/// an edited case file out of the binary until then. The command runs whenever a case file, a data
/// file or the folders' listings changed, and replaces the output only when its content changed
/// (an unchanged catalog recompiles nothing). It is a POSIX shell script (sh, base64, tr, cmp): a
/// generator tool built from this package would get the package's build flags, and those of the
/// fuzzing builds (`-sanitize=fuzzer`, `-parse-as-library`) make a tool executable unlinkable.
@main
struct EmbedCatalog: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let cases = context.package.directoryURL.appending(path: "Cases")
        let data = cases.appending(path: "data")
        let inputs = try files(in: cases) + files(in: data) + [cases, data]
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated").appending(path: "EmbeddedCatalogFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding the case catalog from \(cases.path)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", Self.script, "embed-catalog", output.path, cases.path],
                inputFiles: inputs,
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

    /// `sh -c script embed-catalog OUTPUT CASES`: the generated source, from the files as they are now
    /// (names in byte order: LC_ALL=C).
    static let script = #"""
        set -eu
        export LC_ALL=C
        out=$1 cases=$2
        mkdir -p "$(dirname "$out")"
        entries() {
          for f in "$@"; do
            [ -f "$f" ] || continue
            printf '        ("%s", "' "${f##*/}"
            base64 < "$f" | tr -d '\n'
            printf '"),\n'
          done
        }
        {
          printf '// Generated at build time by the EmbedCatalog plugin from Cases/: do not edit.\n\n'
          printf 'enum EmbeddedCatalogFiles {\n'
          printf '    /// Case files: (file name, base64 of its bytes), sorted by name.\n'
          printf '    static let cases: [(name: String, base64: String)] = [\n'
          entries "$cases"/*.yaml "$cases"/*.yml
          printf '    ]\n\n'
          printf '    /// Files of Cases/data: (file name, base64 of its bytes), sorted by name.\n'
          printf '    static let data: [(name: String, base64: String)] = [\n'
          entries "$cases"/data/*
          printf '    ]\n}\n'
        } > "$out.tmp"
        if cmp -s "$out.tmp" "$out"; then rm -f "$out.tmp"; else mv "$out.tmp" "$out"; fi
        """#
}
