/// Times contenders side by side: each is warmed up and given its own iteration count, then the timed
/// repetitions are interleaved round-robin (A B C A B C ...) so that drift on a shared machine hits
/// every contender alike. The figure kept is the median repetition.
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
        var seconds = Array(repeating: [Double](), count: contenders.count)
        for _ in 0..<settings.repetitions {
            for (index, contender) in contenders.enumerated() {
                seconds[index].append(try time(contender, iterations: counts[index]))
            }
        }
        return contenders.indices.map { index in
            let contender = contenders[index]
            let rates = seconds[index].map { contender.unitsPerIteration * Double(counts[index]) / $0 }.sorted()
            return Sample(name: contender.name, iterations: counts[index], rate: rates[rates.count / 2],
                          minRate: rates.first!, maxRate: rates.last!)
        }
    }

    /// Runs the contender for at least the warm-up time and returns the iteration count that makes a
    /// repetition last about `targetSeconds`.
    private mutating func calibrate(_ contender: Contender) throws -> Int {
        var iterations = 1, done = 0
        var elapsed = 0.0
        while elapsed < settings.warmUpSeconds {
            elapsed += try time(contender, iterations: iterations)
            done += iterations
            iterations *= 2
        }
        let perIteration = elapsed / Double(done)
        return max(1, Int((settings.targetSeconds / perIteration).rounded()))
    }

    private mutating func time(_ contender: Contender, iterations: Int) throws -> Double {
        let body = contender.body
        var sum: UInt64 = 0
        let start = clock.now
        for _ in 0..<iterations {
            sum &+= try body()
        }
        let elapsed = (clock.now - start).seconds
        checksum = checksum &* 31 &+ sum
        return elapsed
    }
}
