// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "wsconform",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "WSEngine", targets: ["WSEngine"]),
        .library(name: "WSTransport", targets: ["WSTransport"]),
        .library(name: "WSConformance", targets: ["WSConformance"]),
        .library(name: "WSPeers", targets: ["WSPeers"]),
        .library(name: "WSReports", targets: ["WSReports"]),
        .executable(name: "wsconform", targets: ["wsconform"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // Sans-I/O RFC 6455 / RFC 7692 engine: no sockets, no clock.
        .target(
            name: "WSEngine",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        // SwiftNIO transport: TCP/TLS in both roles, byte-exact chopped writes, recording, deadlines.
        .target(
            name: "WSTransport",
            dependencies: [
                "WSEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The bundled peers: a strict echo server and an Autobahn-protocol echo client on the engine.
        .target(
            name: "WSPeers",
            dependencies: [
                "WSEngine", "WSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Case model, YAML catalog loader, judge (verdicts), runner over the transport, run results.
        .target(
            name: "WSConformance",
            dependencies: [
                "WSEngine", "WSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Report writers (HTML, JUnit, Autobahn files, GitHub Actions) and the diff of two runs. They
        // read only result files (results.json / results.jsonl / Autobahn index.json), never runner
        // internals, so old runs can be re-rendered: Foundation only.
        .target(name: "WSReports"),
        .executableTarget(
            name: "wsconform",
            dependencies: [
                "WSEngine", "WSTransport", "WSConformance", "WSPeers", "WSReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Release-mode benchmark: engine vs SwiftNIO's WebSocket decoder, memcpy and the stdlib, in one run.
        .executableTarget(
            name: "wsbench",
            dependencies: [
                "WSEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/wsbench"
        ),
        .testTarget(name: "WSEngineTests", dependencies: ["WSEngine"]),
        // Fixtures shared by test targets (a TLS CA and certificates made with openssl).
        .target(name: "WSTestSupport", dependencies: ["WSTransport"], path: "Tests/WSTestSupport"),
        .testTarget(
            name: "WSTransportTests",
            dependencies: [
                "WSTransport", "WSEngine", "WSTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "WSPeersTests",
            dependencies: ["WSPeers", "WSTransport", "WSEngine", "WSTestSupport", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "WSReportsTests", dependencies: ["WSReports"]),
        .testTarget(
            name: "WSConformanceTests",
            dependencies: ["WSConformance", "WSEngine", "WSTransport", "WSPeers", .product(name: "NIOCore", package: "swift-nio")]
        ),
    ]
)

// MARK: - Fuzzing (H6) — begin ------------------------------------------------------------------
// libFuzzer targets, one folder each under Fuzz/ (executable source, corpus/, regressions/, .dict,
// .options), their shared properties in Fuzz/WSFuzzSupport, and the tests that replay the committed
// inputs. scripts/fuzz.sh builds the executables with libFuzzer + ASan; a normal build turns each into
// a replay tool, so this block does not change how the rest of the package builds.
let fuzzTargets = [
    "FuzzFrameParserServer", "FuzzFrameParserClient", "FuzzHandshakeRequest", "FuzzHandshakeResponse",
    "FuzzExtensions", "FuzzUTF8", "FuzzInflate", "FuzzCaseLoader",
]
package.targets += [
    .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    .target(
        name: "WSFuzzSupport",
        dependencies: ["WSEngine", "WSConformance", "CLibFuzzer", .product(name: "NIOCore", package: "swift-nio")],
        path: "Fuzz/WSFuzzSupport"
    ),
    .testTarget(name: "WSFuzzTests", dependencies: ["WSFuzzSupport", "WSEngine"]),
]
package.targets += fuzzTargets.map { name in
    .executableTarget(
        name: name,
        dependencies: ["WSFuzzSupport"],
        path: "Fuzz/\(name)",
        exclude: ["corpus", "regressions", "\(name).dict", "\(name).options"]
    )
}
// Focused build (scripts/fuzz.sh sets WSFUZZ_FOCUS to the libFuzzer runtime without main): ASan
// everywhere (--sanitize=address), coverage only in the code under test and its properties.
// SwiftPM's --sanitize=fuzzer would instrument every dependency too: NIO, BoringSSL, Yams... make
// ~370 k counters that libFuzzer clears and scans after every input, and trace every comparison in
// ByteBuffer. The executables keep their @main, which hands over to LLVMFuzzerRunDriver.
if let runtime = Context.environment["WSFUZZ_FOCUS"], !runtime.isEmpty {
    // Comparisons are traced (for libFuzzer's value profile and dictionary) only in the engine: in
    // the properties they would only steer the fuzzer towards the checks' own constants.
    let edges = "-sanitize-coverage=edge,inline-8bit-counters,pc-table"
    for target in package.targets where ["WSEngine", "WSFuzzSupport"].contains(target.name) || fuzzTargets.contains(target.name) {
        let coverage = SwiftSetting.unsafeFlags([target.name == "WSEngine" ? edges + ",trace-cmp" : edges])
        target.swiftSettings = (target.swiftSettings ?? []) + [coverage, .define("WSFUZZ_DRIVER")]
        if fuzzTargets.contains(target.name) {
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-Xlinker", runtime, "-lstdc++"])]
        }
    }
}
// MARK: - Fuzzing (H6) — end --------------------------------------------------------------------
