/// One side of a comparison: a unit of work that the harness runs many times.
struct Contender {
    /// Short label shown in the report, e.g. "NIO WebSocketFrameDecoder".
    var name: String
    /// Work done by one call of `body`, in the comparison's unit (frames or bytes).
    var unitsPerIteration: Double
    /// Does one iteration of work and returns a value derived from its result, which the harness
    /// folds into a printed checksum so the optimiser cannot drop the work.
    var body: () throws -> UInt64
}
