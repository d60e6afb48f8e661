// swift-tools-version: 6.1
// The benchmark program lives in its own package so a benchmark that does not compile yet
// never breaks the library's build; it depends on SwiftTorch by path.
import PackageDescription

let package = Package(
    name: "SwiftTorchBenchmarks",
    dependencies: [.package(name: "SwiftTorch", path: "..")],
    targets: [
        .executableTarget(
            name: "torchbench",
            dependencies: [
                .product(name: "Torch", package: "SwiftTorch"),
                .product(name: "TorchVision", package: "SwiftTorch"),
            ]
        ),
        // Run under mpirun by `run-distributed`.
        .executableTarget(
            name: "torchbench-dist",
            dependencies: [
                .product(name: "Torch", package: "SwiftTorch"),
                .product(name: "TorchDistributed", package: "SwiftTorch"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
