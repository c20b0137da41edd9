/// The memcpy baseline: copies one heap block into another of the same size.
final class RawCopy {
    private let source: UnsafeMutableRawBufferPointer
    private let destination: UnsafeMutableRawBufferPointer

    init(_ bytes: [UInt8]) {
        source = .allocate(byteCount: bytes.count, alignment: 16)
        destination = .allocate(byteCount: bytes.count, alignment: 16)
        source.copyBytes(from: bytes)
        destination.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        source.deallocate()
        destination.deallocate()
    }

    /// Copies once; returns the last copied byte.
    func copy() -> UInt64 {
        destination.copyMemory(from: UnsafeRawBufferPointer(source))
        return UInt64(destination[destination.count - 1])
    }
}
