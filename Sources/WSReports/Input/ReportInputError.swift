/// A result file that could not be read: which file, and why, in words a user can act on.
public struct ReportInputError: Error, Sendable, CustomStringConvertible {
    /// The file or directory.
    public var path: String
    /// Why it could not be read.
    public var reason: String

    /// An error about `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
