import NIOCore

extension TimeAmount {
    /// The same span in NIO's unit, saturating at ±Int64.max nanoseconds.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow {
            self = .nanoseconds(seconds < 0 ? .min : .max)
            return
        }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        self = .nanoseconds(overflow2 ? (seconds < 0 ? .min : .max) : total)
    }
}

extension NIODeadline {
    /// The NIO deadline at the same moment as a `ContinuousClock` instant (both are monotonic; only
    /// the distance from now carries over).
    package init(_ instant: ContinuousClock.Instant) {
        let remaining = ContinuousClock.now.duration(to: instant)
        if remaining > .seconds(100 * 365 * 86_400) {
            self = .distantFuture
        } else if remaining <= .zero {
            self = .now()
        } else {
            self = .now() + TimeAmount(remaining)
        }
    }
}
