import Foundation
import NIOCore
import WSEngine
import WSTransport

/// Running the conformance suite against a WebSocket server, from code:
///
/// ```swift
/// let report = try await Conformance.run(against: "ws://127.0.0.1:9001", cases: ["1.*", "2.*"])
/// #expect(report.failures.isEmpty)
/// ```
public enum Conformance {
    /// The catalog shipped in this package's `Cases` directory (found from the source location, so
    /// it works for packages that depend on wsconform).
    public static var bundledCatalogDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Cases")
    }

    /// Runs the cases matching `cases` minus `exclude` (wsconform pattern syntax, see
    /// Cases/README.md) that test a server against the server at `url`, the harness acting as the
    /// client. `parameters` are the server's own limits that section 25 needs (without them those
    /// cases are not applicable).
    public static func run(against url: String, cases: [String] = ["*"], exclude: [String] = [],
                           options: RunOptions = RunOptions(), catalogDirectory: URL? = nil,
                           parameters: [CatalogParameter: Int] = [:],
                           observe: @escaping @Sendable (RunEvent) async -> Void = { _ in })
        async throws(ConformanceError) -> RunReport {
        let catalog: CaseCatalog
        do { catalog = try CatalogLoader.load(directory: catalogDirectory ?? bundledCatalogDirectory, parameters: parameters) } catch {
            throw .catalog(error)
        }
        let selection: CaseSelection
        do { selection = try CaseSelection(catalog: catalog, include: cases, exclude: exclude, role: .serverUnderTest) } catch {
            throw .pattern(error)
        }
        var options = options
        if options.caseOptions.dataDirectory == nil { options.caseOptions.dataDirectory = catalog.dataDirectory }
        return try await run(selection.cases, against: url, options: options, observe: observe)
    }

    /// Runs the given cases against the server at `url`. Cancelling the calling task stops the run:
    /// no new case starts, running ones are aborted (and not reported), `stop` is `.interrupted`.
    public static func run(_ cases: [TestCase], against url: String, options: RunOptions,
                           observe: @escaping @Sendable (RunEvent) async -> Void = { _ in })
        async throws(ConformanceError) -> RunReport {
        let target: WebSocketURL
        do { target = try WebSocketURL(url) } catch { throw .invalidURL(error.description) }
        let datasets = DatasetCache(directory: options.caseOptions.dataDirectory)
        do { try datasets.preload(cases) } catch { throw .dataset(error) }
        let o = options.caseOptions
        var driver = ClientRoleDriver(url: target, tls: target.secure ? (options.tls ?? TLSClientConfiguration()) : nil,
                                      userAgent: o.userAgent, origin: o.origin, protocols: o.subprotocols)
        driver.chopDelay = o.chopDelay
        let startedAt = Date()

        // One plain connection first: it proves the server is there (so an unreachable server is
        // one clear error, not hundreds of failed cases) and tells the agent name.
        let peerName = try await probe(driver, attempts: options.connectAttempts, timeout: o.openHandshakeTimeout, url: url)
        let agent = options.agent ?? peerName ?? "UnknownServer"
        await observe(.agent(agent))
        let runnable = cases.filter { c in !options.agentExclusions.contains { $0.excludes(agent: agent, case: c.id) } }
        let skipped = cases.filter { c in !runnable.contains { $0.id == c.id } }.map(\.id)

        let (results, stop) = await execute(runnable, driver: driver, options: options, datasets: datasets, observe: observe)
        let finished = Set(results.map(\.id))
        return RunReport(target: target.description, agent: agent, results: results, skipped: skipped,
                         notRun: runnable.map(\.id).filter { !finished.contains($0) }, stop: stop,
                         startedAt: startedAt, endedAt: Date())
    }

    /// Runs cases `jobs` at a time, in id order, each on its own connection.
    static func execute(_ cases: [TestCase], driver: ClientRoleDriver, options: RunOptions, datasets: DatasetCache,
                        observe: @escaping @Sendable (RunEvent) async -> Void) async -> ([CaseResult], RunStop?) {
        var results: [CaseResult] = []
        var stop: RunStop?
        await withTaskGroup(of: CaseRunOutcome?.self) { group in
            var pending = cases.makeIterator()
            func startNext() -> Bool {
                guard stop == nil, !Task.isCancelled, let next = pending.next() else { return false }
                group.addTask {
                    await observe(.started(next))
                    return await runWithRetries(next, driver: driver, options: options, dataset: datasets.bytes(for: next))
                }
                return true
            }
            for _ in 0..<options.jobs where !startNext() { break }
            for await outcome in group {
                switch outcome {
                case let .finished(result)?:
                    results.append(result)
                    await observe(.finished(result))
                case let .unreachable(error)?:
                    if stop == nil { stop = .unreachable("\(error)") }
                case nil:
                    break // interrupted
                }
                if Task.isCancelled, stop == nil { stop = .interrupted }
                _ = startNext()
            }
        }
        if Task.isCancelled, stop == nil { stop = .interrupted }
        return (results, stop)
    }

    /// A case, retried when the connection itself fails (a listener's full backlog, a restarting
    /// server); nil when the run was interrupted.
    private static func runWithRetries(_ c: TestCase, driver: ClientRoleDriver, options: RunOptions,
                                       dataset: [UInt8]?) async -> CaseRunOutcome? {
        var attempt = 1
        while true {
            let outcome = await CaseRunner.run(c, driver: driver, options: options.caseOptions, dataset: dataset)
            if Task.isCancelled { return nil }
            guard case .unreachable = outcome, attempt < options.connectAttempts else { return outcome }
            do { try await Task.sleep(for: .milliseconds(200 * attempt)) } catch { return nil }
            attempt += 1
        }
    }

    /// Opens and politely closes one connection; returns the server's name (its `Server` header).
    private static func probe(_ driver: ClientRoleDriver, attempts: Int, timeout: Duration, url: String)
        async throws(ConformanceError) -> String? {
        var attempt = 1
        while true {
            switch await driver.open(deflate: nil, timeout: timeout, start: .now) {
            case let .opened(o):
                await o.closeAsProbe()
                return o.peerName
            case .handshakeFailed:
                return nil
            case let .unreachable(error):
                if attempt >= attempts { throw .unreachable(target: url, error) }
                do { try await Task.sleep(for: .milliseconds(200 * attempt)) } catch { throw .unreachable(target: url, .cancelled) }
                attempt += 1
            }
        }
    }
}
