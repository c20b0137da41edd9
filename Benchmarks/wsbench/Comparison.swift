/// One row of the report: our code against a reference measured in the same run.
struct Comparison: Codable {
    /// Stable identifier for machine use, e.g. "parse.125B".
    var id: String
    var title: String
    var unit: RateUnit
    var ours: Sample
    var reference: Sample
    /// ours.rate / reference.rate: above 1 means ours is faster.
    var ratio: Double
    /// The same ratio from CPU-time rates (a cross-check; targets are judged on `ratio`).
    var cpuRatio: Double
    /// The ratio the task asks for, or nil when the row is informative only.
    var targetRatio: Double?
    /// Whether `ratio >= targetRatio`; nil without a target.
    var met: Bool?

    init(id: String, title: String, unit: RateUnit, ours: Sample, reference: Sample, targetRatio: Double? = nil) {
        self.id = id
        self.title = title
        self.unit = unit
        self.ours = ours
        self.reference = reference
        self.ratio = ours.rate / reference.rate
        self.cpuRatio = ours.cpuRate / reference.cpuRate
        self.targetRatio = targetRatio
        self.met = targetRatio.map { ratio >= $0 }
    }
}
