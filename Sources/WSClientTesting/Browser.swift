import Foundation

/// A browser to run headless as the client under test: where it is, which engine and version, and
/// the command that opens a page in a fresh profile of its own.
public struct Browser: Sendable, Hashable {
    public enum Engine: String, Sendable, Hashable {
        case chromium, firefox
    }

    public var engine: Engine
    public var executable: String
    /// As the browser prints it (`156.0.7339.80`, `153.5.0esr`).
    public var version: String

    /// The name results are filed under: `chromium-156.0.7339.80`.
    public var agent: String { "\(engine.rawValue)-\(version)" }

    /// `chromium` or `firefox` (searched on PATH under their usual names), or the path of either;
    /// the engine and version come from its `--version`.
    public static func find(_ name: String) throws(BrowserError) -> Browser {
        let candidates: [String]
        switch name.lowercased() {
        case "chromium", "chrome": candidates = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        case "firefox": candidates = ["firefox-esr", "firefox"]
        default: candidates = [name]
        }
        guard let executable = candidates.lazy.compactMap(Self.executablePath).first else {
            throw BrowserError("no browser \(name) found (looked for \(candidates.joined(separator: ", ")) on PATH); "
                + "install Debian's chromium or firefox-esr, or give --browser the path of one")
        }
        let banner = try versionBanner(executable)
        guard let engine = Self.engine(banner: banner), let version = Self.version(banner: banner) else {
            throw BrowserError("\(executable) --version printed \"\(banner)\": not a Chromium or Firefox this harness can drive")
        }
        return Browser(engine: engine, executable: executable, version: version)
    }

    /// The shell command that opens `url` headless in `profile` (an empty directory it may fill),
    /// after writing there what a fresh profile needs to start without asking anything; with `trust`,
    /// the browser trusts that certificate (the listener's, over TLS).
    public func launchCommand(url: String, profile: URL, trust: BrowserTrust? = nil) throws(BrowserError) -> String {
        var arguments: [String]
        switch engine {
        case .chromium:
            arguments = [executable, "--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-extensions", "--user-data-dir=\(profile.path)",
                         // Containers often give /dev/shm only 64 MB, where Chromium's renderers crash.
                         "--disable-dev-shm-usage"]
            // Chromium's sandbox needs user namespaces, which root (a CI container) does not get.
            if geteuid() == 0 { arguments.append("--no-sandbox") }
            if let trust { arguments.append(trust.chromiumArgument) }
        case .firefox:
            do {
                try Self.firefoxPreferences.write(to: profile.appendingPathComponent("user.js"), atomically: true, encoding: .utf8)
            } catch {
                throw BrowserError("cannot write the Firefox profile in \(profile.path): \(error.localizedDescription)")
            }
            try trust?.install(inFirefoxProfile: profile)
            arguments = [executable, "--headless", "--no-remote", "--profile", profile.path]
        }
        arguments.append(url)
        return arguments.map(Self.shellQuoted).joined(separator: " ")
    }

    /// A fresh profile starts without first-run pages, telemetry or update checks, and does not delay
    /// a WebSocket opened after a failed one (the catalog fails connections on purpose).
    static let firefoxPreferences = """
        user_pref("browser.shell.checkDefaultBrowser", false);
        user_pref("browser.startup.homepage_override.mstone", "ignore");
        user_pref("browser.aboutwelcome.enabled", false);
        user_pref("datareporting.policy.dataSubmissionEnabled", false);
        user_pref("datareporting.healthreport.uploadEnabled", false);
        user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
        user_pref("app.update.disabledForTesting", true);
        user_pref("network.websocket.delay-failed-reconnects", false);

        """

    static func engine(banner: String) -> Engine? {
        let b = banner.lowercased()
        if b.contains("firefox") { return .firefox }
        if b.contains("chromium") || b.contains("chrome") { return .chromium }
        return nil
    }

    /// The first word that starts with a digit: `Chromium 156.0.7339.80 built on Debian` → 156.0.7339.80.
    static func version(banner: String) -> String? {
        banner.split(whereSeparator: \.isWhitespace).first { $0.first?.isNumber == true }.map(String.init)
    }

    static func shellQuoted(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `name` if it is a path to an executable, else the first executable of that name on PATH.
    static func executablePath(_ name: String) -> String? {
        let fm = FileManager.default
        if name.contains("/") { return fm.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { fm.isExecutableFile(atPath: $0) }
    }

    private static func versionBanner(_ executable: String) throws(BrowserError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--version"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw BrowserError("cannot run \(executable) --version: \(error.localizedDescription)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct BrowserError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}
