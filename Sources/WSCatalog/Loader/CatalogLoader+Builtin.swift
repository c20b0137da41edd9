import WSBuiltinCatalog

extension CatalogLoader {
    /// The catalog built into wsconform: the package's `Cases` directory as it was when wsconform
    /// was built, datasets included (its `dataDirectory` is nil: they come from the same copy).
    /// Errors name the files as `Cases/<name>`.
    public static func loadBuiltin(parameters: [CatalogParameter: Int] = [:]) throws(CatalogErrors) -> CaseCatalog {
        try load(sources: BuiltinCatalog.caseFiles.map { ("Cases/\($0.name)", $0.text) }, dataDirectory: nil, parameters: parameters)
    }
}
