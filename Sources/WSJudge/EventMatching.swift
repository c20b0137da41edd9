import Foundation
import NIOCore
import WSCatalog
import WSEngine

extension ExpectedEvent {
    /// Exact equality with a recorded event: same kind, type, tag and payload octets.
    public func matches(_ event: ReceivedEvent) -> Bool {
        switch (self, event) {
        case let (.message(t1, p), .message(t2, b)): return t1 == t2 && p.equals(b)
        case let (.pong(p), .pong(b)): return p.equals(b)
        case let (.timeout(a), .timeout(b)): return a == b
        case let (.run(e, _, _), _): return e.matches(event)
        default: return false
        }
    }
}

extension Payload {
    /// Byte-for-byte equality with a buffer; the length is compared first so a wrong 16 MiB echo is
    /// rejected without materialising the expected bytes.
    public func equals(_ buffer: ByteBuffer) -> Bool {
        guard count == buffer.readableBytes else { return false }
        // memcmp, not elementsEqual: a 128 MiB echo (24.4.1) compared element by element takes
        // minutes in a debug build and would stall the case's actor.
        let expected = bytes()
        return buffer.withUnsafeReadableBytes { got in
            expected.withUnsafeBytes { want in
                got.count == want.count && (got.count == 0 || memcmp(got.baseAddress!, want.baseAddress!, got.count) == 0)
            }
        }
    }
}

extension Array where Element == ExpectedEvent {
    /// Autobahn's comparison: the same events in the same order, nothing more, nothing less. A
    /// `run` stands for any count of consecutive equal events within its bounds.
    public func matches(_ received: [ReceivedEvent]) -> Bool {
        guard contains(where: \.isRun) else {
            return count == received.count && zip(self, received).allSatisfy { $0.matches($1) }
        }
        return Self.match(self[...], received[...])
    }

    /// Longest run first, then shorter ones (the loader allows no nested runs; lists are short).
    private static func match(_ expected: ArraySlice<ExpectedEvent>, _ received: ArraySlice<ReceivedEvent>) -> Bool {
        guard let first = expected.first else { return received.isEmpty }
        guard case let .run(event, low, high) = first else {
            guard let got = received.first, first.matches(got) else { return false }
            return match(expected.dropFirst(), received.dropFirst())
        }
        let longest = received.prefix(high).prefix { event.matches($0) }.count
        guard longest >= low else { return false }
        for n in stride(from: longest, through: low, by: -1) where match(expected.dropFirst(), received.dropFirst(n)) {
            return true
        }
        return false
    }
}

extension ExpectedEvent {
    var isRun: Bool {
        if case .run = self { return true }
        return false
    }
}

extension TestCase {
    /// Autobahn's `finishWhenDone`, for the runner to call after each recorded event: true when the
    /// harness should now send Close with `closeCodeForAutoClose` — the events equal *every* expected
    /// outcome list, the harness is expected to close first, and auto-close is on.
    public func shouldAutoClose(after received: [ReceivedEvent]) -> Bool {
        guard autoClose, expect.close.closedByHarness, case let .events(outcomes) = expect.source else { return false }
        return outcomes.allSatisfy { $0.events.matches(received) }
    }

    /// The code the auto-close uses: the first expected close code (1000 in every Autobahn case).
    public var closeCodeForAutoClose: CloseCode { expect.close.codes.first ?? .normalClosure }
}
