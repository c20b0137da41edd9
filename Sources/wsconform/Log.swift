import Foundation

/// Log lines go to stderr so that stdout carries only results.
enum Log {
    enum Level: Int, Comparable, Sendable {
        case debug, info, error
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    nonisolated(unsafe) static var level: Level = .info
    /// Set when the process starts (`Entry` touches it first).
    static let started = ContinuousClock.now

    static func debug(_ message: @autoclosure () -> String) { write(.debug, message()) }
    /// A debug line with the seconds since the process started (where start-up and report time go).
    static func phase(_ what: @autoclosure () -> String) {
        guard level <= .debug else { return }
        let (s, atto) = (ContinuousClock.now - started).components
        write(.debug, String(format: "[%.3f s] ", Double(s) + Double(atto) / 1e18) + what())
    }
    static func info(_ message: @autoclosure () -> String) { write(.info, message()) }
    static func error(_ message: @autoclosure () -> String) { write(.error, "error: " + message()) }

    private static func write(_ l: Level, _ message: String) {
        guard l >= level else { return }
        FileHandle.standardError.write(Data(("wsconform: " + message + "\n").utf8))
    }
}
