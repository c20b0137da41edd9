// A client under test on Foundation's URLSessionWebSocketTask that speaks Autobahn's fuzzingserver
// protocol: /getCaseCount, /runCase?case=N&agent=A for each case (echoing every message),
// /updateReports?agent=A.
//
// Usage: swift scripts/peers/URLSessionClient.swift ws://127.0.0.1:9001 [AGENT]
//        swift scripts/peers/URLSessionClient.swift 'ws://…/runCase?casetuple=1.1.1&agent=A'  (one case)
// Faster: swiftc -O scripts/peers/URLSessionClient.swift -o /tmp/urlsession-client
// On Linux, swift-corelibs-foundation implements WebSocket tasks with libcurl; a libcurl built
// without WebSocket support makes every task fail, which wsconform reports per case.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 2, let base = URL(string: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: URLSessionClient URL [AGENT]\n".utf8))
    exit(2)
}
let agent = arguments.count > 2 ? arguments[2] : "URLSessionWebSocketTask"

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// Opens `url`; echoes each message when `echo`, returns the text messages received.
func session(_ url: URL, echo: Bool) async -> [String] {
    let task = URLSession.shared.webSocketTask(with: url)
    task.maximumMessageSize = 64 << 20
    task.resume()
    var texts: [String] = []
    while true {
        do {
            let message = try await task.receive()
            switch message {
            case let .string(s):
                texts.append(s)
                if echo { try await task.send(.string(s)) }
            case let .data(d):
                if echo { try await task.send(.data(d)) }
            @unknown default:
                break
            }
        } catch {
            if task.closeCode == .invalid { log("\(url): \(error)") }
            break
        }
    }
    task.cancel(with: .normalClosure, reason: nil)
    return texts
}

func query(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }

if base.path == "/runCase" {
    _ = await session(base, echo: true)
} else {
    let root = arguments[1].hasSuffix("/") ? String(arguments[1].dropLast()) : arguments[1]
    let countText = await session(URL(string: "\(root)/getCaseCount")!, echo: false).first ?? ""
    guard let count = Int(countText) else {
        log("/getCaseCount gave no number (\(countText.isEmpty ? "no message" : countText))")
        exit(1)
    }
    for n in stride(from: 1, through: count, by: 1) {
        _ = await session(URL(string: "\(root)/runCase?case=\(n)&agent=\(query(agent))")!, echo: true)
    }
    _ = await session(URL(string: "\(root)/updateReports?agent=\(query(agent))")!, echo: false)
    print("ran \(count) cases as \(agent)")
}
