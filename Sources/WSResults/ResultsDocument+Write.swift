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

/// Writing `results.json` (schema `wsconform.results/1`, documented in docs/results-schema.md).
extension ResultsDocument {
    /// The document of a run, its cases included.
    /// - Parameters:
    ///   - report: the run's results.
    ///   - metadata: the catalog's identity and the options, as the `run` object records them.
    ///   - catalog: the catalog the cases came from, for section titles and case positions; nil
    ///     leaves them out.
    public init(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?) {
        self.init(report, metadata: metadata, catalog: catalog,
                  cases: report.results.map { CaseResultJSON.record($0, position: catalog?.position(of: $0.id)) })
    }

    private init(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?, cases: [CaseRecord]) {
        self.init(agent: report.agent, target: report.target, role: report.results.first?.harnessRole ?? .client,
                  metadata: metadata, catalog: catalog,
                  verdicts: report.results.map { ($0.id, $0.verdict.behavior.rawValue, $0.verdict.behaviorClose.rawValue, $0.acceptable) },
                  skipped: report.skipped, notRun: report.notRun, stopped: report.stop?.description,
                  startedAt: report.startedAt, endedAt: report.endedAt, cases: cases)
    }

    /// The document from its parts: `verdicts` (id, behavior, behaviorClose, acceptable) feed the
    /// summary, `cases` are the case objects in id order.
    package init(agent: String, target: String, role: Role, metadata: RunMetadata, catalog: CaseCatalog?,
                 verdicts: [(id: CaseID, behavior: String, behaviorClose: String, acceptable: Bool)],
                 skipped: [CaseID], notRun: [CaseID], stopped: String?, startedAt: Date, endedAt: Date,
                 cases: [CaseRecord]) {
        var byBehavior: [String: Int] = [:]
        var byClose: [String: Int] = [:]
        for v in verdicts {
            byBehavior[v.behavior, default: 0] += 1
            byClose[v.behaviorClose, default: 0] += 1
        }
        let acceptable = verdicts.filter(\.acceptable).count
        let elapsed = endedAt.timeIntervalSince(startedAt)
        var run = RunInfo(agent: agent, target: target)
        run.tool = RunInfo.Tool(name: "wsconform", version: WSConformanceInfo.version)
        var catalogInfo = RunInfo.Catalog()
        (catalogInfo.digest, catalogInfo.path, catalogInfo.cases) = (metadata.catalogDigest, metadata.catalogPath, metadata.catalogCaseCount)
        catalogInfo.sections = Self.sectionTitles(verdicts.map(\.id), catalog: catalog)
        run.catalog = catalogInfo
        run.harnessRole = role.description
        run.options = .object(metadata.options)
        run.started = CaseResultJSON.iso8601(startedAt)
        run.ended = CaseResultJSON.iso8601(endedAt)
        run.wallSeconds = (max(0, elapsed) * 1000).rounded() / 1000
        run.host = Self.host()
        run.stopped = stopped
        var summary = RunSummary(cases: verdicts.count, acceptable: acceptable, failed: verdicts.count - acceptable)
        (summary.behavior, summary.behaviorClose) = (byBehavior, byClose)
        (summary.skipped, summary.notRun) = (skipped.map(\.description), notRun.map(\.description))
        self.init(run: run, summary: summary, cases: cases)
    }

    /// The whole document of a run as JSON (tests, and readers of one value).
    public static func node(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?) -> OrderedJSON {
        do { return try encoder.encode(ResultsDocument(report, metadata: metadata, catalog: catalog)) } catch {
            preconditionFailure("a ResultsDocument holds only values JSON can encode: \(error)")
        }
    }

    /// Writes `results.json` atomically; returns the document's run and summary (its `cases` empty:
    /// they are the lines written).
    /// - Parameter caseLines: the case objects already rendered (the journal's lines), by id; a
    ///   case without one is rendered here.
    @discardableResult
    public static func write(_ report: RunReport, metadata: RunMetadata, catalog: CaseCatalog?,
                             caseLines: [CaseID: String] = [:], to url: URL) throws -> ResultsDocument {
        let lines = report.results.map { r in
            caseLines[r.id] ?? CaseResultJSON.node(r, position: catalog?.position(of: r.id)).render()
        }
        let head = ResultsDocument(report, metadata: metadata, catalog: catalog, cases: [])
        try AtomicFile.write(try head.text(caseLines: lines), to: url)
        return head
    }

    /// Titles of the sections and subsections the results belong to (`"6"`, `"6.4"`), so that
    /// reports can group cases without the catalog.
    static func sectionTitles(_ ids: [CaseID], catalog: CaseCatalog?) -> [String: String] {
        guard let catalog else { return [:] }
        var titles: [String: String] = [:]
        for id in ids {
            for k in [CaseID([id.section]), id.subsection].compactMap({ $0 }) where titles[k.description] == nil {
                let title = k.segments.count == 1 ? catalog.section(k.section)?.title : catalog.subsectionTitle(for: k)
                if let title { titles[k.description] = title }
            }
        }
        return titles
    }

    static func host() -> RunInfo.Host {
        let p = ProcessInfo.processInfo
        var host = RunInfo.Host()
        (host.name, host.os, host.cpus) = (p.hostName, p.operatingSystemVersionString, p.activeProcessorCount)
        return host
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
