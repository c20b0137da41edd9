import Foundation
import Testing
@testable import WSCaseRunner
@testable import WSClientTesting
import WSTransport

/// `test-browser`: the page the listener serves, finding a browser, and a browser that runs, dies or
/// hangs. The runs use real processes: shell scripts that behave like a broken browser, and the real
/// headless Chromium and Firefox when they are installed (CI installs both).
@Suite("TestClient: browsers", .serialized, .timeLimit(.minutes(3)))
struct TestClientBrowserTests {
    static let chromium = try? Browser.find("chromium")
    static let firefox = try? Browser.find("firefox")

    /// An executable shell script in a fresh directory, standing in for a broken browser.
    static func script(_ body: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-fake-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("browser")
        try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }

    @Test("The listener serves /browser over plain HTTP: one self-contained page that walks the cases")
    func servesThePage() async throws {
        let t = try await TestFuzzingServer.start(["1.1.1"])
        defer { t.removeDirectory() }
        let (status, body) = try await plainHTTP(t.url, "/browser?agent=x")
        #expect(status == 200)
        #expect(body.contains("/getCaseCount") && body.contains("/runCase?case=") && body.contains("/updateReports"))
        #expect(body.contains("binaryType = \"arraybuffer\""), "binary messages are echoed as binary")
        #expect(!body.contains("src=") && !body.contains("href="), "no resource but the listener")
        #expect(FuzzingServerRoute.parse(target: "/browser?agent=a&from=3") == .success(.browserPage))
        await t.stop()
    }

    @Test("Engine and version come from --version; the launch command quotes every argument")
    func banners() throws {
        #expect(Browser.engine(banner: "Chromium 156.0.8078.129 built on Debian GNU/Linux 12 (bookworm)") == .chromium)
        #expect(Browser.version(banner: "Chromium 156.0.8078.129 built on Debian GNU/Linux 12 (bookworm)") == "156.0.8078.129")
        #expect(Browser.engine(banner: "Mozilla Firefox 153.8.0esr") == .firefox)
        #expect(Browser.version(banner: "Mozilla Firefox 153.8.0esr") == "153.8.0esr")
        #expect(Browser.engine(banner: "curl 7.88.1") == nil)
        let b = Browser(engine: .firefox, executable: "/opt/fire fox/firefox", version: "1")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-profile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let line = try b.launchCommand(url: "http://127.0.0.1:1/browser?agent=a'b", profile: profile)
        #expect(line.hasPrefix("'/opt/fire fox/firefox' '--headless' '--no-remote' '--profile' "))
        #expect(line.hasSuffix(" 'http://127.0.0.1:1/browser?agent=a'\\''b'"))
        let prefs = try String(contentsOf: profile.appendingPathComponent("user.js"), encoding: .utf8)
        #expect(prefs.contains("network.websocket.delay-failed-reconnects\", false"))
        #expect(throws: BrowserError.self) { try Browser.find("/nonexistent/browser") }
    }

    @Test("A run's certificate: a chain ending with its CA; Chromium is given the pin of the server's key, Firefox's profile trusts the CA",
          .enabled(if: certutil, "certutil (libnss3-tools) is not installed"))
    func trustSetup() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let made = try BrowserTrust.makeCertificate(in: dir)
        let trust = try BrowserTrust(certificatePath: made.certificate)
        // The pin as openssl computes it from the server certificate alone.
        let pin = try Self.shell("openssl x509 -in '\(dir.path)/server.pem' -pubkey -noout | openssl pkey -pubin -outform der "
            + "| openssl dgst -sha256 -binary | base64")
        #expect(trust.publicKeyPin == pin.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(trust.authorityPEM == (try String(contentsOf: dir.appendingPathComponent("ca.pem"), encoding: .utf8)))
        let chromium = Browser(engine: .chromium, executable: "/usr/bin/chromium", version: "1")
        let line = try chromium.launchCommand(url: "https://127.0.0.1:1/browser", profile: dir, trust: trust)
        #expect(line.contains("'--ignore-certificate-errors-spki-list=\(trust.publicKeyPin)'"))
        #expect(!line.contains("--ignore-certificate-errors'"), "never every certificate error")
        let profile = dir.appendingPathComponent("firefox-profile")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        _ = try Browser(engine: .firefox, executable: "/usr/bin/firefox", version: "1")
            .launchCommand(url: "https://127.0.0.1:1/browser", profile: profile, trust: trust)
        let listed = try Self.shell("certutil -L -d 'sql:\(profile.path)'")
        #expect(listed.contains("wsconform test run") && listed.contains("C,,"), "\(listed)")
        // A file with no certificate is refused with the file's name.
        let empty = dir.appendingPathComponent("empty.pem")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        #expect(throws: BrowserError.self) { try BrowserTrust(certificatePath: empty.path) }
    }

    static func shell(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("A browser that exits at once: each launch's case FAILED with its exit, then the rest FAILED and the run gives up")
    func exitsAtOnce() async throws {
        let fake = try Self.script("echo 'cannot open display' >&2; exit 1")
        defer { try? FileManager.default.removeItem(at: fake.deletingLastPathComponent()) }
        let t = try await TestFuzzingServer.start(["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"])
        defer { t.removeDirectory() }
        let runner = BrowserRunner(browser: Browser(engine: .chromium, executable: fake.path, version: "0"), agent: "broken",
                                   startupAllowance: .seconds(5), maxFailedLaunches: 2)
        let outcome = await runner.run(on: t.server)
        #expect(outcome.launches == 2 && outcome.gaveUp)
        #expect(outcome.lostCases.map(\.description) == ["1.1.1", "1.1.2"])
        let results = await t.store.results(agent: "broken")
        #expect(results.map(\.id.description) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"], "a verdict for every case")
        for r in results.prefix(2) {
            #expect(r.behavior == "FAILED")
            #expect(r.reasons.contains { $0.contains("the browser exited with status 1 before this case ended") }, "\(r.reasons)")
            let line = try TestClientCommandTests.caseLine(r)
            let record = try #require(line["clientCommand"] as? [String: Any])
            #expect(record["stderr"] as? String == "cannot open display\n")
        }
        for r in results.dropFirst(2) {
            #expect(r.behavior == "FAILED")
            #expect(r.reasons.contains { $0.contains("not run: the browser failed 2 launches in a row without running a case") }, "\(r.reasons)")
        }
        await t.stop()
    }

    @Test("A browser that never opens its page is ended at the case's deadline, and started again for the next case")
    func hangs() async throws {
        let fake = try Self.script("exec sleep 30")
        defer { try? FileManager.default.removeItem(at: fake.deletingLastPathComponent()) }
        let t = try await TestFuzzingServer.start(["1.1.1", "1.1.2"], options: CaseRunOptions(openHandshakeTimeout: .milliseconds(200)))
        defer { t.removeDirectory() }
        let runner = BrowserRunner(browser: Browser(engine: .chromium, executable: fake.path, version: "0"), agent: "hung",
                                   startupAllowance: .milliseconds(300), maxFailedLaunches: 5)
        let started = ContinuousClock.now
        let outcome = await runner.run(on: t.server)
        #expect(ContinuousClock.now - started < .seconds(20), "bounded: no case waits for the sleeping process")
        #expect(outcome.launches == 2 && !outcome.gaveUp)
        let results = await t.store.results(agent: "hung")
        #expect(results.count == 2)
        for r in results {
            #expect(r.behavior == "FAILED")
            #expect(r.reasons.contains { $0.contains("the browser did not open /runCase for this case within") }, "\(r.reasons)")
            let record = try #require(try TestClientCommandTests.caseLine(r)["clientCommand"] as? [String: Any])
            #expect(record["killed"] as? Bool == true)
        }
        await t.stop()
    }

    @Test("Headless Chromium runs cases from its page: one launch, every verdict from the wire",
          .enabled(if: chromium != nil, "chromium is not installed"))
    func realChromium() async throws {
        try await Self.realBrowser(try #require(Self.chromium))
    }

    @Test("Headless Firefox runs cases from its page: one launch, every verdict from the wire",
          .enabled(if: firefox != nil, "firefox-esr is not installed"))
    func realFirefox() async throws {
        try await Self.realBrowser(try #require(Self.firefox))
    }

    @Test("Headless Chromium over TLS: it trusts the run's certificate by its key pin, the page and cases run on https:// and wss://",
          .enabled(if: chromium != nil, "chromium is not installed"))
    func realChromiumTLS() async throws {
        try await Self.realBrowser(try #require(Self.chromium), tls: true)
    }

    @Test("Headless Firefox over TLS: it trusts the run's CA from its profile, the page and cases run on https:// and wss://",
          .enabled(if: firefox != nil && certutil, "firefox-esr or certutil (libnss3-tools) is not installed"))
    func realFirefoxTLS() async throws {
        try await Self.realBrowser(try #require(Self.firefox), tls: true)
    }

    @Test("Headless Chromium over HTTP/2: the page and every case on one TLS origin with ALPN h2, each WebSocket an extended CONNECT stream",
          .enabled(if: chromium != nil, "chromium is not installed"))
    func realChromiumHTTP2() async throws {
        try await Self.realBrowser(try #require(Self.chromium), tls: true, http2: true)
    }

    static let certutil = ["/usr/bin/certutil", "/usr/local/bin/certutil"].contains { FileManager.default.isExecutableFile(atPath: $0) }

    static func realBrowser(_ browser: Browser, tls: Bool = false, http2: Bool = false) async throws {
        var trust: BrowserTrust?
        var server: TLSServerConfiguration?
        let certificates = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-browser-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: certificates) }
        if tls {
            try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
            let made = try BrowserTrust.makeCertificate(in: certificates)
            server = TLSServerConfiguration(certificatePath: made.certificate, privateKeyPath: made.key)
            trust = try BrowserTrust(certificatePath: made.certificate)
        }
        let t = try await TestFuzzingServer.start(["1.1.1", "1.2.8", "2.1", "5.3", "7.1.1"], tls: server, http2: http2)
        defer { t.removeDirectory() }
        #expect(t.url.hasPrefix(tls ? "wss://" : "ws://"))
        let outcome = await BrowserRunner(browser: browser, agent: browser.agent, trust: trust).run(on: t.server)
        #expect(outcome.launches == 1 && outcome.lostCases.isEmpty && !outcome.gaveUp)
        let results = await t.store.results(agent: browser.agent)
        #expect(results.map(\.id.description) == ["1.1.1", "1.2.8", "2.1", "5.3", "7.1.1"])
        for r in results {
            #expect(r.behavior == "OK" && r.behaviorClose == "OK", "\(r.id): \(r.reasons)")
            #expect(r.openedOverHTTP2 == http2, "\(r.id) ran over HTTP/\(r.openedOverHTTP2 == true ? "2" : "1.1")")
        }
        await t.stop()
    }

    @Test("Chromium killed mid-run: the case it was on gets a verdict, a new browser goes on with the next",
          .enabled(if: chromium != nil, "chromium is not installed"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/pkill"), "pkill (procps) is not installed"))
    func chromiumKilled() async throws {
        let browser = try #require(Self.chromium)
        // 12.1.10 (1000 compressed round trips of 128 KiB) takes seconds in a browser: the kill is
        // sent once its /runCase has arrived, so it lands inside it.
        let t = try await TestFuzzingServer.start(["1.1.1", "12.1.10", "13.1.1"])
        defer { t.removeDirectory() }
        let long = try #require(t.server.configuration.cases.first { $0.id.description == "12.1.10" })
        let run = Task { await BrowserRunner(browser: browser, agent: "killed").run(on: t.server) }
        for _ in 0..<1500 {
            if case .running? = await t.server.claims.state(CaseClaims.Key(agent: "killed", id: long.id)) { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let killer = Process()
        killer.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        killer.arguments = ["-KILL", "-f", "wsconform-chromium-\(getpid())-1"]
        try killer.run()
        killer.waitUntilExit()
        let outcome = await run.value
        let results = await t.store.results(agent: "killed")
        #expect(results.map(\.id.description) == ["1.1.1", "12.1.10", "13.1.1"], "a verdict for every case")
        #expect(outcome.launches == 2 && !outcome.gaveUp)
        #expect(outcome.lostCases.map(\.description) == ["12.1.10"])
        let lost = try #require(results.first { $0.id.description == "12.1.10" })
        #expect(lost.behavior == "FAILED", "the browser died in the middle of its round trips: \(lost.reasons)")
        let record = try #require(try TestClientCommandTests.caseLine(lost)["clientCommand"] as? [String: Any])
        #expect(record["signal"] as? Int == 9, "the record says how the browser ended")
        for r in results where r.id.description != "12.1.10" {
            #expect(r.behavior == "OK" && r.behaviorClose == "OK", "\(r.id): \(r.reasons)")
        }
        await t.stop()
    }
}
