import Foundation
import Testing
import WSResultFormat
@testable import WSReports

@Suite("HTML report")
struct HTMLReportTests {
    static func page(_ paths: String...) throws -> String {
        HTMLReport.render(try ResultsLoader.load(paths: paths.map(Repo.fixture)), generated: Date(timeIntervalSince1970: 0))
    }

    /// The matrix row of a case.
    static func row(_ page: String, _ id: String) throws -> Substring {
        let start = try #require(page.range(of: "<tr class=\"case\" data-case=\"\(id)\"")).lowerBound
        let end = try #require(page.range(of: "</tr>", range: start..<page.endIndex)).upperBound
        return page[start..<end]
    }

    @Test("One matrix row and one detail block with a permalink per case; section and subsection rows")
    func structure() throws {
        let page = try Self.page("basic")
        let blocks = try CaseBlocks.of(page)
        for id in ["1.1.1", "2.9", "2.10", "5.15", "6.4.1", "7.13.1", "9.1.1", "12.1.1", "13.1.1"] {
            #expect(page.components(separatedBy: "<tr class=\"case\" data-case=\"\(id)\"").count == 2)
            #expect(blocks[id]?.hasPrefix("<details class=\"case\" id=\"case-\(id)\"") == true)
            #expect(page.contains("<a href=\"#case-\(id)\">"))
        }
        #expect(page.contains("<th>6 UTF-8 Handling</th>"))
        #expect(page.contains("6.4 Fail-fast on invalid UTF-8</td>"))
        // 2.9 sorts before 2.10 in the matrix.
        #expect(try #require(page.range(of: "data-case=\"2.9\"")).lowerBound < #require(page.range(of: "data-case=\"2.10\"")).lowerBound)
    }

    @Test("The matrix is one fixed-layout table per section, each in a box laid out only near the screen, all with the same columns")
    func matrixPerSection() throws {
        let runs = try Fixtures.runs("basic", "real-limited")
        let page = HTMLReport.render(runs, generated: Date(timeIntervalSince1970: 0))
        let start = try #require(page.range(of: "<div id=\"matrix\">")).upperBound
        let end = try #require(page.range(of: "<h2 id=\"cases\">")).lowerBound
        let matrix = String(page[start..<end])
        let sections = ReportRun.caseIDs(runs).map(\.section).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let boxes = matrix.components(separatedBy: "<div class=\"msec\" data-section=\"").dropFirst()
        #expect(boxes.map { String($0.prefix { $0 != "\"" }) } == sections)
        let columns = "<colgroup><col class=\"cid\"><col class=\"v\"><col class=\"c\"><col class=\"v\"><col class=\"c\"></colgroup>"
        for box in boxes {
            #expect(box.components(separatedBy: "<table class=\"matrix\">").count == 2, "one table per section box")
            #expect(box.contains("<table class=\"matrix\">" + columns + "<tbody><tr class=\"sec\">"), "two runs: the id column, then verdict and close per run")
        }
        // Every case row sits in its own section's box.
        for id in ReportRun.caseIDs(runs) {
            let box = try #require(boxes.first { $0.contains("<tr class=\"case\" data-case=\"\(id.text)\"") })
            #expect(box.hasPrefix(id.section + "\""), "\(id.text)")
        }
        #expect(HTMLAssets.css.contains(".msec{content-visibility:auto") && HTMLAssets.css.contains("table-layout:fixed"))
        #expect(HTMLAssets.js.contains("querySelectorAll('#matrix .msec')"), "the filters hide a section's box when none of its cases is shown")
    }

    @Test("Case details wait compressed in one inert element, in catalog order, each reachable by its id; none is parsed up front")
    func caseBundle() throws {
        let runs = try Fixtures.runs("basic", "real-limited")
        let page = HTMLReport.render(runs, generated: Date(timeIntervalSince1970: 0))
        let pairs = try HTMLCaseBundle.decode(page: page)
        let ids = ReportRun.caseIDs(runs).map(\.text)
        #expect(pairs.map(\.id) == ids)
        for (id, markup) in pairs {
            #expect(markup.hasPrefix("<details class=\"case\" id=\"case-\(id)\" data-case=\"\(id)\""), "\(id)")
            #expect(markup.hasSuffix("</div></details>\n"), "\(id)")
            #expect(page.contains("<a href=\"#case-\(id)\">"), "the matrix links to \(id)")
        }
        // The failed cases' blocks carry their finding and full detail.
        let failed = try #require(pairs.first { $0.id == "6.4.1" }?.markup)
        #expect(failed.contains("data-failed=\"1\"") && failed.contains("<p class=\"finding\">") && failed.contains("<h5>Observed</h5>"))
        // Up front the page has the place the blocks go and no block; the bundle is base64 only, so
        // nothing in it can end its element.
        #expect(page.contains("<div id=\"case-details\"></div>"))
        #expect(!page.contains("<details class=\"case\""))
        let open = "<script type=\"application/octet-stream\" id=\"wsconform-cases\">"
        let start = try #require(page.range(of: open)).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let bundle = page[start..<end]
        #expect(bundle.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) })
        #expect(bundle.utf8.count * 3 < pairs.map(\.markup.utf8.count).reduce(0, +), "the bundle is a fraction of the markup it holds")
    }

    @Test("test-client --client-cmd: the case detail shows the command, how it ended and its output")
    func clientCommand() throws {
        let page = try CaseBlocks.expanded(try Self.page("client-cmd"))
        #expect(page.contains("<summary>Client command (never connected, exit status 0)</summary>"))
        #expect(page.contains("WebSockets not supported by libcurl"))
        #expect(page.contains("<pre>/tmp/urlsession-client &#39;ws://127.0.0.1:") || page.contains("<pre>/tmp/urlsession-client &#x27;ws://"),
                "the command line, escaped")
    }

    @Test("test-server --server-cmd (a real run, --jobs 4, the server aborting in 1.1.4): how the server ended, its stderr, and the cases that failed only alongside it")
    func serverCommand() throws {
        let blocks = try CaseBlocks.of(try Self.page("server-cmd"))
        func detail(_ id: String) throws -> String { try #require(blocks[id]) }
        let died = try detail("1.1.4")
        #expect(died.contains("<h5>Server process</h5><p class=\"bad\">the server process exited (exit status 134: signal 6, SIGABRT, in the shell&#39;s command)</p>"))
        #expect(died.contains("got a text message of 127 octets, aborting on purpose"))
        #expect(!died.contains("failed only when run alongside"))
        for id in ["1.1.2", "1.1.3", "1.1.5"] {
            let d = try detail(id)
            #expect(d.contains("<span class=\"flag\">failed only when run alongside other cases</span></summary>"), "\(id)")
            #expect(d.contains("<h5>Failed only when run alongside other cases</h5>"), "\(id)")
            #expect(!d.contains("<h5>Server process</h5>"), "\(id)")
        }
    }

    @Test("Cells carry Autobahn's verdict classes and the close column")
    func cells() throws {
        let page = try Self.page("basic")
        #expect(try Self.row(page, "1.1.1").contains("<td class=\"v ok\" title=\"OK / OK\"><a href=\"#case-1.1.1\">Pass</a></td><td class=\"c ok\" title=\"OK\">1000</td>"))
        #expect(try Self.row(page, "5.15").contains("class=\"v nonstrict\""))
        let failed = try Self.row(page, "6.4.1")
        #expect(failed.contains("data-failed=\"1\""))
        #expect(failed.contains("class=\"v fail\"") && failed.contains("<td class=\"c nonstrict\" title=\"WRONG CODE\">1000</td>"))
        #expect(try Self.row(page, "7.13.1").contains("<td class=\"c info\" title=\"INFORMATIONAL\">none</td>"))
        #expect(try Self.row(page, "12.1.1").contains("class=\"v unimpl\""))
        #expect(try Self.row(page, "9.1.1").contains("Pass</a><small>12 ms</small>"))
        #expect(try Self.row(page, "13.1.1").contains("<small>[0.292/0.985]</small>"))
        for color in ["#0a0", "#9a0", "#900", "#4095BF", "#800080", "#a05a2c"] { #expect(page.contains(color)) }
    }

    @Test("Several runs side by side: a case one run lacks is Missing")
    func sideBySide() throws {
        let page = try Self.page("basic", "autobahn-index.json")
        let row = try Self.row(page, "9.1.6")
        #expect(row.contains("<td class=\"v missing\">Missing</td>"))
        #expect(row.contains("443 ms"))
        #expect(page.contains("<th colspan=\"2\" class=\"agent\">Fixture Server/1.0</th><th colspan=\"2\" class=\"agent\">AutobahnPython-testeeserver</th>"))
    }

    @Test("Case detail: texts, expected vs observed, close, handshake, wire log with the omitted gap")
    func detail() throws {
        // The full detail of a case that is not acceptable (1.1.1 made FAILED).
        let runs = try Fixtures.runs("basic")
        var c = try #require(runs[0]["1.1.1"])
        c.behavior = "FAILED"
        c.acceptable = false
        let run = ReportRun(origin: runs[0].origin, source: runs[0].source, agent: runs[0].agent, info: runs[0].info,
                            summary: runs[0].summary, cases: runs[0].cases.map { $0.id == "1.1.1" ? c : $0 })
        let block = HTMLCaseDetail.render(CaseKey("1.1.1"), runs: [run])
        for expected in ["Description of 1.1.1.", "Expectation of 1.1.1.", "RFC 6455 §5.6", "<h5>Expected</h5>", "<h5>Observed</h5>",
                         "<code>Hello</code>", "<th>Peer sent</th><td><b>1000</b>", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                         "Wire log (7 entries, 2 not recorded)", "… 2 entries omitted …", "81 85 0a 0b 0c 0d 42 6e 60 61 68",
                         "frame CLOSE fin=1 rsv=0 len=2", "TCP read 80 octets", "kill_after armed: 10s"] {
            #expect(block.contains(expected), "missing \(expected)")
        }
        // Handshake heads: CRLF shown as line breaks.
        #expect(block.contains("<pre>GET / HTTP/1.1\nHost: 127.0.0.1:9001\nUpgrade: WebSocket\n"))
        #expect(!block.contains("\\u{D}"))
        // Entries after the gap are numbered as in the whole log.
        #expect(block.contains("<pre class=\"wirelog\">"))
        #expect(block.contains("… 2 entries omitted …\n    6 "))
    }

    @Test("An acceptable case gets a brief detail: observed events, close and wire-log size in a line each, no tables")
    func briefDetail() throws {
        let block = try #require(try CaseBlocks.of(try Self.page("basic"))["1.1.1"])
        #expect(block.contains("<p class=\"brief\">Observed: text (5 octets) &quot;Hello&quot;<br>Close: peer Close: 1000;"))
        #expect(!block.contains("<h5>Expected</h5>") && !block.contains("Opening handshake"))
        // Its wire log by size only: results.json has the entries.
        #expect(block.contains("<p class=\"brief\">Wire log (7 entries, 2 not recorded, 5 in results.json)</p>"))
        #expect(!block.contains("wirelog"))
    }

    @Test("A long wire log shows its first 80 and last 40 lines, numbered as in the whole log")
    func longWireLog() {
        var log = WireLogRecord()
        (log.total, log.omitted, log.omittedAfter) = (1300, 1000, 250)
        log.entries = (0..<300).map { i in
            var e = WireLogEntryRecord()
            (e.atMs, e.note) = (Double(i), "entry \(i)")
            return e
        }
        let html = HTMLWireLog.render(log)
        #expect(html.contains("Wire log (1300 entries, 1000 not recorded, 180 more in results.json)"))
        #expect(html.components(separatedBy: " entry ").count - 1 == 120)
        #expect(html.contains("\n   80    79.000    entry 79\n"))
        #expect(html.contains("\n      … 1180 entries omitted …\n 1261   260.000    entry 260\n"))
        #expect(html.contains(" 1300   299.000    entry 299</pre>"))
        #expect(!html.contains("entry 80\n") && html.contains("entry 79\n") && html.contains("entry 260\n"))
    }

    @Test("Raw octets are TCP writes and reads, or over HTTP/2 the stream's")
    func wireLogCarrier() {
        var log = WireLogRecord()
        var e = WireLogEntryRecord()
        (e.atMs, e.dir, e.octets, e.hex) = (1, "sent", 2, "8100")
        log.entries = [e]
        #expect(HTMLWireLog.render(log).contains("TX TCP write 2 octets"))
        #expect(HTMLWireLog.render(log, overHTTP2: true).contains("TX stream write 2 octets"))
    }

    @Test("Charts: durations for 9.x, compression ratios for 12/13, and none without such cases")
    func charts() throws {
        let page = try Self.page("basic")
        #expect(page.contains("Durations of the Limits/Performance cases (9.x)"))
        #expect(page.contains("<title>9.1.1 [Fixture Server/1.0]: 12 ms</title>"))
        #expect(page.contains("13.1.1 [Fixture Server/1.0] incoming: ratio 0.2921 (4673 of 16000 octets)"))
        let plain = try Self.page("real-limited")
        #expect(plain.contains("Durations of the Limits"))
        #expect(!plain.contains("Compression ratio ("))
        #expect(!(try Self.page("autobahn-index.json")).contains("Compression ratio ("))
    }

    @Test("Filters: the failed-only box, one option per section, the search box, and the data they use")
    func filters() throws {
        let page = try Self.page("basic")
        #expect(page.contains("<input type=\"checkbox\" id=\"f-failed\">"))
        #expect(page.contains("<option value=\"13\">13 WebSocket Compression (different parameters)</option>"))
        #expect(page.contains("<input type=\"search\" id=\"f-text\""))
        #expect(page.contains("\"6.4.1\":{\"s\":\"6\",\"f\":1,"))
        #expect(page.contains("\"1.1.1\":{\"s\":\"1\",\"f\":0,"))
    }
}

@Suite("GitHub Actions output")
struct GitHubActionsTests {
    @Test("The environment: a summary file when GITHUB_STEP_SUMMARY is set, annotations when GITHUB_ACTIONS=true")
    func environment() {
        let e = GitHubActions.Environment(["GITHUB_STEP_SUMMARY": "/tmp/s", "GITHUB_ACTIONS": "true"])
        #expect(e.stepSummaryPath == "/tmp/s" && e.annotate)
        let none = GitHubActions.Environment(["GITHUB_ACTIONS": "1", "GITHUB_STEP_SUMMARY": ""])
        #expect(none.stepSummaryPath == nil && !none.annotate)
    }

    @Test("publish appends the summary to the file and prints the annotations")
    func publish() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wsreports-summary-\(UUID().uuidString).md")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("earlier step\n".utf8).write(to: url)
        var printed: [String] = []
        let runs = try Fixtures.runs("basic")
        try GitHubActions.publish(runs, environment: .init(stepSummaryPath: url.path, annotate: true)) { printed.append($0) }
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n## wsconform\n"))
        #expect(text.contains("| Fixture Server/1.0 | 9 | 8 | 1 | 5 | 1 | 1 | 1 | 1 |"))
        #expect(text.contains("| FAILED / WRONG CODE | Fail fast on invalid UTF-8 |"))
        #expect(text.contains("| 6.4.1 | "))
        #expect(printed.count == 1)
        // What went wrong first (this older fixture has no finding: its result texts), then the title.
        let line = try #require(printed.first)
        #expect(line.hasPrefix("::error title=wsconform 6.4.1::"))
        #expect(line.contains(" (FAILED / WRONG CODE)%0ACase: Fail fast on invalid UTF-8%0A"), "\(line)")
    }

    @Test("With a baseline: annotations for regressions only, and the comparison in the summary")
    func withBaseline() throws {
        let old = run("s", [record("1.1", "OK"), record("1.2", "FAILED")])
        let new = run("s", [record("1.1", "FAILED"), record("1.2", "FAILED")])
        let diff = ReportDiff.compare(old: [old], new: [new])
        let lines = GitHubActions.annotations([new], diff: diff)
        #expect(lines == ["::error title=wsconform regression 1.1::FAILED / OK%0ACase: Case 1.1%0AClose: peer Close: 1000; harness Close: none (was OK / OK)"])
        let md = GitHubActions.stepSummary([new], diff: diff)
        #expect(md.contains("### Compared with the baseline"))
        #expect(md.contains("| 1.1 | Case 1.1 | OK / OK | FAILED / OK |"))
    }
}
