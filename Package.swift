// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Lapis",
    products: [
        .library(name: "Lapis", targets: ["Lapis"]),
        .library(name: "LapisReports", targets: ["LapisReports"]),
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
        // Self-contained HTML reports (charts, heat maps, highlighted stories) built from the
        // library's measurements; apart so that the library stays text, features, models, metrics.
        .target(
            name: "LapisReports",
            dependencies: ["Lapis"]
        ),
        .executableTarget(
            name: "lapis",
            dependencies: [
                "Lapis",
                "LapisReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (Evaluation/fuzz.sh); without -DLAPIS_FUZZING a replay runner.
        .executableTarget(
            name: "lapis-fuzz",
            dependencies: ["Lapis", "LapisReports"],
            path: "Sources/LapisFuzz",
            exclude: ["Seeds"]
        ),
        // Helpers every test target shares (scratch folders, paths).
        .target(
            name: "LapisTestSupport",
            path: "Tests/LapisTestSupport"
        ),
        .testTarget(
            name: "LapisTests",
            dependencies: ["Lapis", "LapisTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LapisReportsTests",
            dependencies: ["Lapis", "LapisReports", "LapisTestSupport"]
        ),
        .testTarget(
            name: "LapisCLITests",
            dependencies: ["lapis", "LapisTestSupport"]
        ),
    ]
)
