import Crypto
import Foundation
import NIOCore
import WSCatalog
import WSJudge

/// The `round_trips` step (9.7, 9.8, 12.x, 13.x): one message out, its echo back and checked, the
/// next out, `count` times — Autobahn's `sendOne`/`onMessage` pair. Pure: the session sends what
/// `next()` returns and feeds every received message to `check`.
struct RoundTripDriver: Sendable {
    let step: RoundTripsStep
    private var windows: DatasetMessages?
    private let fixed: [UInt8]
    private var expected: [UInt8] = []
    private(set) var sent = 0
    private(set) var completed = 0
    private(set) var mismatch: RoundTripMismatch?

    /// - Parameter dataset: the dataset's octets when the step sends dataset windows.
    init(step: RoundTripsStep, dataset: [UInt8]?) {
        self.step = step
        switch step.source {
        case let .payload(p):
            fixed = p.bytes()
            windows = nil
        case let .dataset(window):
            fixed = []
            windows = DatasetMessages(data: dataset ?? [], window: window)
        }
    }

    var isDone: Bool { mismatch != nil || completed >= step.count }

    /// The next message to send.
    mutating func next() -> ByteBuffer {
        if var w = windows {
            expected = w.next()
            windows = w
        } else {
            expected = fixed
        }
        sent += 1
        return ByteBuffer(bytes: expected)
    }

    /// Checks an echo; returns true when it matched (then send `next()` unless `isDone`).
    mutating func check(_ type: MessageType, _ payload: ByteBuffer) -> Bool {
        let index = completed
        let sameType = type == step.type
        let matched: Bool
        switch step.compare {
        case .typeAndLength:
            matched = sameType && payload.readableBytes == expected.count
        case .typeLengthSHA1:
            // Equal octets imply equal SHA-1; the hashes are computed only to report a mismatch.
            matched = sameType && payload.readableBytes == expected.count && payload.withUnsafeReadableBytes { got in
                expected.withUnsafeBytes { want in
                    want.isEmpty || memcmp(got.baseAddress!, want.baseAddress!, want.count) == 0
                }
            }
        }
        if matched {
            completed += 1
            return true
        }
        let got = Array(payload.readableBytesView)
        var m = RoundTripMismatch(index: index, expectedType: step.type, expectedLength: units(expected), gotType: type,
                                  gotLength: units(got))
        if step.compare == .typeLengthSHA1 {
            m.expectedSHA1 = Array(Insecure.SHA1.hash(data: expected))
            m.gotSHA1 = Array(Insecure.SHA1.hash(data: got))
        }
        mismatch = m
        return false
    }

    /// Length in the step's unit: characters (Unicode scalars) for text datasets sliced by
    /// characters, as Autobahn compares `len()` of the decoded text; octets otherwise.
    private func units(_ bytes: [UInt8]) -> Int {
        if case let .dataset(w) = step.source, w.unit == .characters {
            return bytes.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        }
        return bytes.count
    }

    var log: RoundTripLog { RoundTripLog(completed: completed, mismatch: mismatch) }
}
