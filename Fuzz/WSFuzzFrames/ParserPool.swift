import NIOConcurrencyHelpers
import WSFrames

/// Frame parsers kept from one fuzz input to the next (`FrameParser.reset`). WHY: a fresh pair per
/// input allocated two buffers, and under ASan (stack traces, quarantine, libFuzzer's malloc hooks)
/// allocations were a quarter of the target's time. Locked, because the replay tests may run the
/// two frame targets on different threads.
enum ParserPool {
    private static let free = NIOLockedValueBox<[FrameParser]>([])

    /// A parser for a new stream, reset to `configuration`.
    static func take(_ configuration: FrameParser.Configuration) -> FrameParser {
        guard var parser = free.withLockedValue({ $0.popLast() }) else { return FrameParser(configuration: configuration) }
        parser.reset(configuration: configuration)
        return parser
    }

    /// Keeps `parser` for a later `take` (a few at most).
    static func give(_ parser: FrameParser) {
        free.withLockedValue { if $0.count < 4 { $0.append(parser) } }
    }
}
