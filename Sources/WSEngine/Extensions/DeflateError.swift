/// Failures of `DeflateCodec`.
public enum DeflateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message being decompressed would exceed `limit` bytes; decompression stopped there.
    case messageTooLarge(limit: Int)
    /// The peer's compressed data is not valid DEFLATE (or does not end as RFC 7692 §7.2.1 requires).
    case invalidData(String)
    /// zlib failed for a reason unrelated to the data (out of memory, internal error).
    case zlibFailure(String)

    /// The violation to fail the connection with, or nil for a local failure (close 1011).
    public var protocolViolation: ProtocolViolation? {
        switch self {
        case let .messageTooLarge(limit): .messageTooLarge(size: UInt64(limit) + 1, limit: UInt64(limit))
        case let .invalidData(why): .invalidCompressedData(why)
        case .zlibFailure: nil
        }
    }

    public var description: String {
        switch self {
        case let .messageTooLarge(limit): "decompressed message exceeds the limit of \(limit) bytes"
        case let .invalidData(why): "invalid compressed data: \(why)"
        case let .zlibFailure(why): "zlib failure: \(why)"
        }
    }
}
