import Foundation

/// Autobahn's `index.json` (autobahn.md §6.2): agent → case id → verdicts, keys sorted as strings,
/// 3-space indent, so scripts written for Autobahn's reports read ours unchanged.
public enum AutobahnIndex {
    public static func node(_ reports: [RunReport]) -> JSONNode {
        .object(reports.map { report in
            (report.agent, .object(report.results.map { r in
                (r.id.description, .object([
                    ("behavior", .string(r.verdict.behavior.rawValue)),
                    ("behaviorClose", .string(r.verdict.behaviorClose.rawValue)),
                    ("duration", .int(r.observation.durationMilliseconds ?? 0)),
                    ("remoteCloseCode", .optional(r.observation.remoteCloseCode.map { Int($0.rawValue) })),
                    ("reportfile", .string(reportFile(agent: report.agent, id: r.id))),
                ]))
            }))
        })
    }

    public static func render(_ reports: [RunReport]) -> String {
        node(reports).render(indent: 3, sortedKeys: true)
    }

    /// Autobahn's per-case report file name: the agent lower-cased, every character but a–z and 0–9
    /// turned into a space, trimmed, spaces into `_`; then `_case_` and the id with `_` for `.`.
    public static func reportFile(agent: String, id: CaseID, ext: String = "json") -> String {
        let cleaned = String(agent.lowercased().map { c -> Character in
            ("a"..."z").contains(c) || ("0"..."9").contains(c) ? c : " "
        }).trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "_")
        return cleaned + "_case_" + id.description.replacingOccurrences(of: ".", with: "_") + "." + ext
    }
}
