import Foundation
import WSCatalog
import WSResultFormat

/// One case's result as a `ResultsStore` keeps it: the case object exactly as it is written to
/// `results.jsonl` (one line of JSON) and the same object as `CaseRecord`, the model the reports
/// read. Results of earlier runs, read back from disk, are kept the same way.
public struct StoredCaseResult: Sendable {
    public var id: CaseID
    /// The case object of schema `wsconform.results/1`, rendered on one line.
    public var line: String
    /// The case object as the reports read it.
    public var record: CaseRecord

    /// The stored form of a result.
    /// - Parameters:
    ///   - result: the case's result.
    ///   - position: the case's 1-based position in the whole catalog.
    public init(_ result: CaseResult, position: Int?) {
        id = result.id
        record = CaseResultJSON.record(result, position: position)
        line = CaseResultJSON.node(record).render()
    }

    /// Reads a stored line back; nil when it is not a case object.
    public init?(line: String) {
        guard let record = try? JSONDecoder().decode(CaseRecord.self, from: Data(line.utf8)),
              let id = CaseID(record.id) else { return nil }
        self.id = id
        self.line = line
        self.record = record
    }

    /// A case object of a `results.json` already parsed; its line is the object re-serialised.
    package init?(object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        self.init(line: String(decoding: data, as: UTF8.self))
    }

    public var behavior: String { record.behavior }
    public var behaviorClose: String { record.behaviorClose }
    /// The recorded `acceptable`, else the rule applied to the two verdicts.
    public var acceptable: Bool { record.isAcceptable }
    /// What the peer did wrong (the verdict's `finding`).
    public var finding: String? { record.finding }

    /// The verdict's reasons (or its result texts).
    public var reasons: [String] {
        if let r = record.reasons, !r.isEmpty { return r }
        return [record.result, record.resultClose].compactMap { $0 }
    }

    /// How the case's WebSocket was carried: true for an HTTP/2 stream, false for an HTTP/1.1
    /// upgrade, nil when the opening handshake never completed.
    public var openedOverHTTP2: Bool? {
        guard record.handshake?.completed == true else { return nil }
        return record.handshake?.http2 ?? false
    }

    /// The verdict of a run alongside other cases that the run alone did not confirm, if any.
    public var concurrentRun: ConcurrentRun? {
        guard let c = record.concurrentRun, let behavior = c.behavior.flatMap(Behavior.init(rawValue:)),
              let close = c.behaviorClose.flatMap(CloseBehavior.init(rawValue:)) else { return nil }
        return ConcurrentRun(behavior: behavior, behaviorClose: close, acceptable: c.acceptable ?? false, reasons: c.reasons ?? [])
    }
}
