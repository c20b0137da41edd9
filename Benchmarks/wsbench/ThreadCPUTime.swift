#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time consumed by the calling thread, in seconds. Unlike wall-clock time it leaves out the time
/// the thread spent waiting for a CPU, which on a shared machine is a large and erratic share.
enum ThreadCPUTime {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
