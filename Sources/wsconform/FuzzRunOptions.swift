import ArgumentParser
import Foundation
import WSConformance

/// The options fuzz-server and fuzz-client share.
struct FuzzRunOptions: ParsableArguments {
    @Option(help: "Seed of the sequences (same seed, same sequences). Default: a random one, printed.")
    var seed: UInt64?

    @Option(help: "How long to generate new sequences: 60s, 5m, 500ms or a number of seconds (default: 60s).",
            transform: FuzzRunOptions.duration)
    var duration: Duration = .seconds(60)

    @Option(help: "Directory for one case file per finding (catalog section 90/91; rerun with --catalog DIR).")
    var out: String?

    @Option(help: "Stop once this many distinct findings are known; only these are shrunk and written.")
    var maxCases = 20

    @Option(parsing: .unconditional, help: "Stop after this many sequences.")
    var sequences: Int?

    @Option(parsing: .unconditional, help: "Sequences run at the same time, each on its own connection.")
    var jobs = 1

    @Option(help: "Time the peer has for each answer: an echo or pong, failing the connection after invalid input, closing (default: 2s).",
            transform: FuzzRunOptions.duration)
    var deadline: Duration = .seconds(2)

    @Option(help: "Percentage of sequences that end in a violation.")
    var invalidPercent = 60

    @Option(help: "Violations to leave out, comma-separated (\(ViolationKind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var skip: [String] = []

    @Option(help: "Violations to add to the default set, comma-separated: non-minimal-length (receivers may accept it, so it is off by default).")
    var include: [String] = []

    @Option(help: "Largest message payload in octets.")
    var maxPayload = 70_000

    @Flag(help: "Write findings as found, without re-running them to shrink.")
    var noShrink = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs).") }
        guard maxCases >= 1 else { throw ValidationError("--max-cases must be at least 1, got \(maxCases).") }
        if let sequences, sequences < 1 { throw ValidationError("--sequences must be at least 1, got \(sequences).") }
        guard (0...100).contains(invalidPercent) else { throw ValidationError("--invalid-percent must be 0...100.") }
        guard maxPayload >= 0 else { throw ValidationError("--max-payload must not be negative.") }
        if let seed, seed > UInt64(Int.max) { throw ValidationError("--seed must be at most \(Int.max).") }
        _ = try kinds()
    }

    func kinds() throws -> [ViolationKind] {
        func names(_ list: [String], _ option: String) throws -> Set<String> {
            let names = list.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            for name in names where ViolationKind(rawValue: name) == nil {
                throw ValidationError("unknown violation '\(name)' in \(option); valid: \(ViolationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return Set(names)
        }
        let skipped = try names(skip, "--skip"), added = try names(include, "--include")
        return ViolationKind.allCases.filter {
            (ViolationKind.byDefault.contains($0) || added.contains($0.rawValue)) && !skipped.contains($0.rawValue)
        }
    }

    /// The library options, with `seed` chosen.
    func netFuzzOptions(seed: UInt64) throws -> NetFuzzOptions {
        NetFuzzOptions(seed: seed, duration: duration, maxSequences: sequences, maxFindings: maxCases, jobs: jobs, deadline: deadline,
                       shrinkAttempts: noShrink ? 0 : 40, outputDirectory: out.map { URL(fileURLWithPath: $0) },
                       generator: .init(violationPercent: invalidPercent, kinds: try kinds(), maxPayload: maxPayload))
    }

    /// The seed given, or a fresh one small enough to type.
    var chosenSeed: UInt64 { seed ?? UInt64.random(in: 1...999_999) }

    static func duration(_ text: String) throws -> Duration {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            if let v = Double(t.dropLast(suffix.count)), v > 0 { return .milliseconds(Int64(v * scale * 1000)) }
            break
        }
        if let v = Double(t), v > 0 { return .milliseconds(Int64(v * 1000)) }
        throw ValidationError("'\(text)' is not a duration: use 60s, 5m, 500ms or a number of seconds.")
    }
}

/// Printing a fuzzing run as it goes, and its end.
enum FuzzOutput {
    static func progress(quiet: Bool) -> @Sendable (NetFuzzEvent) async -> Void {
        { event in
            switch event {
            case let .found(kind, signature, sequence):
                if !quiet { Log.info("sequence \(sequence): \(signature) (\(kind.meaning))") }
            case let .reported(finding, file):
                print("FINDING \(finding.summary)")
                if let file { print("  case file: \(file.path)") }
            case .sequence:
                break
            }
        }
    }

    /// Prints the summary and returns the exit status: 1 with findings, 0 without.
    static func finish(_ report: NetFuzzReport, command: String) -> Int32 {
        print(report.summaryLine(command: command))
        return report.findings.isEmpty ? ExitStatus.ok : ExitStatus.failures
    }
}
