import WSResultFormat

/// Autobahn's `index.json` (autobahn.md §6.2): agent → case id → {behavior, behaviorClose,
/// duration, remoteCloseCode, reportfile (only when the per-case files are written)}, keys sorted as strings, 3-space indent, so scripts written
/// for Autobahn's reports read ours unchanged. Runs are filed under their label (the agent name,
/// made distinct when two runs share one).
public enum AutobahnIndexWriter {
    /// The index as a JSON value. `caseFiles`: the per-case files are written too, so each entry
    /// names its `reportfile`; without them the key is left out rather than name a missing file.
    public static func node(_ runs: [ReportRun], caseFiles: Bool = true) -> OrderedJSON {
        .object(runs.map { run in
            (run.label, .object(run.cases.map { c in
                (c.id, .object([
                    ("behavior", .string(c.behavior)),
                    ("behaviorClose", .string(c.behaviorClose)),
                    ("duration", .int(c.durationMs ?? 0)),
                    ("remoteCloseCode", .optional(c.remoteCloseCode)),
                ] + (caseFiles ? [("reportfile", .string(AutobahnFileName.caseFile(agent: run.label, id: c.id)))] : [])))
            }))
        })
    }

    /// The index as text: keys sorted as strings, 3-space indent.
    public static func render(_ runs: [ReportRun], caseFiles: Bool = true) -> String {
        node(runs, caseFiles: caseFiles).render(indent: 3, sortedKeys: true)
    }
}

/// Autobahn's report file names (autobahn.md §6.1).
public enum AutobahnFileName {
    /// The agent lower-cased, every character but a–z and 0–9 turned into a space, trimmed, spaces
    /// into `_` ("MyClient/1.0" → `myclient_1_0`).
    public static func cleanAgent(_ agent: String) -> String {
        let spaced = String(agent.lowercased().unicodeScalars.map { s -> Character in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) ? Character(s) : " "
        })
        return spaced.trimmingSpaces().replacingSpaces()
    }

    /// `<agent>_case_<id with _ for .>.<ext>`, e.g. `myclient_1_0_case_6_4_1.json`.
    public static func caseFile(agent: String, id: String, ext: String = "json") -> String {
        cleanAgent(agent) + "_case_" + String(id.map { $0 == "." ? "_" : $0 }) + "." + ext
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    fileprivate func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}
