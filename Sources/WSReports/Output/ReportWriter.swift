import Foundation

/// The report files `wsconform report` and `test-server` write.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// `report.html`.
    case html
    /// `junit.xml`.
    case junit
    /// Autobahn's `index.json` and one `<agent>_case_<id>.json` per case.
    case autobahn
}

/// Writes report files into a directory.
public enum ReportWriter {
    /// The file names written.
    public static let htmlFile = "report.html"
    public static let junitFile = "junit.xml"
    public static let indexFile = "index.json"

    /// Writes the formats into `directory` (created if needed), each file atomically; returns the
    /// files written. Runs read from an index.json get no per-case Autobahn files (there is
    /// nothing to put in them).
    @discardableResult
    public static func write(_ runs: [ReportRun], formats: Set<ReportFormat>, to directory: URL, title: String? = nil,
                             generated: Date = Date()) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [URL] = []
        func put(_ text: String, _ name: String) throws {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            written.append(url)
        }
        if formats.contains(.html) { try put(HTMLReport.render(runs, title: title, generated: generated), htmlFile) }
        if formats.contains(.junit) { try put(JUnitReport.render(runs), junitFile) }
        if formats.contains(.autobahn) {
            try put(AutobahnIndexWriter.render(runs), indexFile)
            for run in runs where run.origin != .autobahnIndex {
                for (i, c) in run.cases.enumerated() {
                    let text = AutobahnCaseFile.render(c, agent: run.label, harnessRole: run.info?.harnessRole, ordinal: i + 1)
                    try put(text, AutobahnFileName.caseFile(agent: run.label, id: c.id))
                }
            }
        }
        return written
    }
}
