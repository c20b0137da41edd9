/// A benchmark found that a contender computes something wrong; its figures would be meaningless.
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
}
