import Foundation
import WSBuiltinCatalog

/// How a message length is counted for a dataset window.
public enum LengthUnit: String, Sendable, Hashable {
    case octets
    /// Unicode scalars of the UTF-8 text (Autobahn slices the decoded text of its UTF-8 datasets,
    /// so a window can be longer in octets than its length).
    case characters
}

/// "Message i is the i-th window of `size` units of dataset `dataset`, wrapping at its end."
public struct DatasetWindow: Sendable, Hashable {
    public var dataset: String
    public var size: Int
    public var unit: LengthUnit

    public init(dataset: String, size: Int, unit: LengthUnit) {
        self.dataset = dataset
        self.size = size
        self.unit = unit
    }
}

/// A permessage-deflate payload corpus used by sections 12 and 13.
public struct Dataset: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// A file in `Cases/data/` (copied from Autobahn's package; licence in Cases/data/README.md).
        case file
        /// Generated on demand by `DatasetSubstitutes` (Autobahn's original may not be redistributed).
        case generated
    }

    /// The name cases use, e.g. `data1.json`.
    public let name: String
    /// What the data is, in words.
    public let title: String
    /// Size in octets (the same as Autobahn's file).
    public let size: Int
    /// UTF-8 text (sliced in characters) or binary (sliced in octets)?
    public let isText: Bool
    public let origin: Origin
    /// Autobahn's file this stands for.
    public let autobahnFile: String

    /// Every dataset the catalog may reference.
    public static let all: [Dataset] = [
        Dataset(name: "data1.json", title: "Large JSON data file (an Autobahn report index)", size: 194_056,
                isText: true, origin: .file, autobahnFile: "data1.json"),
        Dataset(name: "substitute-image512.bmp",
                title: "Generated 512x512 8-bit grayscale bitmap (stands in for Autobahn's lena512.bmp)",
                size: 263_222, isText: false, origin: .generated, autobahnFile: "lena512.bmp"),
        Dataset(name: "pg2229.txt", title: "Human readable text, Goethe's Faust I (German, Project Gutenberg)",
                size: 222_218, isText: true, origin: .file, autobahnFile: "pg2229.txt"),
        Dataset(name: "data1.html", title: "Large HTML file (an Autobahn case report)", size: 263_647,
                isText: true, origin: .file, autobahnFile: "data1.html"),
        Dataset(name: "substitute-document.pdf",
                title: "Generated PDF-shaped document (stands in for Autobahn's 10.1.1.105.5439.pdf)",
                size: 1_042_328, isText: false, origin: .generated, autobahnFile: "10.1.1.105.5439.pdf"),
    ]

    public static func named(_ name: String) -> Dataset? { all.first { $0.name == name } }

    /// The dataset's octets: read from `dataDirectory` (nil: the copy built into wsconform) or
    /// generated. Throws if a file is missing or its size differs from the expected one (a truncated
    /// checkout would silently change the cases).
    public func load(dataDirectory: URL?) throws -> [UInt8] {
        let bytes: [UInt8]
        switch origin {
        case .generated:
            bytes = DatasetSubstitutes.generate(name)
        case .file:
            guard let dataDirectory else {
                guard let builtin = BuiltinCatalog.dataFile(named: name) else {
                    throw DatasetError(message: "dataset \(name) is not built into wsconform (Cases/data/\(name) was missing when it was built)")
                }
                bytes = builtin
                break
            }
            let url = dataDirectory.appendingPathComponent(name)
            do {
                bytes = [UInt8](try Data(contentsOf: url))
            } catch {
                throw DatasetError(message: "cannot read dataset \(url.path): \(error.localizedDescription)")
            }
        }
        guard bytes.count == size else {
            throw DatasetError(message: "dataset \(name) has \(bytes.count) octets, expected \(size)")
        }
        return bytes
    }
}

/// A dataset could not be loaded.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    package init(message: String) { self.message = message }
}

/// Produces the consecutive windows of a dataset, exactly as Autobahn's 12/13 `sendOne` does: window
/// i starts where window i-1 ended, and a window that runs past the end continues from the start.
public struct DatasetMessages: Sendable {
    private let data: [UInt8]
    /// Octet offset of every unit boundary (count + 1 entries) when slicing by characters.
    private let boundaries: [Int]?
    private let size: Int
    private var pointer = 0

    public init(data: [UInt8], window: DatasetWindow) {
        self.data = data
        self.size = window.size
        if window.unit == .characters {
            var marks: [Int] = []
            marks.reserveCapacity(data.count + 1)
            for (i, b) in data.enumerated() where b & 0xC0 != 0x80 { marks.append(i) }
            marks.append(data.count)
            boundaries = marks
        } else {
            boundaries = nil
        }
    }

    /// Number of units (octets or characters) in the dataset.
    public var unitCount: Int { boundaries.map { $0.count - 1 } ?? data.count }

    /// The next message payload.
    public mutating func next() -> [UInt8] {
        guard size > 0, unitCount > 0 else { return [] }
        let from = pointer
        let to = (pointer + size) % unitCount
        pointer = to
        if to > from { return slice(from, to) }
        return slice(from, unitCount) + slice(0, to)
    }

    private func slice(_ from: Int, _ to: Int) -> [UInt8] {
        guard let b = boundaries else { return Array(data[from..<to]) }
        return Array(data[b[from]..<b[to]])
    }
}
