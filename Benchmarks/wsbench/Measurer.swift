/// Times contenders side by side: each is warmed up and given its own iteration count, then the timed
/// repetitions are interleaved round-robin (A B C A B C ...) so that drift on a shared machine hits
/// every contender alike. The figure kept is the median repetition, timed with `ContinuousClock`;
/// the thread's CPU time is recorded alongside as a cross-check.
struct Measurer {
    let settings: MeasurementSettings
    /// Everything the bodies returned, folded together; printed at the end so no work is dead code.
    private(set) var checksum: UInt64 = 0
    private let clock = ContinuousClock()

    init(settings: MeasurementSettings) {
        self.settings = settings
    }

    mutating func measure(_ contenders: [Contender]) throws -> [Sample] {
        let counts = try contenders.map { try calibrate($0) }
        var timings = Array(repeating: [Timing](), count: contenders.count)
        for _ in 0..<settings.repetitions {
            for (index, contender) in contenders.enumerated() {
                timings[index].append(try time(contender, iterations: counts[index]))
            }
        }
        return contenders.indices.map { index in
            let units = contenders[index].unitsPerIteration * Double(counts[index])
            let rates = timings[index].map { units / $0.wall }.sorted()
            let cpuRates = timings[index].map { units / $0.cpu }.sorted()
            return Sample(name: contenders[index].name, iterations: counts[index], rate: rates[rates.count / 2],
                          minRate: rates.first!, maxRate: rates.last!, cpuRate: cpuRates[cpuRates.count / 2])
        }
    }

    /// Runs the contender in doubling batches for at least the warm-up time and returns the iteration
    /// count that makes a repetition last about `targetSeconds`, estimated from the last (warmest) batch.
    private mutating func calibrate(_ contender: Contender) throws -> Int {
        var iterations = 1
        var total = 0.0, last = 0.0
        while total < settings.warmUpSeconds {
            last = try time(contender, iterations: iterations).wall
            total += last
            iterations *= 2
        }
        let perIteration = last / Double(iterations / 2)
        return max(1, Int((settings.targetSeconds / perIteration).rounded()))
    }

    private struct Timing {
        var wall: Double
        var cpu: Double
    }

    private mutating func time(_ contender: Contender, iterations: Int) throws -> Timing {
        let body = contender.body
        var sum: UInt64 = 0
        let cpuStart = ThreadCPUTime.now()
        let start = clock.now
        for _ in 0..<iterations {
            sum &+= try body()
        }
        let wall = (clock.now - start).seconds
        let cpu = ThreadCPUTime.now() - cpuStart
        checksum = checksum &* 31 &+ sum
        // A CPU clock coarser than the run would divide by zero; fall back to the wall time.
        return Timing(wall: wall, cpu: cpu > 0 ? cpu : wall)
    }
}
