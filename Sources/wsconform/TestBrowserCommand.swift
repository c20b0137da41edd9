import ArgumentParser
import Foundation
import WSConformance

/// `test-browser`: test-client with a headless browser as the client under test.
struct TestBrowserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-browser",
        abstract: "Run the client cases against a headless browser (Chromium or Firefox): its WebSocket API is the client under test.",
        discussion: """
        wsconform listens on 127.0.0.1 (a free port unless --listen), starts the browser headless with a fresh profile on the listener's own page /browser, and the page walks the selected cases one after the other as an Autobahn test client does: it echoes every message with its type until the server closes, then asks for the reports. Results are filed under the browser's name and version (e.g. chromium-156.0.8078.129) in OUT/agents/<agent>/, with OUT/report.html and OUT/junit.xml, as test-client writes them.

        Verdicts come from what wsconform sees on the wire. A page cannot send pings, choose its fragmentation or see every close code, so the cases that need those judge what the browser does on its own; their notes say so. A browser that exits or stops opening cases ends the case it was on with a verdict (FAILED, saying what happened, with its output) and is started again at the next case; after 3 launches in a row that ran no case the remaining cases are FAILED and the run exits 3.

        With --tls the page and every case are served over TLS (https://, wss://) with a key and certificate made for the run (by openssl) or given with --tls-cert and --tls-key; the browser is told to trust that certificate only: Chromium by its public key pin, Firefox by adding it to the fresh profile as a trusted peer (with certutil, Debian package libnss3-tools).

        With --http2 the page and every case are served over HTTP/2 (TLS with ALPN h2, as --tls; browsers use HTTP/2 only over TLS), with SETTINGS_ENABLE_CONNECT_PROTOCOL advertised, so the browser opens each WebSocket as a stream of that connection (RFC 8441 extended CONNECT). Each case records that its WebSocket was an HTTP/2 stream, and the run fails if any case was opened over HTTP/1.1. Section 21 (HTTP/1.1 answers of its own) is left out.

        Any browser can also run the page by hand: start test-client and open http://HOST:PORT/browser?agent=NAME in it.

        Exit codes: 0 every case run is acceptable, 1 some case failed (with --baseline: regressed or missing), 2 usage or case-file error, 3 the browser or the listener could not be started, or the browser kept failing, 130 interrupted.

        Examples:
          wsconform test-browser --out reports/chromium
          wsconform test-browser --browser firefox --cases '1.*,2.*,5.*'
          wsconform test-browser --tls --cases '1.*'
          wsconform test-browser --http2 --out reports/chromium-h2
          wsconform test-browser --browser /opt/chrome/chrome --baseline reports/chromium
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "chromium, firefox, or the path of a Chromium or Firefox executable.")
    var browser = "chromium"

    @Option(help: "Case patterns to run, comma-separated (default: all that test clients).")
    var cases: [String] = []

    @Option(help: "Case patterns to leave out, comma-separated.")
    var exclude: [String] = []

    @Option(help: "Directory for the results and reports (default: reports/browsers).")
    var out = "reports/browsers"

    @Option(help: "Where to listen: HOST:PORT, [IPV6]:PORT or PORT (default: 127.0.0.1 and a free port).")
    var listen = "127.0.0.1:0"

    @Option(parsing: .unconditional, help: "Seconds one case may take at most.")
    var timeout: Double?

    @Flag(help: "Serve the page and the cases over TLS (https://, wss://), with a certificate the browser is told to trust.")
    var tls = false

    @Flag(help: "Serve the page and the cases over HTTP/2 (RFC 8441, TLS with ALPN h2; implies --tls): every WebSocket must be an h2 stream.")
    var http2 = false

    @Option(help: "With --tls: the certificate chain (PEM) to serve instead of one made for the run (needs --tls-key).")
    var tlsCert: String?

    @Option(help: "With --tls: the private key (PEM) of --tls-cert.")
    var tlsKey: String?

    @Option(help: "The agent name results are filed under (default: the browser and its version).")
    var agent: String?

    @Option(help: ArgumentHelp(CatalogLocator.optionHelp, valueName: "DIR"))
    var catalog: String?

    @OptionGroup(title: "Reports") var reportOptions: ReportOptions

    func validate() throws {
        if (tlsCert != nil || tlsKey != nil) && !tls && !http2 { throw ValidationError("--tls-cert and --tls-key go with --tls.") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("give both --tls-cert and --tls-key, or neither (then the run makes its own).") }
    }

    func run() async throws {
        var arguments = ["--browser", browser, "--listen", listen, "--out", out]
        var madeCertificate: URL?
        defer { if let madeCertificate { try? FileManager.default.removeItem(at: madeCertificate) } }
        if tls || http2 {
            var cert = tlsCert, key = tlsKey
            if cert == nil {
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wsconform-tls-\(getpid())")
                madeCertificate = dir
                do {
                    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                    (cert, key) = try BrowserTrust.makeCertificate(in: dir)
                } catch let error as BrowserError {
                    throw HarnessFailure(error.description)
                }
            }
            arguments += ["--tls-cert", cert!, "--tls-key", key!]
        }
        if http2 { arguments.append("--http2") }
        var command = try TestClientCommand.parse(arguments)
        command.global = global
        command.cases = cases
        command.exclude = exclude
        command.timeout = timeout
        command.agent = agent
        command.catalog = catalog
        command.reportOptions = reportOptions
        try command.validate()
        try await command.run()
    }
}
