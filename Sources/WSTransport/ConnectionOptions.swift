/// Per-connection settings shared by `RawConnection.connect` and `RawListener.bind`.
public struct ConnectionOptions: Sendable, Hashable {
    /// Bytes read ahead of the consumer before socket reads pause (back-pressure). Reading ahead
    /// lets a FIN or RST be seen while the consumer is busy; the bound keeps memory flat when it is
    /// slow. One socket read may overshoot it by up to a few read buffers (4 × 64 KiB).
    public var readAheadLimit: Int
    /// How much traffic is kept as `WireRecord`s.
    public var recording: RecordingLimits

    public init(readAheadLimit: Int = 256 << 10, recording: RecordingLimits = .default) {
        self.readAheadLimit = max(1, readAheadLimit)
        self.recording = recording
    }
}
