/// How long and how often each contender runs.
struct MeasurementSettings: Codable {
    /// Minimum time spent running a contender before it is timed; also estimates its iteration cost.
    var warmUpSeconds: Double
    /// Intended duration of one timed repetition; the iteration count is chosen to reach it.
    var targetSeconds: Double
    /// Timed repetitions per contender; the reported figure is their median.
    var repetitions: Int
}
