// swift-tools-version:6.2
import PackageDescription

// A Hummingbird WebSocket echo server tested by wsconform from `swift test` (see README.md).
let package = Package(
    name: "HummingbirdEcho",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "wsconform", path: "../.."),
        // No traits: the WebSocket server needs none of swift-configuration or full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", exact: "2.8.1"),
    ],
    targets: [
        // The server under test: an echo route on Hummingbird's WebSocket upgrade, permessage-deflate on.
        .target(
            name: "HummingbirdEcho",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSCompression", package: "hummingbird-websocket"),
            ]
        ),
        .testTarget(
            name: "HummingbirdEchoTests",
            dependencies: [
                "HummingbirdEcho",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "WSConformance", package: "wsconform"),
                .product(name: "WSReports", package: "wsconform"),
            ],
            exclude: ["Baseline"]
        ),
    ]
)
