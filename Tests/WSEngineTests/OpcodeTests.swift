import Testing
@testable import WSEngine

@Suite struct OpcodeTests {
    @Test func reservedAndControl() {
        #expect(Opcode.close.isControl && !Opcode.text.isControl)
        #expect((3...7).allSatisfy { Opcode(rawValue: $0).isReserved })
        #expect((11...15).allSatisfy { Opcode(rawValue: $0).isReserved })
        #expect(![0, 1, 2, 8, 9, 10].contains { Opcode(rawValue: $0).isReserved })
    }
}
