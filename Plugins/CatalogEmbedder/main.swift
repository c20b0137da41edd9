import Foundation

// The EmbedCatalog plugin's tool: writes a Swift file holding the given case files and data files,
// base64-encoded (exact bytes, any content, and string literals compile fast where a byte array
// literal of this size would not).
//
// Usage: CatalogEmbedder OUTPUT.swift --cases FILE... --data FILE...

var arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.popFirst() else {
    FileHandle.standardError.write(Data("usage: CatalogEmbedder OUTPUT.swift --cases FILE... --data FILE...\n".utf8))
    exit(2)
}
var groups: [String: [String]] = ["--cases": [], "--data": []]
var current: String?
for argument in arguments {
    if groups[argument] != nil { current = argument; continue }
    guard let group = current else {
        FileHandle.standardError.write(Data("CatalogEmbedder: \(argument) comes before --cases or --data\n".utf8))
        exit(2)
    }
    groups[group]!.append(argument)
}

func entries(_ paths: [String]) -> String {
    paths.map { path in
        guard let bytes = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("CatalogEmbedder: cannot read \(path)\n".utf8))
            exit(1)
        }
        let name = (path as NSString).lastPathComponent
        return "        (\"\(name)\", \"\(bytes.base64EncodedString())\"),\n"
    }.joined()
}

let source = """
// Generated at build time by the EmbedCatalog plugin from Cases/: do not edit.

enum EmbeddedCatalogFiles {
    /// Case files: (file name, base64 of its bytes), sorted by name.
    static let cases: [(name: String, base64: String)] = [
\(entries(groups["--cases"]!))    ]

    /// Files of Cases/data: (file name, base64 of its bytes), sorted by name.
    static let data: [(name: String, base64: String)] = [
\(entries(groups["--data"]!))    ]
}

"""
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("CatalogEmbedder: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
