import Testing
import WSEngine
@testable import WSCatalog

@Suite struct MessageFragmentationTests {
    @Test func shortMessageIsOneFrame() {
        let p = MessageStep.plan(type: .text, length: 10, fragmentSize: 10)
        #expect(p == [FramePlan(opcode: .text, fin: true, range: 0..<10)])
        #expect(MessageStep.plan(type: .binary, length: 0, fragmentSize: 1) == [FramePlan(opcode: .binary, fin: true, range: 0..<0)])
        #expect(MessageStep.plan(type: .text, length: 5000, fragmentSize: nil).count == 1)
    }

    @Test func exactMultipleGetsAnEmptyFinalFrame() {
        // 6.2.3: 29 octets in 1-octet frames -> 29 frames without FIN, then an empty FIN frame.
        let p = MessageStep.plan(type: .text, length: 29, fragmentSize: 1)
        #expect(p.count == 30)
        #expect(p.first?.opcode == .text)
        #expect(p.dropFirst().allSatisfy { $0.opcode == .continuation })
        #expect(p.dropLast().allSatisfy { !$0.fin && $0.range.count == 1 })
        #expect(p.last == FramePlan(opcode: .continuation, fin: true, range: 29..<29))
        // 9.3.8: 4 MiB in 1 MiB frames -> 4 full frames and an empty one.
        let q = MessageStep.plan(type: .text, length: 4 << 20, fragmentSize: 1 << 20)
        #expect(q.map(\.range.count) == [1 << 20, 1 << 20, 1 << 20, 1 << 20, 0])
        #expect(q.map(\.fin) == [false, false, false, false, true])
    }

    @Test func remainderEndsTheMessage() {
        // 10.1.1: 65536 octets auto-fragmented at 1300 -> 1 text + 50 continuation frames.
        let p = MessageStep(type: .text, payload: .repeated(.utf8("*"), length: 65536)).plan(autoFragmentSize: 1300)
        #expect(p.count == 51)
        #expect(p.filter { $0.opcode == .continuation }.count == 50)
        #expect(p.last?.range == 65000..<65536)
        #expect(p.last?.fin == true)
        #expect(p.reduce(0) { $0 + $1.range.count } == 65536)
    }

    @Test func ownFragmentSizeWinsOverAutoAndOnlyFirstFrameIsCompressed() {
        let step = MessageStep(type: .binary, payload: .hex([1, 2, 3, 4, 5]), fragmentSize: 2)
        let p = step.plan(autoFragmentSize: 4, compressedLength: 5)
        #expect(p.map(\.range) == [0..<2, 2..<4, 4..<5])
        #expect(p.map(\.compressed) == [true, false, false])
    }

    @Test func everyCatalogMessageStepAddsUp() throws {
        for tc in try Shipped.catalog().cases {
            for case let .message(m) in tc.steps {
                let p = m.plan(autoFragmentSize: tc.autoFragmentSize)
                #expect(p.reduce(0) { $0 + $1.range.count } == m.payload.count, "\(tc.id)")
                #expect(p.filter(\.fin).count == 1 && p.last?.fin == true, "\(tc.id)")
            }
        }
    }
}
