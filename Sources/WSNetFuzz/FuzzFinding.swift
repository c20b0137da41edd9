import WSCatalog
import WSEngine
import WSJudge
import WSResults

/// What a peer did wrong in one sequence.
public enum FuzzFindingKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The peer stopped accepting connections after the sequence (it crashed or hung up for good).
    case died
    /// The opening handshake did not complete.
    case handshakeFailed = "handshake-failed"
    /// The peer sent frames the harness rejects (RFC 6455 violations of its own).
    case invalidFromPeer = "invalid-from-peer"
    /// The peer failed or closed the connection although everything it got was valid.
    case rejectedValid = "rejected-valid"
    /// An echo or pong did not match what was sent (content, type or order).
    case wrongEcho = "wrong-echo"
    /// An echo or pong did not come within the deadline, with the connection still open.
    case noAnswer = "no-answer"
    /// After invalid input the connection was still open at the deadline.
    case notFailed = "not-failed"
    /// The peer answered the invalid input (echoed it) instead of failing the connection.
    case acceptedInvalid = "accepted-invalid"
    /// The peer failed the connection with a close code RFC 6455 does not ask for.
    case wrongCloseCode = "wrong-close-code"
    /// Failed in a way none of the above describes (see the verdict's reasons).
    case other

    public var description: String { rawValue }

    /// One line for summaries.
    public var meaning: String {
        switch self {
        case .died: "stopped accepting connections"
        case .handshakeFailed: "opening handshake failed"
        case .invalidFromPeer: "sent invalid frames"
        case .rejectedValid: "failed the connection on valid input"
        case .wrongEcho: "echoed something else"
        case .noAnswer: "did not answer within the deadline"
        case .notFailed: "did not fail the connection on invalid input"
        case .acceptedInvalid: "answered invalid input"
        case .wrongCloseCode: "failed the connection with the wrong close code"
        case .other: "failed the case"
        }
    }

    /// Sorts a failed run of `sequence` (rendered as `result.testCase`) into a kind.
    static func classify(_ result: CaseResult, _ sequence: FuzzSequence) -> FuzzFindingKind {
        let o = result.observation
        if !o.opened { return .handshakeFailed }
        if case .protocolViolation? = o.harnessFailure?.reason { return .invalidFromPeer }
        let expected = result.testCase.expect.outcomes.first?.events ?? []
        let got = o.events
        let isPrefix = got.count < expected.count && zip(expected, got).allSatisfy { $0.matches($1) }
        let peerEnded = o.closeInitiator == .peer || (o.closeInitiator == nil && o.tcpEnd?.closedFirstBy == .peer)
        if !expected.matches(got) {
            if isPrefix { return peerEnded ? .rejectedValid : .noAnswer }
            if sequence.violation != nil && got.count > expected.count && zip(expected, got).allSatisfy({ $0.matches($1) }) {
                return .acceptedInvalid
            }
            return .wrongEcho
        }
        if sequence.violation != nil {
            if result.verdict.behaviorClose == .wrongCode { return .wrongCloseCode }
            if o.closedByHarness { return .notFailed }
        } else if peerEnded {
            return .rejectedValid
        }
        return .other
    }
}

/// One thing found, with the (shrunk) sequence and case that reproduce it.
public struct FuzzFinding: Sendable {
    public var kind: FuzzFindingKind
    /// The sequence as shrunk (equal to `original` when shrinking did not help or was off).
    public var sequence: FuzzSequence
    public var original: FuzzSequence
    /// `sequence` as a case: what the finding file holds.
    public var testCase: TestCase
    /// The verdict of the last run that showed it (nil for `died`).
    public var verdict: Verdict?
    /// What happened, in words.
    public var detail: String
    /// Whether re-running the sequence showed the same kind again (nil: not re-run).
    public var reproduced: Bool?
    /// Other sequences of the run with the same signature.
    public var duplicates: Int

    /// Findings with equal signatures are the same problem: only the first is shrunk and written.
    public var signature: String { Self.signature(kind, original) }

    static func signature(_ kind: FuzzFindingKind, _ s: FuzzSequence) -> String {
        "\(kind)/\(s.violation?.kind.rawValue ?? "valid")"
    }

    /// One line: kind, what the sequence did, what happened.
    public var summary: String { "\(kind) (\(kind.meaning)): \(testCase.title.replacingOccurrences(of: "Fuzz: ", with: "")) — \(detail)" }
}
