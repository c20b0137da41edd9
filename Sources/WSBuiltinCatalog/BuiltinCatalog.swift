import Foundation

/// The case catalog built into this module: `Cases/*.yaml` and `Cases/data/*` of the package,
/// embedded at build time by the EmbedCatalog plugin, so a binary needs no files beside it.
public enum BuiltinCatalog {
    /// The case files as (file name, UTF-8 text), sorted by name.
    public static let caseFiles: [(name: String, text: String)] = EmbeddedCatalogFiles.cases.map { file in
        (file.name, String(decoding: decode(file.base64), as: UTF8.self))
    }

    /// The names of the files of `Cases/data` (datasets, their README and licence).
    public static var dataFileNames: [String] { EmbeddedCatalogFiles.data.map(\.name) }

    /// The bytes of a file of `Cases/data`, nil when there is none of that name.
    public static func dataFile(named name: String) -> [UInt8]? {
        EmbeddedCatalogFiles.data.first { $0.name == name }.map { decode($0.base64) }
    }

    /// The generator wrote valid base64, so a failure here is a broken build, not bad input.
    private static func decode(_ base64: String) -> [UInt8] {
        guard let data = Data(base64Encoded: base64) else { fatalError("the embedded catalog is damaged: rebuild wsconform") }
        return [UInt8](data)
    }
}
