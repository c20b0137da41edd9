/// Which rules a case pattern follows.
public enum PatternSyntax: String, Sendable, Hashable {
    /// wsconform's rules: `*` never crosses a `.`; see `CasePattern`.
    case wsconform
    /// Autobahn's rules, for its spec files: `*` matches anything (dots too) and the pattern only has
    /// to match the *start* of the id, so `6.1*` also selects 6.10–6.19 and `1*` selects 10.x, 12.x
    /// and 13.x. A pattern without `*` is one literal id.
    case autobahn
}

/// A pattern that selects case ids.
///
/// wsconform syntax (the default), segment by segment:
/// * a number matches that number: `6.4.1` selects exactly 6.4.1;
/// * `*` as an inner segment matches exactly one segment: `*.1` selects 2.1, 3.1 and 5.1;
/// * `*` as the last segment matches one or more segments: `6.*` is all of section 6, `6.4.*` all
///   of 6.4, and `*` alone everything;
/// * a number followed by `*` as the last segment (`6.1*`, `1*`) selects that id and everything
///   below it, never a sibling whose number merely starts with the same digits: `6.1*` is
///   6.1.1–6.1.3, not 6.10–6.19; `1*` is section 1 (16 cases), not 10.x/12.x/13.x;
/// * a range `N-M` matches any number from N to M; as the last segment it also selects everything
///   below (like `N*`): `1-13` is exactly Autobahn's 517 cases, `20-26` the sections beyond them,
///   `6.4-6.*` nothing (a range is one segment: write `6.4-7`).
/// Anything else (`6.1*2`, `6..1`, `5-3`, letters) is rejected.
public struct CasePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Hashable { case number(Int), any, subtree(Int), range(ClosedRange<Int>) }

    public let text: String
    public let syntax: PatternSyntax
    private let segments: [Segment]

    public init(_ text: String, syntax: PatternSyntax = .wsconform) throws(PatternError) {
        self.text = text
        self.syntax = syntax
        guard !text.isEmpty else { throw PatternError(pattern: text, message: "empty pattern") }
        switch syntax {
        case .autobahn:
            guard text.allSatisfy({ !$0.isWhitespace }) else { throw PatternError(pattern: text, message: "pattern contains whitespace") }
            segments = []
        case .wsconform:
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            var segs: [Segment] = []
            for (i, part) in parts.enumerated() {
                let last = i == parts.count - 1
                if part == "*" {
                    segs.append(.any)
                } else if last, part.hasSuffix("*"), let n = CaseID.parseSegment(part.dropLast()) {
                    segs.append(.subtree(n))
                } else if let n = CaseID.parseSegment(part) {
                    segs.append(.number(n))
                } else if let dash = part.firstIndex(of: "-"), let lo = CaseID.parseSegment(part[..<dash]),
                          let hi = CaseID.parseSegment(part[part.index(after: dash)...]) {
                    guard lo <= hi else {
                        throw PatternError(pattern: text, message: "the range \"\(part)\" is empty; write the lower number first")
                    }
                    segs.append(.range(lo...hi))
                } else {
                    throw PatternError(pattern: text, message: "\"\(part)\" is not a segment; use numbers, ranges and * "
                        + "(e.g. 6.4.1, 6.4.*, 6.*, *.1, 6.1*, 1-13)")
                }
            }
            segments = segs
        }
    }

    /// True when the pattern names one id (no `*`, no range).
    public var isLiteral: Bool { !text.contains("*") && (syntax == .autobahn || !text.contains("-")) }

    public func matches(_ id: CaseID) -> Bool {
        switch syntax {
        case .wsconform: return match(0, id.segments, 0)
        case .autobahn: return isLiteral ? text == id.description : Glob.matches(text, id.description, anchoredAtEnd: false)
        }
    }

    private func match(_ pi: Int, _ s: [Int], _ si: Int) -> Bool {
        guard pi < segments.count else { return si == s.count }
        guard si < s.count else { return false }
        switch segments[pi] {
        case let .number(n): return s[si] == n && match(pi + 1, s, si + 1)
        case .any: return pi == segments.count - 1 ? true : match(pi + 1, s, si + 1)
        case let .subtree(n): return s[si] == n
        case let .range(r): return r.contains(s[si]) && (pi == segments.count - 1 || match(pi + 1, s, si + 1))
        }
    }

    public var description: String { text }
}

/// A pattern that cannot be used.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    public let message: String
    public var description: String { "pattern \"\(pattern)\": \(message)" }
}

/// `*` wildcards over whole strings, as Autobahn's `re` patterns behave after it escapes `.` and
/// turns `*` into `.*`. Other characters match themselves (Autobahn would read regex metacharacters
/// such as `+` or `?` as regex; no case id contains them).
enum Glob {
    /// With `anchoredAtEnd: false` the pattern need only match a prefix (Python's `re.match`).
    static func matches(_ pattern: String, _ text: String, anchoredAtEnd: Bool) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, starP = -1, starT = 0
        while ti < t.count {
            if pi == p.count && !anchoredAtEnd { return true }
            if pi < p.count && p[pi] == "*" {
                starP = pi; starT = ti; pi += 1
            } else if pi < p.count && p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
