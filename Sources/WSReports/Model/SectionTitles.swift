/// Section titles for result files that do not carry them (journals, Autobahn's index.json): the
/// titles of Autobahn's sections, which wsconform keeps.
public enum SectionTitles {
    /// Autobahn's section titles by section number.
    public static let autobahn: [String: String] = [
        "1": "Framing", "2": "Pings/Pongs", "3": "Reserved Bits", "4": "Opcodes", "5": "Fragmentation",
        "6": "UTF-8 Handling", "7": "Close Handling", "9": "Limits/Performance", "10": "Misc",
        "12": "WebSocket Compression (different payloads)", "13": "WebSocket Compression (different parameters)",
    ]

    /// The title of a section (`"6"`) or subsection (`"6.4"`): from the runs' own catalog data
    /// first, then Autobahn's section titles.
    public static func title(_ number: String, in runs: [ReportRun]) -> String? {
        for run in runs { if let t = run.info?.catalog?.sections?[number] { return t } }
        return autobahn[number]
    }
}
