import Foundation
import WSResultFormat

/// Reads Autobahn's `index.json` (agent → case id → {behavior, behaviorClose, duration,
/// remoteCloseCode, reportfile}) into one run per agent, so old Autobahn runs can be compared with
/// and shown beside wsconform runs. Only verdicts, durations and close codes exist there.
public enum AutobahnIndexReader {
    struct Entry: Decodable {
        var behavior: String
        var behaviorClose: String
        var duration: Double?
        var remoteCloseCode: Int?
        var reportfile: String?
    }

    /// One run per agent, sorted by agent name.
    public static func parse(_ data: Data, source: String) throws(ReportInputError) -> [ReportRun] {
        let index: [String: [String: Entry]]
        do { index = try JSONDecoder().decode([String: [String: Entry]].self, from: data) } catch {
            throw ReportInputError(path: source, reason: "neither a wsconform results.json (no \"schema\" key) nor an Autobahn index.json (\(ResultsLoader.describe(error)))")
        }
        guard !index.isEmpty else { throw ReportInputError(path: source, reason: "the index lists no agent") }
        return index.keys.sorted().map { agent in
            let cases = index[agent]!.map { id, e in
                var c = CaseRecord(id: id, behavior: e.behavior, behaviorClose: e.behaviorClose)
                c.durationMs = e.duration.map { Int($0.rounded()) }
                c.close = CloseInfo(received: e.remoteCloseCode.map { CloseFrameRecord(code: $0) })
                return c
            }
            return ReportRun(origin: .autobahnIndex, source: source, agent: agent, cases: cases)
        }
    }
}
