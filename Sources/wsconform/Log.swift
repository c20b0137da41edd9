import Foundation

/// Log lines go to stderr so that stdout carries only results.
enum Log {
    enum Level: Int, Comparable, Sendable {
        case debug, info, error
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    nonisolated(unsafe) static var level: Level = .info

    static func debug(_ message: @autoclosure () -> String) { write(.debug, message()) }
    static func info(_ message: @autoclosure () -> String) { write(.info, message()) }
    static func error(_ message: @autoclosure () -> String) { write(.error, "error: " + message()) }

    private static func write(_ l: Level, _ message: String) {
        guard l >= level else { return }
        FileHandle.standardError.write(Data(("wsconform: " + message + "\n").utf8))
    }
}
