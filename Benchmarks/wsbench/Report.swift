/// Everything one run produced.
struct Report: Codable {
    /// ISO 8601 time the run started.
    var date: String
    var machine: MachineInfo
    var quick: Bool
    var settings: MeasurementSettings
    var comparisons: [Comparison]
    /// Fold of every benchmark result (hex); printed so that no measured work is dead code.
    var checksum: String

    /// Rows that have a target and miss it.
    var missedTargets: [Comparison] { comparisons.filter { $0.met == false } }
}
