import Foundation

/// Where a JSON document stops being valid, as `line L, column C`: JSONDecoder does not say, and
/// JSONSerialization says only "around character N" (an offset in octets).
enum JSONSyntax {
    /// `line 3, column 14` (both 1-based, columns in characters), or nil when the document parses or
    /// the parser names no position.
    static func location(of data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            guard let match = text.firstMatch(of: /character (\d+)/), let offset = Int(match.1) else { return nil }
            let what = text.components(separatedBy: " around").first.map { $0.prefix(1).lowercased() + $0.dropFirst() }
            return position(offset, in: data) + (what.map { ": " + $0 } ?? "")
        }
    }

    /// The 1-based line and column (in characters) of a 0-based UTF-8 offset, the unit
    /// JSONSerialization counts in.
    static func position(_ offset: Int, in bytes: Data) -> String {
        var line = 1, column = 1
        for (i, b) in bytes.enumerated() {
            if i >= offset { break }
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1 // the first octet of a character
            }
        }
        return "line \(line), column \(column)"
    }
}
