import Dispatch
import Foundation
import NIOConcurrencyHelpers
import WSResultFormat

/// `results.jsonl`: one JSON object per finished case, appended and flushed to disk as each case
/// finishes, so that an interrupted or crashed run keeps every result it got.
///
/// Writes and fsyncs happen on the journal's own serial queue: an fsync on a busy disk can take
/// seconds, and done on Swift's cooperative pool it would stall the timers of every running case.
public final class ResultsJournal: Sendable {
    public let url: URL
    private let handle: FileHandle
    private let queue = DispatchQueue(label: "wsconform.journal")
    private let failure = NIOLockedValueBox<(any Error)?>(nil)

    /// Creates (or truncates) the journal file, creating its directory if needed.
    public init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.url = url
        self.handle = try FileHandle(forWritingTo: url)
    }

    /// Opens an existing journal to append to it (creating it, and its directory, if missing).
    public init(appendingTo url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: url.path) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        self.url = url
        self.handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    /// Queues one line; it is written and forced to disk in order, without blocking the caller.
    public func append(_ node: OrderedJSON) {
        append(line: node.render())
    }

    /// Queues one line of JSON text already rendered (no newline inside).
    public func append(line text: String) {
        let line = Data((text + "\n").utf8)
        queue.async { [handle, failure] in
            do {
                try handle.write(contentsOf: line)
                try handle.synchronize()
            } catch {
                failure.withLockedValue { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits until every queued line is on disk; returns the first write error, if any.
    @discardableResult
    public func flush() -> (any Error)? {
        queue.sync {}
        return failure.withLockedValue { $0 }
    }

    /// Flushes and closes the file.
    public func close() {
        queue.sync { try? handle.close() }
    }
}

/// Writing files so that readers never see half of one.
public enum AtomicFile {
    /// Writes `text` to a temporary file next to `url`, flushes it, then renames it over `url`.
    public static func write(_ text: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        _ = FileManager.default.createFile(atPath: temp.path, contents: nil)
        let h = try FileHandle(forWritingTo: temp)
        do {
            try h.write(contentsOf: Data(text.utf8))
            try h.synchronize()
            try h.close()
        } catch {
            try? h.close()
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        if rename(temp.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                                                           NSLocalizedDescriptionKey: String(cString: strerror(code))])
        }
    }
}
