import NIOCore
import WSCaseRunner
import WSCatalog
import WSEngine
import WSResultFormat
import WSResults
import WSTransport

extension FuzzingServer {
    /// One incoming connection: read the request head, route it by path, answer.
    func serve(_ raw: RawConnection) async {
        let options = configuration.caseOptions
        guard let request = await HTTPRequestReader.read(raw, timeout: options.openHandshakeTimeout) else {
            await raw.close()
            return
        }
        let head = request.head
        switch FuzzingServerRoute.parse(target: head.target ?? "/") {
        case let .failure(error):
            await observe(.refused("\(head.startLineText): \(error.status) \(error.message)"))
            await HTTPTextResponse.send(error, on: raw)
        case let .success(route):
            await handle(route, request)
        }
    }

    private func handle(_ route: FuzzingServerRoute, _ request: HTTPRequestReader.Request) async {
        let raw = request.raw
        switch route {
        case .caseCount:
            guard let reply = await Reply.open(request, serverName: configuration.caseOptions.userAgent) else { return }
            await reply.finish(message: String(configuration.cases.count))

        case let .caseInfo(ref):
            switch resolve(ref) {
            case let .failure(error): await refuse(error, request)
            case let .success((_, c)):
                guard let reply = await Reply.open(request, serverName: configuration.caseOptions.userAgent) else { return }
                let info = OrderedJSON.object([("id", .string(c.id.description)), ("description", .string(c.description))])
                await reply.finish(message: info.render())
            }

        case let .caseStatus(ref, agent):
            switch resolve(ref) {
            case let .failure(error): await refuse(error, request)
            case let .success((_, c)):
                if isExcluded(c.id, agent: agent) {
                    await refuse(.notFound("case \(c.id) is excluded for agent \(agent) by exclude-agent-cases: it has no status"), request)
                    return
                }
                guard let reply = await Reply.open(request, serverName: configuration.caseOptions.userAgent) else { return }
                // Long poll, as Autobahn: answer once the agent has a result; give up if the client leaves.
                guard let stored = await waitForResult(agent: agent, id: c.id, raw: raw) else {
                    await raw.close()
                    return
                }
                await reply.finish(message: OrderedJSON.object([("behavior", .string(stored.behavior))]).render())
            }

        case let .runCase(ref, agent):
            switch resolve(ref) {
            case let .failure(error): await refuse(error, request)
            case let .success((_, c)): await runCase(c, agent: agent, request)
            }

        case let .updateReports(_, shutdown):
            guard let reply = await Reply.open(request, serverName: configuration.caseOptions.userAgent) else { return }
            await onUpdateReports()
            await reply.finish(message: nil, plainText: "reports written")
            if shutdown { await stop(.shutdownOnComplete) }

        case .browserPage:
            await HTTPTextResponse.send(status: 200, reason: "OK", body: BrowserPage.html, contentType: "text/html; charset=utf-8",
                                        on: raw)

        case .stopServer:
            if let reply = await Reply.open(request, serverName: configuration.caseOptions.userAgent) {
                await reply.finish(message: nil, plainText: "stopping")
            }
            await stop(.stopServer)
        }
    }

    private func refuse(_ error: FuzzingServerRequestError, _ request: HTTPRequestReader.Request) async {
        await observe(.refused("\(request.head.startLineText): \(error.status) \(error.message)"))
        await HTTPTextResponse.send(error, on: request.raw)
    }

    /// `/runCase`: one case on this connection, the harness as server.
    private func runCase(_ c: TestCase, agent: String, _ request: HTTPRequestReader.Request) async {
        let options = configuration.caseOptions
        if isExcluded(c.id, agent: agent) {
            // Autobahn skips such a case at connection open and stores no result.
            await observe(.caseSkipped(agent: agent, c.id))
            if let reply = await Reply.open(request, serverName: options.userAgent) {
                await reply.finish(message: nil, closeReason: "case \(c.id) is excluded for this agent (exclude-agent-cases)")
            }
            return
        }
        let key = CaseClaims.Key(agent: agent, id: c.id)
        let claimed = await claims.started(key)
        await observe(.caseStarted(agent: agent, c))
        let driver = ServerRoleDriver(raw: request.raw, request: request.head, requestText: request.text,
                                      leftover: request.leftover, serverName: options.userAgent,
                                      subprotocols: configuration.subprotocols)
        let outcome = await CaseRunner.run(c, driver: driver, options: options, dataset: datasets.bytes(for: c))
        // A stopped server files nothing for the cases it aborted.
        guard !Task.isCancelled, case let .finished(result) = outcome else { return }
        if claimed, await claims.finished(key, result) { return }
        await file(result, agent: agent)
    }

    /// The stored result, or nil once the client's connection ends (or the server stops) first.
    private func waitForResult(agent: String, id: CaseID, raw: RawConnection) async -> StoredCaseResult? {
        await withTaskGroup(of: StoredCaseResult?.self) { group in
            group.addTask { await self.store.waitForResult(agent: agent, id: id) }
            group.addTask {
                // Octets the client sends meanwhile (pings, a Close) are read and dropped.
                while !Task.isCancelled {
                    if case .end = await raw.read(until: .now + .seconds(3600)) { return nil }
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// Answering a protocol request: over a WebSocket when the client asked for an upgrade (as
/// Autobahn's clients do), else as plain HTTP 200 with a text body (handy with curl).
struct Reply {
    private enum Channel {
        case webSocket(WebSocketSession)
        case plain(RawConnection)
    }

    private let channel: Channel

    /// Completes the opening handshake (or prepares a plain answer); nil when the WebSocket request
    /// was invalid (already answered with the RFC's rejection).
    static func open(_ request: HTTPRequestReader.Request, serverName: String) async -> Reply? {
        guard request.head.headers.contains(name: "Upgrade") else { return Reply(channel: .plain(request.raw)) }
        let options = WebSocketServerOptions(extraHeaders: [("Server", serverName)])
        do {
            return Reply(channel: .webSocket(try await WebSocketSession.accept(request.raw, request: request.head,
                                                                               leftover: request.leftover, options: options)))
        } catch {
            await request.raw.close()
            return nil
        }
    }

    /// Sends `message` (a text message, or the body of the plain answer), then closes: Close 1000
    /// with `closeReason` over a WebSocket. `plainText` is the body when there is no message.
    func finish(message: String?, plainText: String = "", closeReason: String = "") async {
        switch channel {
        case let .webSocket(session):
            if let message { session.withConnection { $0.send(.text, ByteBuffer(string: message)) } }
            await session.close(code: .normalClosure, reason: closeReason)
        case let .plain(raw):
            let body = (message ?? (plainText.isEmpty ? closeReason : plainText)) + "\n"
            await HTTPTextResponse.send(status: 200, reason: "OK", body: body, on: raw)
        }
    }
}

/// A short HTTP response with a text body, then the connection is closed.
enum HTTPTextResponse {
    static func send(_ error: FuzzingServerRequestError, on raw: RawConnection) async {
        await send(status: error.status, reason: error.status == 404 ? "Not Found" : "Bad Request",
                   body: "wsconform fuzzing server: \(error.message)\n", on: raw)
    }

    static func send(status: Int, reason: String, body: String, contentType: String = "text/plain; charset=utf-8",
                     on raw: RawConnection) async {
        let headers: HTTPHeaderFields = [
            ("Content-Type", contentType),
            // The page must not be kept: each run serves the page of its own version.
            ("Cache-Control", "no-store"),
            ("Content-Length", String(body.utf8.count)),
            ("Connection", "close"),
        ]
        var out = HTTPHead(startLine: .response(version: .http1_1, status: status, reason: reason), headers: headers).encode()
        out.writeString(body)
        try? await raw.write(out)
        await raw.close()
    }
}

/// Reads one HTTP request head, keeping its exact text and the octets that followed it.
enum HTTPRequestReader {
    struct Request {
        var raw: RawConnection
        var head: HTTPHead
        /// The head as it came over the wire (CRLFs included).
        var text: String
        var leftover: ByteBuffer
    }

    /// Nil when the connection ended, timed out or sent a malformed head (answered with 400/431).
    static func read(_ raw: RawConnection, timeout: Duration) async -> Request? {
        let deadline = ContinuousClock.now + timeout
        var parser = HTTPHeadParser(kind: .request)
        var consumed: [UInt8] = []
        while true {
            guard case var .bytes(chunk) = await raw.read(until: deadline) else { return nil }
            let before = chunk.readerIndex
            let unread = chunk
            let head: HTTPHead?
            do { head = try parser.feed(&chunk) } catch {
                try? await raw.write(ServerHandshake.rejection(for: error))
                await raw.close()
                return nil
            }
            consumed += unread.getBytes(at: before, length: chunk.readerIndex - before) ?? []
            if let head {
                return Request(raw: raw, head: head, text: String(decoding: consumed, as: UTF8.self), leftover: chunk)
            }
        }
    }
}
