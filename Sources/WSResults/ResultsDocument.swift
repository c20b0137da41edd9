import Foundation
import WSBuiltinCatalog
import WSCatalog
import WSEngine
import WSResultFormat

/// Facts about a run that go into `results.json`'s `run` object, besides the report itself.
public struct RunMetadata: Sendable {
    /// The catalog's identity: a digest of its case files, and where it was loaded from.
    public var catalogDigest: String
    public var catalogPath: String?
    public var catalogCaseCount: Int
    /// The options as given (selection patterns, jobs, timeouts...), for the record.
    public var options: [(String, OrderedJSON)]

    public init(catalogDigest: String, catalogPath: String?, catalogCaseCount: Int, options: [(String, OrderedJSON)]) {
        self.catalogDigest = catalogDigest
        self.catalogPath = catalogPath
        self.catalogCaseCount = catalogCaseCount
        self.options = options
    }
}

/// `results.json` (schema `wsconform.results/1`, documented in docs/results-schema.md).
public enum ResultsDocument {
    public static let schema = "wsconform.results/1"

    /// The whole document of a run.
    /// - Parameters:
    ///   - report: the run's results.
    ///   - metadata: the catalog's identity and the options, as the `run` object records them.
    ///   - catalog: the catalog the cases came from, for section titles and case positions; nil
    ///     leaves them out.
    ///   - caseLines: the case objects already rendered (the journal's lines), by id; a case
    ///     without one is rendered here.
    public static func node(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?,
                            caseLines: [CaseID: String] = [:]) -> OrderedJSON {
        document(agent: report.agent, target: report.target,
                 role: report.results.first?.harnessRole ?? .client, metadata: metadata, catalog: catalog,
                 verdicts: report.results.map { ($0.id, $0.verdict.behavior.rawValue, $0.verdict.behaviorClose.rawValue, $0.acceptable) },
                 skipped: report.skipped, notRun: report.notRun, stopped: report.stop?.description,
                 startedAt: report.startedAt, endedAt: report.endedAt,
                 cases: report.results.map { r in
                     caseLines[r.id].map(OrderedJSON.raw) ?? CaseResultJSON.node(r, position: catalog?.position(of: r.id))
                 })
    }

    /// The document from its parts: `verdicts` (id, behavior, behaviorClose, acceptable) feed the
    /// summary, `cases` are the case objects in id order.
    package static func document(agent: String, target: String, role: Role, metadata: RunMetadata, catalog: CaseCatalog?,
                         verdicts: [(id: CaseID, behavior: String, behaviorClose: String, acceptable: Bool)],
                         skipped: [CaseID], notRun: [CaseID], stopped: String?, startedAt: Date, endedAt: Date,
                         cases: [OrderedJSON]) -> OrderedJSON {
        var byBehavior: [String: Int] = [:]
        var byClose: [String: Int] = [:]
        for v in verdicts {
            byBehavior[v.behavior, default: 0] += 1
            byClose[v.behaviorClose, default: 0] += 1
        }
        let acceptable = verdicts.filter(\.acceptable).count
        let elapsed = endedAt.timeIntervalSince(startedAt)
        return .object([
            ("schema", .string(schema)),
            ("run", .object([
                ("tool", .object([("name", .string("wsconform")), ("version", .string(WSConformanceInfo.version))])),
                ("catalog", .object([("digest", .string(metadata.catalogDigest)), ("path", .optional(metadata.catalogPath)),
                                     ("cases", .int(metadata.catalogCaseCount)),
                                     ("sections", sectionTitles(verdicts.map(\.id), catalog: catalog))])),
                ("agent", .string(agent)),
                ("target", .string(target)),
                ("harnessRole", .string(role.description)),
                ("options", .object(metadata.options)),
                ("started", .string(CaseResultJSON.iso8601(startedAt))),
                ("ended", .string(CaseResultJSON.iso8601(endedAt))),
                ("wallSeconds", .double((max(0, elapsed) * 1000).rounded() / 1000)),
                ("host", host()),
                ("stopped", .optional(stopped)),
            ])),
            ("summary", .object([
                ("cases", .int(verdicts.count)),
                ("acceptable", .int(acceptable)),
                ("failed", .int(verdicts.count - acceptable)),
                ("behavior", .object(byBehavior.keys.sorted().map { ($0, .int(byBehavior[$0]!)) })),
                ("behaviorClose", .object(byClose.keys.sorted().map { ($0, .int(byClose[$0]!)) })),
                ("skipped", .array(skipped.map { .string($0.description) })),
                ("notRun", .array(notRun.map { .string($0.description) })),
            ])),
            // Compact JSON, one case per line: a third of the size of indented JSON, still greppable
            // and diffable line by line.
            ("cases", .raw(cases.isEmpty ? "[]" : "[\n" + cases.map { $0.render() }.joined(separator: ",\n") + "\n]")),
        ])
    }

    /// Writes `results.json` atomically (see `text`); returns the text written.
    @discardableResult
    public static func write(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?,
                             caseLines: [CaseID: String] = [:], to url: URL) throws -> String {
        let text = text(node(report, metadata: metadata, catalog: catalog, caseLines: caseLines))
        try AtomicFile.write(text, to: url)
        return text
    }

    /// The file's text: compact JSON, each case on its own line.
    public static func text(_ document: OrderedJSON) -> String {
        document.render() + "\n"
    }

    /// The document of `text` with an empty `cases` array (its run and summary only): the first line
    /// of the text holds everything before the cases.
    public static func withoutCases(_ text: String) -> String {
        guard let newline = text.firstIndex(of: "\n"), text[..<newline].hasSuffix("\"cases\":[") else { return text }
        return text[..<newline] + "]}"
    }

    /// Titles of the sections and subsections the results belong to (`"6"`, `"6.4"`), so that
    /// reports can group cases without the catalog.
    static func sectionTitles(_ ids: [CaseID], catalog: CaseCatalog?) -> OrderedJSON {
        guard let catalog else { return .object([]) }
        var keys: [CaseID] = []
        for id in ids {
            for k in [CaseID([id.section]), id.subsection].compactMap({ $0 }) where !keys.contains(k) { keys.append(k) }
        }
        return .object(keys.sorted().compactMap { k in
            let title = k.segments.count == 1 ? catalog.section(k.section)?.title : catalog.subsectionTitle(for: k)
            return title.map { (k.description, .string($0)) }
        })
    }

    static func host() -> OrderedJSON {
        let p = ProcessInfo.processInfo
        return .object([
            ("name", .string(p.hostName)),
            ("os", .string(p.operatingSystemVersionString)),
            ("cpus", .int(p.activeProcessorCount)),
        ])
    }
}

/// A digest that identifies a catalog's content (its YAML files and datasets by name and size).
public enum CatalogDigest {
    public static func compute(directory: URL) -> String {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return compute(files: files.filter { $0.pathExtension == "yaml" }.map { url in
            (url.lastPathComponent, (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? [])
        })
    }

    /// The digest of case files given as (file name, bytes), in any order.
    public static func compute(files: [(name: String, bytes: [UInt8])]) -> String {
        var hasher = FNV1a()
        for file in files.sorted(by: { $0.name < $1.name }) {
            hasher.add(Array(file.name.utf8))
            hasher.add(file.bytes)
        }
        return "fnv1a64:" + String(hasher.value, radix: 16)
    }

    /// The digest of the built-in catalog: the same as `compute(directory:)` of the `Cases`
    /// directory it was built from.
    public static var builtin: String {
        compute(files: BuiltinCatalog.caseFiles.map { ($0.name, Array($0.text.utf8)) })
    }

    struct FNV1a {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add(_ bytes: [UInt8]) {
            for b in bytes {
                value ^= UInt64(b)
                value = value &* 0x100_0000_01b3
            }
        }
    }
}
