/// A broken property found by a fuzz target: what should have held, and the evidence.
///
/// Properties throw instead of trapping so that the same code serves two callers: the libFuzzer
/// entry point turns a failure into a crash (the fuzzer's only signal), while the unit tests that
/// replay the committed corpus report it as an ordinary test failure.
public struct FuzzFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var file: String
    public var line: Int

    public init(_ message: String, file: String = #fileID, line: Int = #line) {
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "property violated (\(file):\(line)): \(message)" }
}

/// Throws a `FuzzFailure` with `message` unless `condition` holds. (Inlinable: the targets call
/// these for every frame, from other modules, and an unspecialised generic call shows in a profile.)
@inlinable @inline(__always)
public func check(_ condition: Bool, _ message: @autoclosure () -> String,
                  file: String = #fileID, line: Int = #line) throws(FuzzFailure) {
    if !condition { throw FuzzFailure(message(), file: file, line: line) }
}

/// Throws unless `a == b`, showing both values.
@inlinable @inline(__always)
public func checkEqual<T: Equatable>(_ a: T, _ b: T, _ what: @autoclosure () -> String,
                                     file: String = #fileID, line: Int = #line) throws(FuzzFailure) {
    if a != b { throw FuzzFailure("\(what()): \(a) != \(b)", file: file, line: line) }
}
