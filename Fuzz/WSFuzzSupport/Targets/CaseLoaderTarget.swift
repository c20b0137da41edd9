import WSCatalog

extension FuzzTarget {
    /// The YAML case-file loader (`CatalogLoader`) on arbitrary text: it must either load a catalog
    /// whose cases are unique, sorted, found by id and printable, or report errors that point into
    /// the text; and it must do the same again on the same text.
    ///
    /// Input: the YAML text (as UTF-8, invalid bytes replaced).
    public static let caseLoader = FuzzTarget(name: "FuzzCaseLoader") { raw throws(FuzzFailure) in
        try CaseLoaderProperties.run(String(decoding: raw, as: UTF8.self))
    }
}

enum CaseLoaderProperties {
    static let fileName = "fuzz.yaml"

    /// What loading produced, in a comparable form.
    enum Outcome: Equatable {
        case catalog([TestCase])
        case errors([String])
    }

    static func load(_ text: String) -> (Outcome, CaseCatalog?, CatalogErrors?) {
        do {
            let catalog = try CatalogLoader.load(sources: [(name: fileName, text: text)])
            return (.catalog(catalog.cases), catalog, nil)
        } catch {
            return (.errors(error.errors.map(comparable)), nil, error)
        }
    }

    /// An error's text for comparing two loads. Yams orders duplicate mapping keys with `Node.<`, which
    /// is false both ways between a scalar and a complex (`? key`) key, so for such keys the order of
    /// the names and the position reported follow hash order and change from one load to the next
    /// (regressions/yams-duplicate-complex-keys). Only the sorted names are compared then.
    static func comparable(_ error: CatalogError) -> String {
        let prefix = "duplicate keys ", suffix = " in one mapping"
        guard error.message.hasPrefix(prefix), error.message.hasSuffix(suffix),
              error.message.contains("<uncovertable>") else { return error.description }
        let names = error.message.dropFirst(prefix.count).dropLast(suffix.count).split(separator: ", ").sorted()
        return "\(error.file): duplicate keys \(names.joined(separator: ", "))"
    }

    static func run(_ text: String) throws(FuzzFailure) {
        let (outcome, catalog, errors) = load(text)
        try checkEqual(load(text).0, outcome, "loading the same text twice")
        if let errors {
            try check(!errors.errors.isEmpty, "a failed load reports at least one error")
            // YAML breaks lines at LF, CR and CRLF, and (YAML 1.1, which libyaml follows) NEL, LS and PS.
            let breaks: Set<Unicode.Scalar> = ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"]
            let lines = 1 + text.unicodeScalars.count { breaks.contains($0) }
            for error in errors.errors {
                try checkEqual(error.file, fileName, "error file")
                try check(!error.message.isEmpty, "error without a message: \(error)")
                if let line = error.line {
                    try check((1...lines + 1).contains(line), "error line \(line) outside the \(lines)-line text: \(error)")
                }
                if let column = error.column {
                    try check(column >= 0, "negative error column: \(error)")
                }
            }
        }
        guard let catalog else { return }
        var previous: CaseID?
        for testCase in catalog.cases {
            if let previous {
                try check(previous < testCase.id, "case ids not sorted and unique: \(previous), \(testCase.id)")
            }
            previous = testCase.id
            try checkEqual(catalog[testCase.id], testCase, "lookup by id")
            try checkEqual(testCase.source.file, fileName, "case source file")
            try check(!CatalogText.show(testCase, in: catalog).isEmpty, "case \(testCase.id) prints as nothing")
        }
        _ = CatalogText.list(catalog)
    }
}
