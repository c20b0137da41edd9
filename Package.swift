// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "wsconform",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "WSFrames", targets: ["WSFrames"]),
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
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // `swift package generate-documentation` (DocC for the public API); a plugin, built only when used.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // RFC 6455 framing, sans-I/O: frames, parser, writer, masking, close codes, UTF-8. Its own
        // module so that the frame fuzz targets link (and libFuzzer scans the coverage of) nothing else.
        .target(
            name: "WSFrames",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")]
        ),
        // Sans-I/O RFC 6455 / RFC 7692 engine: no sockets, no clock. Re-exports WSFrames.
        .target(
            name: "WSEngine",
            dependencies: [
                "WSFrames",
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
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
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
        // The one seeded generator (SplitMix64): payloads, datasets, fuzzing, benchmarks, tests.
        .target(name: "WSRandom"),
        // The conformance library, one target per job; dependencies run one way (CONTRIBUTING.md
        // draws the graph, scripts/check-deps.sh checks the imports against it).
        // The result files' vocabulary: verdicts, the acceptability rule, JSON values. Foundation only,
        // so the report writers read old runs without the runner.
        .target(name: "WSResultFormat"),
        // The bytes of Cases/*.yaml and Cases/data/*, generated into the code at every build by the
        // EmbedCatalog plugin, so the wsconform binary and library users need no Cases directory.
        // Data only (no case model): WSCatalog loads it.
        .target(name: "WSBuiltinCatalog", plugins: ["EmbedCatalog"]),
        .plugin(name: "EmbedCatalog", capability: .buildTool(), path: "Plugins/EmbedCatalog"),
        // The cases: their model, the YAML loader (from a directory or the built-in copy), case
        // selection and Autobahn's spec files.
        .target(
            name: "WSCatalog",
            dependencies: ["WSEngine", "WSRandom", "WSResultFormat", "WSBuiltinCatalog", .product(name: "Yams", package: "Yams")]
        ),
        // Observations of one case run and the verdicts judged from them.
        .target(
            name: "WSJudge",
            dependencies: ["WSCatalog", "WSEngine", "WSResultFormat", .product(name: "NIOCore", package: "swift-nio")]
        ),
        // A case's result and a run's results as written to results.json / results.jsonl.
        .target(
            name: "WSResults",
            dependencies: [
                "WSJudge", "WSCatalog", "WSEngine", "WSResultFormat", "WSBuiltinCatalog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        // Runs one case over a connection in either role (harness as client or as server), schedules
        // cases, and starts the peer processes (--server-cmd, --client-cmd).
        .target(
            name: "WSCaseRunner",
            dependencies: [
                "WSResults", "WSJudge", "WSCatalog", "WSEngine", "WSTransport", "WSResultFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // test-server: runs the selected cases against a server.
        .target(
            name: "WSServerTesting",
            dependencies: [
                "WSCaseRunner", "WSResults", "WSJudge", "WSCatalog", "WSEngine", "WSTransport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // test-client: the fuzzing server that clients connect to, its client command and result store.
        .target(
            name: "WSClientTesting",
            dependencies: [
                "WSCaseRunner", "WSResults", "WSJudge", "WSCatalog", "WSEngine", "WSTransport", "WSResultFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // A browser over wss:// trusts the run's certificate by its public key (BrowserTrust).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // fuzz-server / fuzz-client: generated frame sequences against a peer, shrunk findings as cases.
        .target(
            name: "WSNetFuzz",
            dependencies: [
                "WSCaseRunner", "WSResults", "WSJudge", "WSCatalog", "WSEngine", "WSTransport", "WSRandom",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The library as one import (re-exports the targets above), for the CLI and library users.
        .target(
            name: "WSConformance",
            dependencies: [
                "WSResultFormat", "WSCatalog", "WSJudge", "WSResults", "WSCaseRunner", "WSServerTesting",
                "WSClientTesting", "WSNetFuzz",
            ]
        ),
        // Report writers (HTML, JUnit, Autobahn files, GitHub Actions) and the diff of two runs. They
        // read only result files (results.json / results.jsonl / Autobahn index.json), never runner
        // internals, so old runs can be re-rendered: Foundation, the result files' vocabulary, and
        // CompressNIO (gzip) for the HTML report's case details.
        .target(
            name: "WSReports",
            dependencies: [
                "WSResultFormat",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
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
                "WSEngine", "WSRandom",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            path: "Benchmarks/wsbench"
        ),
        .testTarget(name: "WSEngineTests", dependencies: ["WSEngine", "WSFrames", "WSRandom", .product(name: "NIOCore", package: "swift-nio")]),
        // Fixtures shared by test targets (a TLS CA and certificates made with openssl).
        .target(name: "WSTestSupport", dependencies: ["WSTransport", "WSResultFormat"], path: "Tests/WSTestSupport"),
        .testTarget(
            name: "WSTransportTests",
            dependencies: [
                "WSTransport", "WSEngine", "WSFrames", "WSTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]
        ),
        .testTarget(
            name: "WSPeersTests",
            dependencies: ["WSPeers", "WSTransport", "WSEngine", "WSTestSupport", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(name: "WSReportsTests", dependencies: ["WSReports", "WSResultFormat", "WSTestSupport"]),
        // The wsconform executable run as a process, as a user runs it (help, usage errors, --out).
        .testTarget(name: "WSConformCLITests"),
        .testTarget(
            name: "WSConformanceTests",
            dependencies: [
                "WSResultFormat", "WSCatalog", "WSJudge", "WSResults", "WSCaseRunner", "WSServerTesting", "WSClientTesting",
                "WSNetFuzz", "WSBuiltinCatalog", "WSEngine", "WSTransport", "WSPeers", "WSRandom", "WSTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)

// MARK: - Fuzzing (H6) — begin ------------------------------------------------------------------
// libFuzzer targets, one folder each under Fuzz/ (executable source, corpus/, regressions/, .dict,
// .options), their shared properties in Fuzz/WSFuzzCore, WSFuzzFrames and WSFuzzSupport, and the tests that replay the committed
// inputs. scripts/fuzz.sh builds the executables with libFuzzer + ASan; a normal build turns each into
// a replay tool, so this block does not change how the rest of the package builds.
let fuzzTargets = [
    "FuzzFrameParserServer", "FuzzFrameParserClient", "FuzzHandshakeRequest", "FuzzHandshakeResponse",
    "FuzzExtensions", "FuzzUTF8", "FuzzInflate", "FuzzCaseLoader", "FuzzHTTP2Handshake",
]
package.targets += [
    .target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
    // FuzzTarget, input decoding, split plans, replay and the libFuzzer driver.
    .target(name: "WSFuzzCore", dependencies: ["CLibFuzzer", "WSRandom"], path: "Fuzz/WSFuzzCore"),
    // The frame parser targets' properties: only the framing layer, so that their executables link
    // (and libFuzzer scans after every input the coverage counters of) nothing else.
    .target(
        name: "WSFuzzFrames",
        dependencies: [
            "WSFuzzCore", "WSFrames",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ],
        path: "Fuzz/WSFuzzFrames"
    ),
    .target(
        name: "WSFuzzSupport",
        dependencies: ["WSFuzzCore", "WSFuzzFrames", "WSEngine", "WSCatalog", .product(name: "NIOCore", package: "swift-nio")],
        path: "Fuzz/WSFuzzSupport"
    ),
    .testTarget(
        name: "WSFuzzTests",
        dependencies: ["WSFuzzSupport", "WSFuzzFrames", "WSEngine", .product(name: "NIOCore", package: "swift-nio")]
    ),
]
let frameFuzzTargets = ["FuzzFrameParserServer", "FuzzFrameParserClient"]
package.targets += fuzzTargets.map { name in
    .executableTarget(
        name: name,
        dependencies: ["WSFuzzCore", frameFuzzTargets.contains(name) ? "WSFuzzFrames" : "WSFuzzSupport"],
        path: "Fuzz/\(name)",
        exclude: ["corpus", "regressions", "\(name).dict", "\(name).options"]
    )
}
// The throughput reference for the frame targets (scripts/fuzz.sh compare): NIO's own decoder.
package.targets.append(
    .executableTarget(
        name: "ReferenceNIOFrameDecoder",
        dependencies: [
            "WSFuzzCore",
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOWebSocket", package: "swift-nio"),
        ],
        path: "Fuzz/ReferenceNIOFrameDecoder"
    )
)
// Focused build (scripts/fuzz.sh sets WSFUZZ_FOCUS to the libFuzzer runtime without main): ASan
// everywhere (--sanitize=address), coverage only in the code under test (WSFrames, WSEngine).
// SwiftPM's --sanitize=fuzzer would instrument every dependency too: NIO, BoringSSL, Yams... make
// ~370 k counters that libFuzzer clears and scans after every input, and trace every comparison in
// ByteBuffer. The executables keep their @main, which hands over to LLVMFuzzerRunDriver.
if let runtime = Context.environment["WSFUZZ_FOCUS"], !runtime.isEmpty {
    // Edges only: libFuzzer uses traced 1- and 2-byte comparisons only for -use_value_profile, and
    // the dictionaries carry the protocol's constants; tracing cost a quarter of every input.
    // Exclusivity is left to the normal builds and tests: with ASan intercepting its thread-local
    // lookups, the runtime check on every ByteBuffer access cost a tenth of every input.
    let coverage = SwiftSetting.unsafeFlags(["-sanitize-coverage=edge,inline-8bit-counters,pc-table"])
    let noExclusivityChecks = SwiftSetting.unsafeFlags(["-enforce-exclusivity=unchecked"])
    // The properties' own stack frames skip ASan's fake stack (use-after-return detection, on by
    // default on Linux): the harness is not the code under test, and its large frames cost about a
    // twentieth of every input. WSFrames, WSEngine and NIO keep it.
    let harnessStack = SwiftSetting.unsafeFlags(["-Xllvm", "-asan-use-after-return=never"])
    for target in package.targets {
        switch target.name {
        case "WSFrames", "WSEngine":
            target.swiftSettings = (target.swiftSettings ?? []) + [coverage, noExclusivityChecks]
        case "WSFuzzCore":
            target.swiftSettings = (target.swiftSettings ?? []) + [noExclusivityChecks, harnessStack, .define("WSFUZZ_DRIVER")]
        case "WSFuzzFrames", "WSFuzzSupport":
            target.swiftSettings = (target.swiftSettings ?? []) + [noExclusivityChecks, harnessStack]
        case _ where fuzzTargets.contains(target.name) || target.name == "ReferenceNIOFrameDecoder":
            target.linkerSettings = (target.linkerSettings ?? []) + [.unsafeFlags(["-Xlinker", runtime, "-lstdc++"])]
        default:
            break
        }
    }
}
// MARK: - Fuzzing (H6) — end --------------------------------------------------------------------
