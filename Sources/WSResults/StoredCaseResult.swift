import Foundation
import WSCatalog
import WSResultFormat

/// One agent's result for one case as the fuzzing server keeps it: the case object exactly as it is
/// written to `results.jsonl` (one line of JSON), plus the verdict fields the server answers with.
/// Results of earlier runs, read back from disk, are kept the same way.
public struct StoredCaseResult: Sendable, Hashable {
    public var id: CaseID
    /// The case object of schema `wsconform.results/1`, rendered on one line.
    public var line: String
    public var behavior: String
    public var behaviorClose: String
    public var acceptable: Bool

    /// The stored form of a result.
    /// - Parameters:
    ///   - result: the case's result.
    ///   - position: the case's 1-based position in the whole catalog.
    public init(_ result: CaseResult, position: Int?) {
        id = result.id
        line = CaseResultJSON.node(result, position: position).render()
        behavior = result.verdict.behavior.rawValue
        behaviorClose = result.verdict.behaviorClose.rawValue
        acceptable = result.acceptable
    }

    /// The verdict's reasons (or its result texts), read from the stored case object.
    public var reasons: [String] {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return [] }
        if let r = o["reasons"] as? [String], !r.isEmpty { return r }
        return [o["result"] as? String, o["resultClose"] as? String].compactMap { $0 }
    }

    /// How the case's WebSocket was carried: true for an HTTP/2 stream, false for an HTTP/1.1
    /// upgrade, nil when the opening handshake never completed.
    public var openedOverHTTP2: Bool? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let handshake = o["handshake"] as? [String: Any], handshake["completed"] as? Bool == true else { return nil }
        return handshake["http2"] as? Bool ?? false
    }

    /// What the peer did wrong (the verdict's `finding`), read from the stored case object.
    public var finding: String? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return o["finding"] as? String
    }

    /// The verdict of a run alongside other cases that the run alone did not confirm, if any.
    public var concurrentRun: ConcurrentRun? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let c = o["concurrentRun"] as? [String: Any],
              let behavior = (c["behavior"] as? String).flatMap(Behavior.init(rawValue:)),
              let close = (c["behaviorClose"] as? String).flatMap(CloseBehavior.init(rawValue:)) else { return nil }
        return ConcurrentRun(behavior: behavior, behaviorClose: close, acceptable: c["acceptable"] as? Bool ?? false,
                             reasons: c["reasons"] as? [String] ?? [])
    }

    /// Reads a stored line back; nil when it is not a case object.
    public init?(line: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        self.init(object: object, line: line)
    }

    /// A case object already parsed (from a `results.json`); `line` defaults to its re-serialisation.
    package init?(object: [String: Any], line: String? = nil) {
        guard let idText = object["id"] as? String, let id = CaseID(idText),
              let behavior = object["behavior"] as? String, let behaviorClose = object["behaviorClose"] as? String else { return nil }
        let text: String
        if let line {
            text = line
        } else {
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            else { return nil }
            text = String(decoding: data, as: UTF8.self)
        }
        self.id = id
        self.line = text
        self.behavior = behavior
        self.behaviorClose = behaviorClose
        self.acceptable = (object["acceptable"] as? Bool)
            ?? Verdicts.isAcceptable(behavior: behavior, behaviorClose: behaviorClose)
    }
}
