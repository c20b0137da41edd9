import ArgumentParser

/// `test-browser`: test-client with a headless browser as the client under test.
struct TestBrowserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-browser",
        abstract: "Run the client cases against a headless browser (Chromium or Firefox): its WebSocket API is the client under test.",
        discussion: """
        wsconform listens on 127.0.0.1 (a free port unless --listen), starts the browser headless with a fresh profile on the listener's own page /browser, and the page walks the selected cases one after the other as an Autobahn test client does: it echoes every message with its type until the server closes, then asks for the reports. Results are filed under the browser's name and version (e.g. chromium-156.0.8078.129) in OUT/agents/<agent>/, with OUT/report.html and OUT/junit.xml, as test-client writes them.

        Verdicts come from what wsconform sees on the wire. A page cannot send pings, choose its fragmentation or see every close code, so the cases that need those judge what the browser does on its own; their notes say so. A browser that exits or stops opening cases ends the case it was on with a verdict (FAILED, saying what happened, with its output) and is started again at the next case; after 3 launches in a row that ran no case the remaining cases are FAILED and the run exits 3.

        Any browser can also run the page by hand: start test-client and open http://HOST:PORT/browser?agent=NAME in it.

        Exit codes: 0 every case run is acceptable, 1 some case failed (with --baseline: regressed or missing), 2 usage or case-file error, 3 the browser or the listener could not be started, or the browser kept failing, 130 interrupted.

        Examples:
          wsconform test-browser --out reports/chromium
          wsconform test-browser --browser firefox --cases '1.*,2.*,5.*'
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

    @Option(help: "The agent name results are filed under (default: the browser and its version).")
    var agent: String?

    @Option(help: "The case catalog directory (default: ./Cases, or the one next to the executable).")
    var catalog: String?

    @OptionGroup(title: "Reports") var reportOptions: ReportOptions

    func run() async throws {
        var command = try TestClientCommand.parse(["--browser", browser, "--listen", listen, "--out", out])
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
