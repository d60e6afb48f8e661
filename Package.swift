// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SwiftTorch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .executable(name: "swifttorch", targets: ["swifttorch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "Torch",
            dependencies: ["COpenBLAS"]
        ),
        // The conformance replay: shared by the test target and `swifttorch conformance`,
        // kept out of the shipped `Torch` module.
        .target(
            name: "ConformanceSupport",
            dependencies: ["Torch"]
        ),
        .executableTarget(
            name: "swifttorch",
            dependencies: [
                "Torch",
                "ConformanceSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TorchTests", dependencies: ["Torch"]),
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["Torch", "ConformanceSupport"],
            resources: [.copy("Corpus"), .copy("ratchet.txt")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
