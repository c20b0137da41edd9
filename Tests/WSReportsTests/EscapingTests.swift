import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import WSReports
@testable import WSResultFormat

/// A result set whose every peer string is hostile (markup, `</script>`, quotes, control
/// characters, U+2028/2029) must render inert in every format.
@Suite("Hostile strings are escaped")
struct EscapingTests {
    static let hostile = Result { try Fixtures.runs("hostile") }

    static let markup = ["<script>alert", "</script><script>alert", "<img src=x", "<svg onload", "<b>ok</b>", "<!--", "<i>", "<host>"]
    static let controls: [Unicode.Scalar] = ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}"]

    @Test("HTML: no peer markup survives, in the page or its case details; only the page's own three script elements exist")
    func html() throws {
        let rendered = HTMLReport.render(try Self.hostile.get(), generated: Date(timeIntervalSince1970: 0))
        #expect(rendered.components(separatedBy: "<script").count - 1 == 3, "the index, the case details, the script")
        #expect(rendered.components(separatedBy: "</script>").count - 1 == 3)
        // The case details, which the script parses when a case is opened, are checked too.
        let page = try CaseBlocks.expanded(rendered)
        #expect(page.count > rendered.count)
        for m in Self.markup { #expect(!page.contains(m), "raw \(m) in the page") }
        for c in Self.controls { #expect(!page.unicodeScalars.contains(c), "raw U+\(String(c.value, radix: 16)) in the page") }
        #expect(page.contains("&lt;script&gt;alert(&quot;agent&quot;)&lt;/script&gt; Evil/1.0 \\u{1B}[2J"))
        #expect(page.contains("&lt;svg onload=alert(1)&gt;"))
        // Hex shown as text in the wire log (3c7363726970743e = "<script>") is escaped too.
        #expect(page.contains("&lt;script&gt;.."))
        #expect(!page.contains(" onerror=alert(1)>"))
    }

    @Test("HTML: the JSON index in its <script> element has no </, no raw U+2028/2029, and parses")
    func scriptJSON() throws {
        let page = HTMLReport.render(try Self.hostile.get(), generated: Date(timeIntervalSince1970: 0))
        let open = "<script type=\"application/json\" id=\"wsconform-index\">"
        let start = try #require(page.range(of: open)).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        let blob = String(page[start..<end])
        #expect(!blob.contains("</"))
        #expect(!blob.contains("<"))
        #expect(!blob.unicodeScalars.contains("\u{2028}") && !blob.unicodeScalars.contains("\u{2029}"))
        let index = try JSONDecoder().decode(JSONValue.self, from: Data(blob.utf8))
        let text = try #require(index["cases"]?["1.1.1"]?["t"]?.stringValue)
        #expect(text.contains("</script><script>alert('x')</script>"))
        #expect(index["total"]?.intValue == 12)
    }

    @Test("HTML: the Content-Security-Policy allows exactly the page's own script and style")
    func contentSecurityPolicy() throws {
        let page = HTMLReport.render(try Self.hostile.get(), generated: Date(timeIntervalSince1970: 0))
        #expect(page.contains("default-src &#39;none&#39;"))
        #expect(page.contains("script-src " + HTMLText.escape(SHA256.cspSource(HTMLAssets.js))))
        #expect(page.contains("<script>" + HTMLAssets.js + "</script>"))
        #expect(page.contains("<style>" + HTMLAssets.css + "</style>"))
        // Self-contained: no URL but the SVG namespace.
        let rest = page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
        #expect(!rest.contains("http://") && !rest.contains("https://"))
    }

    @Test("SHA-256 matches FIPS 180-4 test vectors")
    func sha256() {
        func hex(_ s: String) -> String { SHA256.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.cspSource("abc") == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='")
    }

    @Test("JUnit: well-formed XML whose values read back with the markup intact as text")
    func junit() throws {
        let xml = JUnitReport.render(try Self.hostile.get())
        for m in Self.markup { #expect(!xml.contains(m), "raw \(m) in junit.xml") }
        for c in Self.controls { #expect(!xml.unicodeScalars.contains(c)) }
        #if canImport(FoundationXML) || os(macOS)
        let document = try XMLDocument(data: Data(xml.utf8))
        let failures = try document.nodes(forXPath: "//failure")
        #expect(failures.count == 12)
        let message = try #require((failures.first as? XMLElement)?.attribute(forName: "message")?.stringValue)
        #expect(message.contains("</script><script>alert('x')</script>"))
        let agent = try document.nodes(forXPath: "//property[@name='agent']/@value").first?.stringValue
        #expect(agent == "<script>alert(\"agent\")</script> Evil/1.0 \\u{1B}[2J")
        let detail = try #require(failures.first?.stringValue)
        #expect(detail.contains("esc\\u{1B}[31mred nul\\u{0} del\\u{7F}"))
        #endif
    }

    @Test("XML escaping: markup, quotes, forbidden characters, attribute whitespace")
    func xmlText() {
        #expect(XMLText.escape("a<b>&\"'") == "a&lt;b&gt;&amp;\"'")
        #expect(XMLText.escape("a\"'\n\t", attribute: true) == "a&quot;&apos;&#10;&#9;")
        #expect(XMLText.escape("\u{0}\u{1F}\u{FFFE}\r") == "\\u{0}\\u{1F}\\u{FFFE}&#13;")
        #expect(XMLText.escape("é\u{10000}") == "é\u{10000}")
    }

    @Test("GitHub annotations: one line each, at most 10 plus a count, escaped data and properties")
    func annotations() throws {
        let lines = GitHubActions.annotations(try Self.hostile.get())
        #expect(lines.count == 11)
        #expect(lines.last == "::notice title=wsconform::2 more failed cases not annotated; see the job summary or report.html")
        for line in lines {
            #expect(!line.contains("\n") && !line.contains("\r"))
            for c in Self.controls { #expect(!line.unicodeScalars.contains(c)) }
        }
        let first = try #require(lines.first)
        #expect(first.hasPrefix("::error title=wsconform 1.1.1::Result </script>"))
        #expect(first.contains("%0ACase: Title <b>1</b>"))
        #expect(first.contains("%0A"))
        #expect(first.contains("100%25 a:b,c"))
        #expect(!first.contains("%0A 100% "))
        #expect(WorkflowCommand.line("error", title: "a:b,c%\n", message: "x:y,z%\r\n")
            == "::error title=a%3Ab%2Cc%25%0A::x:y,z%25%0D%0A")
    }

    @Test("Job summary Markdown: no raw markup, no stray table pipes")
    func stepSummary() throws {
        let md = GitHubActions.stepSummary(try Self.hostile.get())
        for m in Self.markup { #expect(!md.contains(m)) }
        for c in Self.controls { #expect(!md.unicodeScalars.contains(c)) }
        for row in md.split(separator: "\n") where row.hasPrefix("| 1.1.") {
            // Four cells: five unescaped pipes.
            var pipes = 0
            var previous: Character = " "
            for ch in row {
                if ch == "|" && previous != "\\" { pipes += 1 }
                previous = ch
            }
            #expect(pipes == 5, "\(row)")
        }
        #expect(md.contains("### Failed cases (12)"))
    }
}
