import Foundation
import Testing
@testable import WSCatalog

@Suite struct DatasetTests {
    @Test(arguments: Dataset.all) func loadsWithTheExpectedSize(_ ds: Dataset) throws {
        let bytes = try ds.load(dataDirectory: Repo.cases.appendingPathComponent("data"))
        #expect(bytes.count == ds.size)
        if ds.isText { #expect(String(validating: bytes, as: UTF8.self) != nil, "\(ds.name) is UTF-8") }
    }

    @Test func generatedSubstitutesAreDeterministicAndWellFormed() {
        let bmp = DatasetSubstitutes.generate("substitute-image512.bmp")
        #expect(bmp == DatasetSubstitutes.generate("substitute-image512.bmp"))
        #expect(Array(bmp.prefix(2)) == Array("BM".utf8))
        func le32(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bmp[at + $1]) << (8 * $1) } }
        #expect(le32(2) == 263_222 && le32(10) == 1078 && le32(18) == 512 && le32(22) == 512)
        #expect(Set(bmp[1078...]).count > 200, "a varied image, not a flat one")

        let pdf = DatasetSubstitutes.generate("substitute-document.pdf")
        #expect(pdf.count == 1_042_328)
        #expect(Array(pdf.prefix(8)) == Array("%PDF-1.2".utf8))
        #expect(Array(pdf.suffix(6)) == Array("%%EOF\n".utf8))
        #expect(DatasetSubstitutes.generate("data1.json").isEmpty)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: DatasetError.self) {
            try Dataset.named("data1.json")!.load(dataDirectory: URL(fileURLWithPath: "/nonexistent"))
        }
    }

    @Test func octetWindowsWrapAroundLikeAutobahn() {
        var m = DatasetMessages(data: Array("abcdef".utf8), window: DatasetWindow(dataset: "x", size: 4, unit: .octets))
        let got = (0..<4).map { _ in String(decoding: m.next(), as: UTF8.self) }
        #expect(got == ["abcd", "efab", "cdef", "abcd"])
    }

    @Test func characterWindowsCountUnicodeScalars() {
        // "aé€𝄞b": 5 characters in 1 + 2 + 3 + 4 + 1 octets.
        let text = Array("aé€𝄞b".utf8)
        var m = DatasetMessages(data: text, window: DatasetWindow(dataset: "x", size: 2, unit: .characters))
        #expect(m.unitCount == 5)
        let got = (0..<3).map { _ in String(decoding: m.next(), as: UTF8.self) }
        #expect(got == ["aé", "€𝄞", "ba"])
    }

    @Test func emptyWindow() {
        var m = DatasetMessages(data: [1, 2, 3], window: DatasetWindow(dataset: "x", size: 0, unit: .octets))
        #expect(m.next().isEmpty)
    }
}
