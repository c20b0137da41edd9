import Foundation

/// What the figures were measured on.
struct MachineInfo: Codable {
    var cpuModel: String
    var logicalCPUs: Int
    var os: String
    /// 1, 5 and 15 minute load averages at the start (Linux), to judge how contended the figures are.
    var loadAverage: String?

    static func current() -> MachineInfo {
        let process = ProcessInfo.processInfo
        return MachineInfo(cpuModel: cpuModel() ?? "unknown CPU", logicalCPUs: process.activeProcessorCount,
                           os: process.operatingSystemVersionString, loadAverage: loadAverage())
    }

    private static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// The "model name" line of /proc/cpuinfo (Linux); nil elsewhere.
    private static func cpuModel() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
