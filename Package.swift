// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Lapis",
    products: [
        .library(name: "Lapis", targets: ["Lapis"]),
        .executable(name: "lapis", targets: ["lapis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The default four-topic model, compiled into the binary (C23 #embed of
        // Models/default.lapis) so one copied `lapis` file is complete; see Models/README.md.
        .target(
            name: "LapisDefaultModelBytes",
            path: "Models/Embedded"
        ),
        .target(
            name: "LapisDefaultModel",
            dependencies: ["LapisDefaultModelBytes"],
            path: "Models",
            exclude: ["README.md", "default.lapis", "Embedded"]
        ),
        .target(
            name: "Lapis",
            dependencies: ["LapisDefaultModel"]
        ),
        .executableTarget(
            name: "lapis",
            dependencies: [
                "Lapis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (Evaluation/fuzz.sh); without -DLAPIS_FUZZING a replay runner.
        .executableTarget(
            name: "lapis-fuzz",
            dependencies: ["Lapis"],
            path: "Sources/LapisFuzz",
            exclude: ["Seeds"]
        ),
        .testTarget(
            name: "LapisTests",
            dependencies: ["Lapis"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LapisCLITests",
            dependencies: ["lapis"]
        ),
    ]
)
