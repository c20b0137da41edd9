import WSResultFormat

/// How verdicts look: Autobahn's words and colours (autobahn.md §6.4), as CSS classes.
enum VerdictStyle {
    /// Cell class and label for `behavior` in the matrix.
    static func behavior(_ b: String?) -> (cls: String, label: String) {
        switch b {
        case "OK": ("ok", "Pass")
        case "NON-STRICT": ("nonstrict", "Non-Strict")
        case "INFORMATIONAL": ("info", "Info")
        case "UNIMPLEMENTED": ("unimpl", "Unimplemented")
        case nil: ("missing", "Missing")
        default: ("fail", "Fail")
        }
    }

    /// Close column: the peer's close code coloured by `behaviorClose`, or Unclean / Fail.
    static func close(_ c: CaseRecord) -> (cls: String, label: String) {
        let code = c.remoteCloseCode.map(String.init) ?? "none"
        switch c.behaviorClose {
        case "OK": return ("ok", code)
        case "FAILED BY CLIENT": return ("byclient", code)
        case "WRONG CODE": return ("nonstrict", code)
        case "INFORMATIONAL": return ("info", code)
        case "UNCLEAN": return ("fail", "Unclean")
        default: return ("fail", "Fail")
        }
    }

    /// A verdict word as a small coloured chip.
    static func chip(_ verdict: String, close: Bool = false, label: String? = nil) -> String {
        let cls: String
        switch verdict {
        case "OK": cls = "ok"
        case "NON-STRICT", "WRONG CODE": cls = "nonstrict"
        case "INFORMATIONAL": cls = "info"
        case "UNIMPLEMENTED": cls = "unimpl"
        case "FAILED BY CLIENT": cls = "byclient"
        default: cls = "fail"
        }
        let title = label == nil ? (close ? "behaviorClose" : "behavior") : verdict
        return "<span class=\"chip \(cls)\" title=\"\(h(title))\">\(h(label ?? verdict))</span>"
    }

    /// Series colours for charts, one per run (and a lighter one for a second series of a run).
    static let palette = ["#1f6fb2", "#e07b00", "#2a9d4b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"]
    static let paletteLight = ["#8fbce6", "#f5c07a", "#96d8a8", "#c9a3da", "#e8a39b", "#8ad6c7", "#c3c9cb"]
}
