import Foundation
import NIOCore
import WSCaseRunner
import WSCatalog
import WSEngine
import WSResults
import WSTransport

/// Running the conformance suite against a WebSocket server, from code (a `swift test` of your
/// server, for instance):
///
/// ```swift
/// let report = try await Conformance.run(against: "ws://127.0.0.1:9001", cases: ["1.*", "2.*"])
/// #expect(report.failures.isEmpty)
/// ```
///
/// The harness is the client: each case opens its own connection to the server (``RunOptions/jobs``
/// at a time), runs its steps and gets a `Verdict`. The catalog built into the library is used
/// unless a directory of case files is given. Cancelling the calling task stops the run.
public enum Conformance {
    /// The `Cases` directory of this package's sources (found from the source location). Runs use
    /// the catalog built into the library unless given a directory; this one is for editing and
    /// loading the files themselves.
    public static var bundledCatalogDirectory: URL {
        // Sources/WSServerTesting/Conformance.swift → the package root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Cases")
    }

    /// Runs the cases matching `cases` minus `exclude` (wsconform pattern syntax, see
    /// Cases/README.md) that test a server against the server at `url`, the harness acting as the
    /// client. The catalog is the one built into the library unless `catalogDirectory` names a
    /// directory of case files. `parameters` are the server's own limits that section 25 needs (without them those
    /// cases are not applicable).
    public static func run(against url: String, cases: [String] = ["*"], exclude: [String] = [],
                           options: RunOptions = RunOptions(), catalogDirectory: URL? = nil,
                           parameters: [CatalogParameter: Int] = [:],
                           observe: @escaping @Sendable (RunEvent) async -> Void = { _ in })
        async throws(ConformanceError) -> RunReport {
        let catalog: CaseCatalog
        do {
            if let catalogDirectory {
                catalog = try CatalogLoader.load(directory: catalogDirectory, parameters: parameters)
            } else {
                catalog = try CatalogLoader.loadBuiltin(parameters: parameters)
            }
        } catch {
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
    /// With `options.serverCommand` the server is started first, started again whenever it ends,
    /// and ended after the run.
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
        driver.http2 = options.http2
        let startedAt = Date()
        let server = options.serverCommand.map { ServerProcess(command: $0, host: target.host, port: target.port) }
        if let server {
            do { try await server.start() } catch { throw .serverCommand(error) }
        }

        // One plain connection first: it proves the server is there (so an unreachable server is
        // one clear error, not hundreds of failed cases) and tells the agent name.
        let peerName: String?
        do { peerName = try await probe(driver, attempts: options.connectAttempts, timeout: o.openHandshakeTimeout, url: url) } catch {
            await server?.stop()
            throw error
        }
        let agent = options.agent ?? peerName ?? "UnknownServer"
        await observe(.agent(agent))
        let runnable = cases.filter { c in !options.agentExclusions.contains { $0.excludes(agent: agent, case: c.id) } }
        let skipped = cases.filter { c in !runnable.contains { $0.id == c.id } }.map(\.id)

        let (results, stop) = await execute(runnable, driver: driver, options: options, datasets: datasets, server: server,
                                            observe: observe)
        await server?.stop()
        let finished = Set(results.map(\.id))
        return RunReport(target: target.description, agent: agent, results: results, skipped: skipped,
                         notRun: runnable.map(\.id).filter { !finished.contains($0) }, stop: stop,
                         startedAt: startedAt, endedAt: Date())
    }

    /// Runs cases `jobs` at a time, in id order, each on its own connection, so that no verdict
    /// depends on `jobs` (see `CaseScheduler`).
    static func execute(_ cases: [TestCase], driver: ClientRoleDriver, options: RunOptions, datasets: DatasetCache,
                        server: ServerProcess? = nil,
                        observe: @escaping @Sendable (RunEvent) async -> Void) async -> ([CaseResult], RunStop?) {
        var results: [CaseResult] = []
        let stop = await CaseScheduler(jobs: options.jobs).run(cases, body: { c, _ in
            await observe(.started(c))
            return await runWithRetries(c, driver: driver, options: options, dataset: datasets.bytes(for: c), server: server,
                                        observe: observe)
        }, deliver: { result in
            results.append(result)
            await observe(.finished(result))
        })
        return (results, stop)
    }

    /// A case, retried when the connection itself fails (a listener's full backlog, a restarting
    /// server). With a server process, a server that ended during the case fails it, and one that
    /// ended or stopped answering is started again before the case is retried.
    private static func runWithRetries(_ c: TestCase, driver: ClientRoleDriver, options: RunOptions, dataset: [UInt8]?,
                                       server: ServerProcess?,
                                       observe: @escaping @Sendable (RunEvent) async -> Void) async -> CaseScheduler.Outcome {
        var attempt = 1
        while true {
            let generation = await server?.ready()
            if let server, generation == nil { return .stop(.unreachable(await server.failureDescription)) }
            let outcome = await CaseRunner.run(c, driver: driver, options: options.caseOptions, dataset: dataset)
            if Task.isCancelled { return .cancelled }
            switch outcome {
            case var .finished(result):
                if let server, let generation {
                    let clean = result.acceptable && result.observation.opened && result.observation.wasClean(harnessRole: result.harnessRole)
                    if let end = await server.ended(generation, suspicious: !clean) {
                        result.failBecauseServerEnded(end)
                        await observe(.serverRestarted("\(end.description) during case \(c.id); started it again"))
                    }
                }
                return .finished(result)
            case let .unreachable(error):
                if let server, let generation {
                    switch await server.recover(generation) {
                    case let .failed(why):
                        return .stop(.unreachable(why.description))
                    case let .ready(exited?):
                        await observe(.serverRestarted("\(exited.description) before case \(c.id) could connect; started it again"))
                    case .ready(nil):
                        break
                    }
                }
                guard attempt < options.connectAttempts else { return .stop(.unreachable("\(error)")) }
                do { try await Task.sleep(for: .milliseconds(200 * attempt)) } catch { return .cancelled }
                attempt += 1
            }
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
