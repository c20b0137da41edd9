import Foundation
import WSCaseRunner

/// How a network fuzzing run goes (`wsconform fuzz-server` / `fuzz-client`).
public struct NetFuzzOptions: Sendable {
    /// Sequence i of a seed is the same on every run.
    public var seed: UInt64
    /// No new sequence starts after this (shrinking the findings comes on top, bounded by `shrinkTime`).
    public var duration: Duration
    /// Stop after this many sequences (nil: only the duration bounds the run).
    public var maxSequences: Int?
    /// Stop once this many distinct findings are known; only these are shrunk and written.
    public var maxFindings: Int
    /// Sequences run at the same time, each on its own connection.
    public var jobs: Int
    /// How long the peer has for each answer (echo, pong, failing the connection, closing).
    public var deadline: Duration
    /// Re-runs spent shrinking one finding, and the time they may take together (over all findings).
    public var shrinkAttempts: Int
    public var shrinkTime: Duration
    /// Where finding files go (nil: nowhere).
    public var outputDirectory: URL?
    public var generator: FuzzSequenceGenerator.Options
    public var caseOptions: CaseRunOptions

    public init(seed: UInt64, duration: Duration = .seconds(60), maxSequences: Int? = nil, maxFindings: Int = 20, jobs: Int = 1,
                deadline: Duration = .seconds(2), shrinkAttempts: Int = 40, shrinkTime: Duration = .seconds(60),
                outputDirectory: URL? = nil, generator: FuzzSequenceGenerator.Options = .init(),
                caseOptions: CaseRunOptions = CaseRunOptions()) {
        self.seed = seed
        self.duration = duration
        self.maxSequences = maxSequences
        self.maxFindings = maxFindings
        self.jobs = jobs
        self.deadline = deadline
        self.shrinkAttempts = shrinkAttempts
        self.shrinkTime = shrinkTime
        self.outputDirectory = outputDirectory
        self.generator = generator
        self.caseOptions = caseOptions
    }
}

/// What a network fuzzing run found.
public struct NetFuzzReport: Sendable {
    public var seed: UInt64
    /// Sequences run to the end, and how many of them were valid traffic.
    public var sequences: Int
    public var validSequences: Int
    /// One per signature, in the order found.
    public var findings: [FuzzFinding]
    /// The files written, one per finding.
    public var files: [URL]
    /// Why the run stopped before its duration, if it did.
    public var stop: String?
    public var elapsed: Duration

    /// `fuzz-server: seed 42, 812 sequences (320 valid) in 60.0 s: 2 findings (not-failed/non-minimal-length ×37, ...)`.
    public func summaryLine(command: String) -> String {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var line = "\(command): seed \(seed), \(sequences) sequences (\(validSequences) valid) in "
            + String(format: "%.1f", seconds) + " s: "
        if findings.isEmpty {
            line += "no findings"
        } else {
            line += "\(findings.count) finding\(findings.count == 1 ? "" : "s") ("
                + findings.map { "\($0.signature)" + ($0.duplicates > 0 ? " ×\($0.duplicates + 1)" : "") }.joined(separator: ", ") + ")"
        }
        if let stop { line += "; stopped: \(stop)" }
        return line
    }
}

/// Why a fuzzing run could not start.
public enum NetFuzzError: Error, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// The peer could not be reached at all before the first sequence.
    case unreachable(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case let .invalidURL(why): "invalid URL: \(why)"
        case let .unreachable(why): why
        case let .cannotWrite(why): why
        }
    }
}
