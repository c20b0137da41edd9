import Foundation
import NIOConcurrencyHelpers

/// `results.jsonl`: one JSON object per finished case, appended and flushed to disk as each case
/// finishes, so that an interrupted or crashed run keeps every result it got.
public final class ResultsJournal: Sendable {
    public let url: URL
    private let handle: NIOLockedValueBox<FileHandle>

    /// Creates (or truncates) the journal file, creating its directory if needed.
    public init(url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        self.url = url
        self.handle = NIOLockedValueBox(try FileHandle(forWritingTo: url))
    }

    /// Appends one line and forces it to disk before returning.
    public func append(_ node: JSONNode) throws {
        let line = Data((node.render() + "\n").utf8)
        try handle.withLockedValue { h in
            try h.write(contentsOf: line)
            try h.synchronize()
        }
    }

    public func close() {
        handle.withLockedValue { try? $0.close() }
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
