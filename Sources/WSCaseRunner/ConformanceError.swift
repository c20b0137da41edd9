import WSCatalog
import WSTransport

/// Why a run could not be done.
public enum ConformanceError: Error, Sendable, CustomStringConvertible {
    /// The target is not a ws:// or wss:// URL.
    case invalidURL(String)
    /// The case files are invalid.
    case catalog(CatalogErrors)
    /// A case pattern is invalid or matches nothing.
    case pattern(PatternError)
    /// A dataset of sections 12/13 is missing or damaged.
    case dataset(DatasetError)
    /// The server cannot be reached at all.
    case unreachable(target: String, TransportError)
    /// The fuzzing server (harness as server) cannot listen where asked.
    case cannotListen(TransportError)
    /// `RunOptions.serverCommand` could not start the server.
    case serverCommand(ServerProcessError)

    public var description: String {
        switch self {
        case let .invalidURL(why): why
        case let .catalog(errors): "invalid case files:\n\(errors)"
        case let .pattern(error): "\(error)"
        case let .dataset(error): "\(error)"
        case let .unreachable(target, error): "cannot reach \(target): \(error)"
        case let .cannotListen(error): "\(error)"
        case let .serverCommand(error): "\(error)"
        }
    }
}
