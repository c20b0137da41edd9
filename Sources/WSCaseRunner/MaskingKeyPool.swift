#if canImport(Glibc)
import Glibc
#endif
import WSEngine

/// Masking keys for the harness's own frames, taken from the system's generator 512 at a time, so
/// that a round trip costs no `getrandom` call of its own while every key stays unpredictable
/// (RFC 6455 §5.3).
struct MaskingKeyPool: Sendable {
    private var octets: [UInt8] = []
    private var next = 0

    mutating func take() -> MaskingKey {
        if next + 4 > octets.count { refill() }
        defer { next += 4 }
        return MaskingKey(octets[next], octets[next + 1], octets[next + 2], octets[next + 3])
    }

    private mutating func refill() {
        let count = 2048
        octets = [UInt8](repeating: 0, count: count)
        next = 0
        #if canImport(Glibc)
        // The kernel's generator in one read (the standard library's asks it for 8 octets a call).
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            let filled = octets.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
            close(fd)
            if filled == count { return }
        }
        #endif
        var system = SystemRandomNumberGenerator()
        for i in 0..<count { octets[i] = system.next() }
    }
}
