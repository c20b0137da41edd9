import Foundation
import NIOConcurrencyHelpers
import WSCatalog
import WSResultFormat

/// One run's results in one directory, for both roles: `results.jsonl` gets a line as each case
/// finishes (flushed to disk), and the cases stay in memory, as lines for `results.json` and as
/// `CaseRecord`s for the reports, so neither is read back from disk at the end.
///
/// The journal is created on the first result, not before: a run whose peer never answered leaves
/// an earlier run in the directory as it was. Thread-safe; appends never wait for the disk.
public final class ResultsStore: Sendable {
    /// How the journal is opened on the first result.
    public enum Start: Sendable {
        /// A new run: the journal is truncated and the directory's `results.json` removed, so the
        /// directory never mixes two runs (test-server; `OutputDirectory.check` allowed it).
        case replacing
        /// Goes on from the results already in the directory (the fuzzing server's agents).
        case appending
    }

    public let directory: URL
    public var journalURL: URL { directory.appendingPathComponent("results.jsonl") }
    private let start: Start
    private let state: NIOLockedValueBox<State>

    private struct State {
        var journal: ResultsJournal?
        /// Why the journal could not be created; set once, then no more attempts.
        var failure: String?
        /// The journal was created once: opening it again (after `close`) appends.
        var created = false
        var cases: [CaseID: StoredCaseResult] = [:]
        /// Ids in the order their latest result arrived.
        var order: [CaseID] = []
    }

    /// A store for `directory`; nothing is written before the first result (or `open`).
    public init(directory: URL, start: Start) {
        self.directory = directory
        self.start = start
        self.state = NIOLockedValueBox(State())
    }

    /// Reopens a directory an earlier session wrote: its results are loaded (see `load`) and its
    /// journal rewritten with one line per case, the newest; later results are appended. Throws
    /// when that journal cannot be rewritten.
    public convenience init(resuming directory: URL) throws {
        self.init(directory: directory, start: .appending)
        let loaded = Self.load(directory)
        guard !loaded.isEmpty else { return }
        try AtomicFile.write(loaded.map { $0.line + "\n" }.joined(), to: journalURL)
        state.withLockedValue { s in
            for r in loaded { s.cases[r.id] = r }
            s.order = loaded.map(\.id)
        }
    }

    /// The results of a directory in id order: its journal (a later line for the same case wins; a
    /// last line cut short by a crash is skipped), else the cases of its `results.json`.
    public static func load(_ directory: URL) -> [StoredCaseResult] {
        var out: [CaseID: StoredCaseResult] = [:]
        if let data = FileManager.default.contents(atPath: directory.appendingPathComponent("results.jsonl").path) {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                if let r = StoredCaseResult(line: String(line)) { out[r.id] = r }
            }
        }
        if out.isEmpty, let data = FileManager.default.contents(atPath: directory.appendingPathComponent("results.json").path),
           let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let cases = doc["cases"] as? [[String: Any]] {
            for c in cases {
                if let r = StoredCaseResult(object: c) { out[r.id] = r }
            }
        }
        return out.values.sorted { $0.id < $1.id }
    }

    /// Creates the journal now if it does not exist yet; false when it cannot be (see `failure`).
    @discardableResult
    public func open() -> Bool {
        state.withLockedValue { openLocked(&$0) }
    }

    private func openLocked(_ s: inout State) -> Bool {
        if s.journal != nil { return true }
        if s.failure != nil { return false }
        do {
            if start == .replacing && !s.created {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent("results.json"))
                s.journal = try ResultsJournal(url: journalURL)
            } else {
                s.journal = try ResultsJournal(appendingTo: journalURL)
            }
            s.created = true
            return true
        } catch {
            s.failure = "cannot create \(journalURL.path): \(error.localizedDescription)"
            return false
        }
    }

    /// Why the journal could not be created, if it could not.
    public var failure: String? { state.withLockedValue(\.failure) }

    /// Files a finished case (replacing an earlier result for it) and queues its journal line.
    @discardableResult
    public func record(_ result: CaseResult, position: Int?) -> StoredCaseResult {
        let stored = StoredCaseResult(result, position: position)
        state.withLockedValue { s in
            if openLocked(&s) { s.journal?.append(line: stored.line) }
            if s.cases.updateValue(stored, forKey: stored.id) != nil { s.order.removeAll { $0 == stored.id } }
            s.order.append(stored.id)
        }
        return stored
    }

    public subscript(id: CaseID) -> StoredCaseResult? { state.withLockedValue { $0.cases[id] } }

    /// Every case, in id order.
    public var results: [StoredCaseResult] { state.withLockedValue { s in s.cases.values.sorted { $0.id < $1.id } } }
    /// Each case's line as written, for `results.json`.
    public var lines: [CaseID: String] { state.withLockedValue { $0.cases.mapValues(\.line) } }
    /// The cases as the reports read them, in the order they finished.
    public var records: [CaseRecord] { state.withLockedValue { s in s.order.compactMap { s.cases[$0]?.record } } }
    public var isEmpty: Bool { state.withLockedValue(\.cases.isEmpty) }

    /// Waits until every line queued so far is on disk; returns the first write error, if any.
    @discardableResult
    public func flush() -> String? {
        let journal = state.withLockedValue(\.journal)
        return journal?.flush().map { "cannot append to \(journalURL.path): \($0)" }
    }

    /// Flushes and closes the journal (a later result opens it again, appending); returns the
    /// first write error, if any.
    @discardableResult
    public func close() -> String? {
        let journal = state.withLockedValue { s in
            defer { s.journal = nil }
            return s.journal
        }
        guard let journal else { return nil }
        let error = journal.flush().map { "cannot append to \(journalURL.path): \($0)" }
        journal.close()
        return error
    }
}
