import CompressNIO
import Foundation
import NIOCore
import WSResultFormat

/// Every case's detail block, in catalog order, as a gzip-compressed, base64-encoded JSON array of
/// `[id, markup]` pairs inside one inert `<script type="application/octet-stream">` element. A
/// whole catalog's details are some 2 MB of markup that a browser would otherwise parse on load
/// (and `--dump-dom` serialise); compressed they are some 70-155 kB. The page's script inflates them
/// (`DecompressionStream`) when a case is first opened and parses only that case's block.
enum HTMLCaseBundle {
    static let elementID = "wsconform-cases"

    static func render(_ ids: [CaseKey], runs: [ReportRun]) -> String {
        let pairs = OrderedJSON.array(ids.map { .array([.string($0.text), .string(HTMLCaseDetail.render($0, runs: runs))]) })
        do {
            return "<script type=\"application/octet-stream\" id=\"\(elementID)\">" + (try encode(pairs.render())) + "</script>"
        } catch {
            return "<p class=\"bad\">No case details: compressing them failed (\(h(String(describing: error)))).</p>"
        }
    }

    /// gzip, then base64: only `A-Z a-z 0-9 + / =`, so nothing in it can end the element.
    static func encode(_ text: String) throws -> String {
        var buffer = ByteBuffer(string: text)
        let compressed = try buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView).base64EncodedString()
    }

    /// The `(id, markup)` pairs of a rendered page's bundle (what the page's script reads).
    static func decode(page: String) throws -> [(id: String, markup: String)] {
        let open = "<script type=\"application/octet-stream\" id=\"\(elementID)\">"
        guard let start = page.range(of: open)?.upperBound, let end = page.range(of: "</script>", range: start..<page.endIndex)?.lowerBound,
              let data = Data(base64Encoded: String(page[start..<end]))
        else { throw BundleError.missing }
        var buffer = ByteBuffer(bytes: data)
        let json = try buffer.decompress(with: .gzip())
        guard let pairs = try JSONSerialization.jsonObject(with: Data(json.readableBytesView)) as? [[String]] else { throw BundleError.missing }
        return pairs.map { ($0.first ?? "", $0.last ?? "") }
    }

    enum BundleError: Error { case missing }
}
