import Foundation
import WSResultFormat

/// Reads result files into `ReportRun`s: a `results.json`, a `results.jsonl` journal, an Autobahn
/// (or wsconform) `index.json`, or a directory holding them (a test-server `--out` directory, also
/// one with `server-N/` subdirectories, or a test-client one with `agents/<agent>/`).
public enum ResultsLoader {
    /// Loads every path in order and labels the runs so equal agent names stay distinguishable.
    public static func load(paths: [String]) throws(ReportInputError) -> [ReportRun] {
        var runs: [ReportRun] = []
        for path in paths { runs += try load(path) }
        return ReportRun.labelled(runs)
    }

    /// Loads one file or directory.
    public static func load(_ path: String) throws(ReportInputError) -> [ReportRun] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportInputError(path: path, reason: "no such file or directory")
        }
        return isDirectory.boolValue ? try loadDirectory(URL(fileURLWithPath: path)) : try loadFile(URL(fileURLWithPath: path))
    }

    /// `results.json`, else `results.jsonl`, else `server-N/` subdirectories, else `agents/<agent>/`
    /// subdirectories (test-client), else `index.json`.
    static func loadDirectory(_ dir: URL) throws(ReportInputError) -> [ReportRun] {
        let fm = FileManager.default
        for name in ["results.json", "results.jsonl"] {
            let url = dir.appendingPathComponent(name)
            if fm.fileExists(atPath: url.path) { return try loadFile(url) }
        }
        let servers = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? [])
            .compactMap { name -> (Int, String)? in
                guard name.hasPrefix("server-"), let n = Int(name.dropFirst("server-".count)) else { return nil }
                return (n, name)
            }
            .sorted { $0.0 < $1.0 }
        if !servers.isEmpty {
            var runs: [ReportRun] = []
            for (_, name) in servers { runs += try loadDirectory(dir.appendingPathComponent(name)) }
            return runs
        }
        // A test-client --out directory: one subdirectory per agent under agents/.
        let agents = dir.appendingPathComponent("agents")
        let agentDirs = ((try? fm.contentsOfDirectory(atPath: agents.path)) ?? []).sorted()
            .map { agents.appendingPathComponent($0) }
            .filter { d in ["results.json", "results.jsonl"].contains { fm.fileExists(atPath: d.appendingPathComponent($0).path) } }
        if !agentDirs.isEmpty {
            var runs: [ReportRun] = []
            for d in agentDirs { runs += try loadDirectory(d) }
            return runs
        }
        let index = dir.appendingPathComponent("index.json")
        if fm.fileExists(atPath: index.path) { return try loadFile(index) }
        throw ReportInputError(path: dir.path, reason: "no results.json, results.jsonl, server-N/, agents/ or index.json in this directory")
    }

    static func loadFile(_ url: URL) throws(ReportInputError) -> [ReportRun] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ReportInputError(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        if url.pathExtension == "jsonl" { return [try parseJournal(data, source: url.path)] }
        return try parseJSONFile(data, source: url.path)
    }

    /// A `results.json` (it has a `schema` key) or an `index.json` (agent → case id → verdicts).
    public static func parseJSONFile(_ data: Data, source: String) throws(ReportInputError) -> [ReportRun] {
        let top: Any
        do { top = try JSONSerialization.jsonObject(with: data) } catch {
            throw ReportInputError(path: source, reason: "not valid JSON: \(error.localizedDescription)")
        }
        guard let object = top as? [String: Any] else {
            throw ReportInputError(path: source, reason: "expected a JSON object (results.json or index.json)")
        }
        if object["schema"] != nil { return [try parseResults(data, source: source)] }
        return try AutobahnIndexReader.parse(data, source: source)
    }

    /// A `results.json` of schema `wsconform.results/1`.
    public static func parseResults(_ data: Data, source: String) throws(ReportInputError) -> ReportRun {
        let document: ResultsDocument
        do { document = try JSONDecoder().decode(ResultsDocument.self, from: data) } catch {
            throw ReportInputError(path: source, reason: describe(error))
        }
        guard document.schema == ResultsDocument.schema else {
            throw ReportInputError(path: source, reason: "schema \"\(document.schema)\" is not supported (this wsconform reads \(ResultsDocument.schema))")
        }
        return ReportRun(origin: .results, source: source, agent: document.run.agent, info: document.run,
                         summary: document.summary, cases: document.cases)
    }

    /// A `results.jsonl` journal: one case object per line. A last line cut short by a crash is
    /// ignored; any other bad line is an error naming its line number. The journal does not name
    /// the agent, so the run is filed under its directory's name.
    public static func parseJournal(_ data: Data, source: String) throws(ReportInputError) -> ReportRun {
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = data.last == UInt8(ascii: "\n")
        var cases: [CaseRecord] = []
        let decoder = JSONDecoder()
        for (n, line) in lines.enumerated() where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
            do { cases.append(try decoder.decode(CaseRecord.self, from: Data(line))) } catch {
                if n == lines.count - 1 && !endsWithNewline { break }
                throw ReportInputError(path: source, reason: "line \(n + 1): \(describe(error))")
            }
        }
        let dir = URL(fileURLWithPath: source).deletingLastPathComponent().lastPathComponent
        return ReportRun(origin: .journal, source: source, agent: dir.isEmpty ? "journal" : dir, cases: cases)
    }

    /// A decoding error as one line: where in the document, and what was wrong.
    static func describe(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        guard let e = error as? DecodingError else { return "\(error)" }
        switch e {
        case let .keyNotFound(key, ctx): return "missing key \"\(key.stringValue)\" at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath))"
        case let .typeMismatch(_, ctx), let .valueNotFound(_, ctx), let .dataCorrupted(ctx):
            return "\(ctx.debugDescription) at \(path(ctx.codingPath).isEmpty ? "top level" : path(ctx.codingPath))"
        @unknown default: return "\(error)"
        }
    }
}
