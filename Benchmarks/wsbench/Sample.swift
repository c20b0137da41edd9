/// The measured speed of one contender.
struct Sample: Codable {
    var name: String
    /// Iterations per timed repetition.
    var iterations: Int
    /// Median over the repetitions, in units per second.
    var rate: Double
    /// Slowest and fastest repetition, to show how noisy the run was.
    var minRate: Double
    var maxRate: Double
    /// Median rate computed from the thread's CPU time instead of the wall clock (a cross-check that
    /// is insensitive to time spent descheduled).
    var cpuRate: Double
}
