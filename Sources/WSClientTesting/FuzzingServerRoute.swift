/// What a request to the fuzzing server asks for: Autobahn's fuzzingserver URL protocol
/// (autobahn.md §5.5). Parsing is pure; resolving case numbers needs the selection.
public enum FuzzingServerRoute: Sendable, Hashable {
    /// `/getCaseCount`: the number of selected cases, as a text message.
    case caseCount
    /// `/runCase?case=N|casetuple=ID&agent=A`.
    case runCase(CaseRef, agent: String)
    /// `/getCaseInfo?case=N|casetuple=ID`: `{"id", "description"}`.
    case caseInfo(CaseRef)
    /// `/getCaseStatus?case=N|casetuple=ID&agent=A`: `{"behavior"}` once the result exists.
    case caseStatus(CaseRef, agent: String)
    /// `/updateReports?agent=A[&shutdownOnComplete=true]`.
    case updateReports(agent: String, shutdown: Bool)
    /// `/stopServer`.
    case stopServer
    /// `/browser`: the page that makes a browser a test client (`BrowserPage`), over plain HTTP.
    case browserPage

    /// A case named by its 1-based index in the selection (`case=N`) or by its id (`casetuple=ID`).
    public enum CaseRef: Sendable, Hashable {
        case index(Int)
        case id(String)
    }

    /// The paths of the protocol, for error messages.
    public static let paths = ["/getCaseCount", "/runCase", "/getCaseInfo", "/getCaseStatus", "/updateReports", "/stopServer",
                               BrowserPage.path]

    /// Routes a request-target (`/runCase?case=3&agent=x`). Errors name the problem and the fix.
    public static func parse(target: String) -> Result<FuzzingServerRoute, FuzzingServerRequestError> {
        let (path, query) = split(target)
        let params: [String: String]
        switch parameters(query) {
        case let .success(p): params = p
        case let .failure(e): return .failure(e)
        }
        func caseRef() -> Result<CaseRef, FuzzingServerRequestError> {
            // Autobahn: when both are given, `case` wins.
            if let n = params["case"] {
                guard let i = Int(n.trimmingSpaces) else {
                    return .failure(.badRequest("case=\(n) is not a number; give case=N (1-based, see /getCaseCount) or casetuple=ID"))
                }
                return .success(.index(i))
            }
            if let id = params["casetuple"] { return .success(.id(id.trimmingSpaces)) }
            return .failure(.badRequest("\(path) needs case=N (1-based, see /getCaseCount) or casetuple=ID (e.g. casetuple=1.1.1)"))
        }
        func agent() -> Result<String, FuzzingServerRequestError> {
            guard let a = params["agent"], !a.isEmpty else {
                return .failure(.badRequest("\(path) needs agent=NAME (the name the results are filed under)"))
            }
            return .success(a)
        }
        switch path {
        case "/getCaseCount":
            return .success(.caseCount)
        case "/runCase":
            return caseRef().flatMap { c in agent().map { .runCase(c, agent: $0) } }
        case "/getCaseInfo":
            return caseRef().map { .caseInfo($0) }
        case "/getCaseStatus":
            return caseRef().flatMap { c in agent().map { .caseStatus(c, agent: $0) } }
        case "/updateReports":
            var shutdown = false
            if let v = params["shutdownOnComplete"] {
                switch v.lowercased() {
                case "true", "yes": shutdown = true
                case "false", "no": shutdown = false
                default: return .failure(.badRequest("shutdownOnComplete=\(v): use true, yes, false or no"))
                }
            }
            return agent().map { .updateReports(agent: $0, shutdown: shutdown) }
        case "/stopServer":
            return .success(.stopServer)
        case BrowserPage.path:
            return .success(.browserPage)
        default:
            return .failure(.notFound("no such path \(path); the fuzzing server answers \(paths.joined(separator: ", "))"
                + " (Autobahn's direct command mode is not supported)"))
        }
    }

    static func split(_ target: String) -> (path: String, query: Substring) {
        // An absolute URI (ws://host/path) is reduced to its path, as the handshake's resource name.
        var t = Substring(target)
        if let scheme = t.range(of: "://") {
            t = t[scheme.upperBound...].drop { $0 != "/" && $0 != "?" }
        }
        if let q = t.firstIndex(of: "?") {
            let path = t[..<q]
            return (path.isEmpty ? "/" : String(path), t[t.index(after: q)...])
        }
        return (t.isEmpty ? "/" : String(t), "")
    }

    /// Query parameters, percent- and `+`-decoded; a repeated name is an error (Autobahn refuses
    /// repeated `agent`, `case`, `casetuple` and `shutdownOnComplete`).
    static func parameters(_ query: Substring) -> Result<[String: String], FuzzingServerRequestError> {
        var out: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(parts[0]), let value = percentDecode(parts.count > 1 ? parts[1] : "") else {
                return .failure(.badRequest("the query parameter \"\(pair)\" is not valid percent-encoding"))
            }
            guard out[name] == nil else { return .failure(.badRequest("the query parameter \(name) is given more than once")) }
            out[name] = value
        }
        return .success(out)
    }

    static func percentDecode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            let b = u[i]
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%") {
                let h1 = u.index(after: i)
                guard h1 < u.endIndex, u.index(after: h1) < u.endIndex,
                      let hi = hexValue(u[h1]), let lo = hexValue(u[u.index(after: h1)]) else { return nil }
                bytes.append(hi << 4 | lo)
                i = u.index(after: h1)
            } else {
                bytes.append(b)
            }
            i = u.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A request the fuzzing server refuses before any WebSocket upgrade: answered with this HTTP status
/// and the message as a text body (Autobahn answers every such error with a bare 500).
public struct FuzzingServerRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public static func badRequest(_ m: String) -> Self { Self(status: 400, message: m) }
    public static func notFound(_ m: String) -> Self { Self(status: 404, message: m) }

    public var description: String { "\(status): \(message)" }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
