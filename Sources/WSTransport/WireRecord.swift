import NIOCore

/// One read from or write to the connection, as the application layer saw it (with TLS: plaintext).
public struct WireRecord: Sendable, Hashable {
    public enum Direction: Sendable, Hashable {
        case read
        case write
    }

    public var direction: Direction
    /// How many bytes were read or written.
    public var length: Int
    /// The bytes, possibly only a prefix of them (or none) once the recording budget is spent.
    public var bytes: ByteBuffer
    /// Monotonic nanoseconds since the connection was established.
    public var nanos: UInt64

    public init(direction: Direction, length: Int, bytes: ByteBuffer, nanos: UInt64) {
        self.direction = direction
        self.length = length
        self.bytes = bytes
        self.nanos = nanos
    }

    /// True when `bytes` holds less than `length` bytes.
    public var isTruncated: Bool { self.bytes.readableBytes < self.length }
}

/// Counters over every read and write, kept even after the recording budget is spent.
public struct WireStats: Sendable, Hashable {
    public var reads = 0
    public var writes = 0
    public var bytesRead = 0
    public var bytesWritten = 0
    /// Read sizes → how many reads had that size (Autobahn's `rxOctetStats`).
    public var readSizes: [Int: Int] = [:]
    /// Write sizes → how many writes had that size (Autobahn's `txOctetStats`).
    public var writeSizes: [Int: Int] = [:]
    /// Reads and writes counted here but not kept as `WireRecord`s (record limit reached).
    public var unrecorded = 0

    public init() {}
}

/// How much of the traffic a connection keeps as `WireRecord`s. Counters are always kept.
public struct RecordingLimits: Sendable, Hashable {
    /// Total payload bytes stored across all records; later records keep only their length.
    public var maxStoredBytes: Int
    /// Records kept; later reads and writes only update `WireStats`.
    public var maxRecords: Int

    public init(maxStoredBytes: Int = 4 << 20, maxRecords: Int = 100_000) {
        self.maxStoredBytes = max(0, maxStoredBytes)
        self.maxRecords = max(0, maxRecords)
    }

    /// 4 MiB of bytes in at most 100 000 records.
    public static let `default` = RecordingLimits()
    /// Counters only.
    public static let countsOnly = RecordingLimits(maxStoredBytes: 0, maxRecords: 0)
}

/// Accumulates records and stats within the limits. Bytes are copied into exact-size buffers so a
/// record never pins a large socket read buffer or a caller's multi-megabyte write.
struct WireRecorder: Sendable {
    let limits: RecordingLimits
    private(set) var records: [WireRecord] = []
    private(set) var stats = WireStats()
    private var storedBytes = 0
    /// Shared by every record past the byte budget, so those cost no allocation.
    private static let empty = ByteBuffer()

    init(limits: RecordingLimits) {
        self.limits = limits
    }

    mutating func record(_ direction: WireRecord.Direction, _ buffer: ByteBuffer, nanos: UInt64) {
        let length = buffer.readableBytes
        switch direction {
        case .read:
            self.stats.reads += 1
            self.stats.bytesRead += length
            self.stats.readSizes[length, default: 0] += 1
        case .write:
            self.stats.writes += 1
            self.stats.bytesWritten += length
            self.stats.writeSizes[length, default: 0] += 1
        }
        guard self.records.count < self.limits.maxRecords else {
            self.stats.unrecorded += 1
            return
        }
        let keep = min(length, self.limits.maxStoredBytes - self.storedBytes)
        let bytes = keep > 0 ? ByteBuffer(bytes: buffer.readableBytesView.prefix(keep)) : Self.empty
        self.storedBytes += keep
        self.records.append(WireRecord(direction: direction, length: length, bytes: bytes, nanos: nanos))
    }
}
