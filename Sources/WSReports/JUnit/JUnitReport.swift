import Foundation
import WSResultFormat

/// JUnit XML for CI test tabs: one `<testsuite>` per run, one `<testcase>` per case with
/// `classname` = the section (`wsconform.6 UTF-8 Handling`) and `name` = id and title. Cases that
/// are not acceptable carry a `<failure>` with expected vs observed; UNIMPLEMENTED cases (an
/// extension the peer does not offer) and cases skipped for the agent or not run are `<skipped>`.
public enum JUnitReport {
    /// The whole `junit.xml` document.
    public static func render(_ runs: [ReportRun]) -> String {
        var suites: [String] = []
        var totals = (tests: 0, failures: 0, skipped: 0, time: 0.0)
        for run in runs {
            let suite = renderSuite(run, runs: runs)
            suites.append(suite.xml)
            totals.tests += suite.tests
            totals.failures += suite.failures
            totals.skipped += suite.skipped
            totals.time += suite.time
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"wsconform\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"0\""
            + " skipped=\"\(totals.skipped)\" time=\"\(seconds(totals.time))\">\n"
        out += suites.joined()
        out += "</testsuites>\n"
        return out
    }

    struct Suite {
        var xml: String
        var tests: Int
        var failures: Int
        var skipped: Int
        var time: Double
    }

    static func renderSuite(_ run: ReportRun, runs: [ReportRun]) -> Suite {
        let suffix = runs.count > 1 ? " [\(run.label)]" : ""
        var cases: [String] = []
        var failures = 0, skipped = 0
        var time = 0.0
        for c in run.cases {
            let t = Double(c.wallTimeMs ?? c.durationMs ?? 0) / 1000
            time += t
            var xml = "    <testcase classname=\"\(attr(classname(c.key, runs: runs)))\" name=\"\(attr(name(c) + suffix))\" time=\"\(seconds(t))\""
            if !c.isAcceptable {
                failures += 1
                xml += ">\n      <failure message=\"\(attr(CaseText.failureSummary(c)))\" type=\"\(attr(c.verdictText))\">"
                xml += text(CaseText.failureDetail(c).joined(separator: "\n")) + "</failure>\n    </testcase>\n"
            } else if c.behavior == Behavior.unimplemented.rawValue {
                skipped += 1
                xml += ">\n      <skipped message=\"\(attr(CaseText.failureSummary(c)))\"/>\n    </testcase>\n"
            } else {
                xml += "/>\n"
            }
            cases.append(xml)
        }
        let notRecorded = run.skipped.map { ($0, "skipped for this agent (exclude-agent-cases)") }
            + run.notRun.map { ($0, "not run: the run stopped early") }
        for (id, why) in notRecorded {
            skipped += 1
            cases.append("    <testcase classname=\"\(attr(classname(CaseKey(id), runs: runs)))\" name=\"\(attr(id + suffix))\" time=\"0.000\">\n"
                + "      <skipped message=\"\(attr(why))\"/>\n    </testcase>\n")
        }
        let tests = run.cases.count + notRecorded.count
        // The run's wall time: cases run in parallel, so their sum can be many times longer.
        let suiteTime = run.info?.wallSeconds ?? time
        var head = "  <testsuite name=\"\(attr("wsconform: " + run.label))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\""
            + " skipped=\"\(skipped)\" time=\"\(seconds(suiteTime))\""
        if let started = run.info?.started { head += " timestamp=\"\(attr(started))\"" }
        if let host = run.info?.host?.name { head += " hostname=\"\(attr(host))\"" }
        head += ">\n"
        var properties: [(String, String)] = [("agent", run.agent), ("source", run.source)]
        if let target = run.info?.target { properties.append(("target", target)) }
        if let digest = run.info?.catalog?.digest { properties.append(("catalog.digest", digest)) }
        if let version = run.info?.tool?.version { properties.append(("wsconform.version", version)) }
        if let stopped = run.info?.stopped { properties.append(("stopped", stopped)) }
        head += "    <properties>\n"
        for (k, v) in properties { head += "      <property name=\"\(attr(k))\" value=\"\(attr(v))\"/>\n" }
        head += "    </properties>\n"
        return Suite(xml: head + cases.joined() + "  </testsuite>\n", tests: tests, failures: failures, skipped: skipped,
                     time: suiteTime)
    }

    /// `wsconform.6 UTF-8 Handling`.
    static func classname(_ key: CaseKey, runs: [ReportRun]) -> String {
        let title = SectionTitles.title(key.section, in: runs)
        return "wsconform." + key.section + (title.map { " " + $0 } ?? "")
    }

    static func name(_ c: CaseRecord) -> String {
        c.displayTitle.isEmpty ? c.id : c.id + " " + c.displayTitle
    }

    static func seconds(_ t: Double) -> String { String(format: "%.3f", t) }
    static func attr(_ s: String) -> String { XMLText.escape(s, attribute: true) }
    static func text(_ s: String) -> String { XMLText.escape(s) }
}
