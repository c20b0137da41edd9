import Foundation
import Testing
import WSEngine
@testable import WSCaseRunner
@testable import WSCatalog
@testable import WSJudge
@testable import WSResultFormat
@testable import WSResults

/// The scheduler's two rules, with case bodies that only record when they ran (no peer, no timing):
/// cases that run alone have nothing beside them, and a verdict seen alongside other cases is
/// confirmed by a run alone.
@Suite("Case scheduler: verdicts independent of --jobs")
struct CaseSchedulerTests {
    /// 1.1.1-1.1.8 and 2.1-2.11 (no time budget), with 9.7.1 and 9.7.2 (round trips, report_time).
    static func cases() throws -> [TestCase] {
        try CaseSelection(catalog: Shipped.catalog(), include: ["1.1.*", "2.*", "9.7.1", "9.7.2"]).cases
    }

    @Test("The case model marks round trips and report_time as run-alone, and nothing in sections 1-7")
    func runsAloneFromTheModel() throws {
        let catalog = try Shipped.catalog()
        let alone = Set(catalog.cases.filter(\.runsAlone).map(\.id.section))
        #expect(alone.isSuperset(of: [9, 12, 13]))
        #expect(alone.isDisjoint(with: [1, 2, 3, 4, 5, 6, 7, 10]))
        let compression = catalog.cases.filter { $0.id.section == 12 || $0.id.section == 13 }
        #expect(!compression.isEmpty && compression.allSatisfy { $0.runsAlone })
    }

    @Test("A run-alone case starts when nothing runs, and nothing starts until it has finished", arguments: [2, 4, 8])
    func exclusiveCasesRunAlone(jobs: Int) async throws {
        let cases = try Self.cases()
        #expect(cases.contains(where: \.runsAlone) && cases.contains { !$0.runsAlone })
        let log = RunLog()
        var delivered: [CaseID] = []
        // The first two runs started beside each other wait for each other, so overlap is certain.
        let stop = await CaseScheduler(jobs: jobs).run(cases, body: { c, alone in
            await log.enter(c.id, rendezvous: !alone)
            for _ in 0..<3 { await Task.yield() }
            _ = await log.leave(c.id)
            return .finished(fakeResult(c, .ok))
        }, deliver: { delivered.append($0.id) })
        #expect(stop == nil)
        #expect(Set(delivered) == Set(cases.map(\.id)))
        let events = await log.events
        for c in cases where c.runsAlone {
            let begin = try #require(events.firstIndex(of: .begin(c.id)))
            let end = try #require(events.firstIndex(of: .end(c.id)))
            let before = events[..<begin]
            let open = Set(before.compactMap(\.begun)).subtracting(before.compactMap(\.ended))
            #expect(open.isEmpty, "\(c.id) started while \(open.sorted()) ran")
            #expect(end == begin + 1, "something ran beside \(c.id): \(events[begin...end])")
        }
        // Parallel work did happen around them (the rule is not "everything one at a time").
        #expect(await log.maxOverlap > 1)
    }

    @Test("A verdict seen alongside other cases is confirmed by a run alone, and the run alone stands")
    func failuresAlongsideAreConfirmedAlone() async throws {
        let cases = try Self.cases().filter { !$0.runsAlone }
        let log = RunLog()
        var delivered: [CaseResult] = []
        // A peer that fails every case that overlaps another; the first two runs meet on purpose.
        let stop = await CaseScheduler(jobs: 4).run(cases, body: { c, alone in
            await log.enter(c.id, rendezvous: !alone)
            await Task.yield()
            let crowded = await log.leave(c.id)
            return .finished(fakeResult(c, crowded ? .failed : .ok))
        }, deliver: { delivered.append($0) })
        #expect(stop == nil)
        #expect(delivered.count == cases.count)
        #expect(delivered.allSatisfy { $0.verdict.behavior == .ok }, "a verdict seen only alongside others stood")
        let crowded = await log.crowded
        #expect(crowded.count >= 2)
        let flagged = Set(delivered.filter { $0.concurrentRun != nil }.map(\.id))
        #expect(flagged == crowded)
        for r in delivered where r.concurrentRun != nil {
            #expect(r.concurrentRun?.behavior == .failed && r.concurrentRun?.acceptable == false)
        }
        // Each crowded case ran exactly twice; the others once.
        #expect(await log.runs == cases.count + crowded.count)
        // The summary lists them apart, as a finding.
        let report = RunReport(target: "ws://127.0.0.1:1/", agent: "fake", results: delivered, startedAt: Date(), endedAt: Date())
        let summary = RunSummaryText.render(report, catalog: try Shipped.catalog())
        let section = try #require(summary.components(separatedBy: "Failed only when run alongside other cases").last)
        for id in crowded { #expect(section.contains("  \(id)  FAILED / OK alongside, OK / OK alone")) }
        #expect(!summary.contains("Failed cases:"))
    }

    @Test("With --jobs 1 nothing overlaps, so nothing runs twice, even for failures")
    func jobsOneRunsEachCaseOnce() async throws {
        let cases = try Self.cases()
        let log = RunLog()
        var delivered: [CaseResult] = []
        _ = await CaseScheduler(jobs: 1).run(cases, body: { c, _ in
            await log.begin(c.id)
            await log.end(c.id)
            return .finished(fakeResult(c, .failed))
        }, deliver: { delivered.append($0) })
        #expect(delivered.map(\.id) == cases.map(\.id))
        #expect(delivered.allSatisfy { $0.concurrentRun == nil && $0.verdict.behavior == .failed })
        #expect(await log.runs == cases.count)
        #expect(await log.maxOverlap == 1)
    }
}

private func fakeResult(_ c: TestCase, _ behavior: Behavior) -> CaseResult {
    let verdict = Verdict(behavior: behavior, behaviorClose: .ok, result: "\(behavior)", resultClose: "",
                          reasons: behavior == .ok ? [] : ["the fake peer failed it"])
    return CaseResult(testCase: c, verdict: verdict, observation: Observation(handshake: HandshakeRecord(completed: true)),
                      harnessRole: .client, peerName: nil, startedAt: Date(), wallTime: .zero)
}

/// What the fake case bodies did, in order.
private actor RunLog {
    enum Event: Hashable {
        case begin(CaseID)
        case end(CaseID)
        var begun: CaseID? { if case let .begin(id) = self { id } else { nil } }
        var ended: CaseID? { if case let .end(id) = self { id } else { nil } }
    }

    private(set) var events: [Event] = []
    private(set) var runs = 0
    private(set) var maxOverlap = 0
    /// Cases that had company during a run.
    private(set) var crowded: Set<CaseID> = []
    private var open: Set<CaseID> = []
    private var companyOf: [CaseID: Bool] = [:]
    private var rendezvousLeft = 2
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func begin(_ id: CaseID) {
        events.append(.begin(id))
        runs += 1
        open.insert(id)
        maxOverlap = max(maxOverlap, open.count)
    }

    func end(_ id: CaseID) {
        events.append(.end(id))
        open.remove(id)
    }

    /// Begins a run; the first two runs with `rendezvous` wait for each other.
    func enter(_ id: CaseID, rendezvous: Bool) async {
        begin(id)
        companyOf[id] = open.count > 1
        for other in open where other != id { companyOf[other] = true }
        guard rendezvous, rendezvousLeft > 0 else { return }
        rendezvousLeft -= 1
        if rendezvousLeft > 0 {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            for w in waiting { w.resume() }
            waiting = []
        }
    }

    /// Ends a run; true when another run was open at some moment of it.
    func leave(_ id: CaseID) -> Bool {
        end(id)
        let had = companyOf.removeValue(forKey: id) ?? false
        if had { crowded.insert(id) }
        return had
    }
}
