// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SwiftTorch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "TorchVision", targets: ["TorchVision"]),
        // torch.distributed on Open MPI, apart so that plain Torch users never link libmpi.
        .library(name: "TorchDistributed", targets: ["TorchDistributed"]),
        .executable(name: "swifttorch", targets: ["swifttorch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Zip containers: torch.save's archives and NumPy's .npz.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // `swift package generate-documentation` for scripts/docs; a plugin, not linked into anything.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CDNNL",
            providers: [.apt(["libdnnl-dev"])]
        ),
        // Named apart from ZIPFoundation's own `CZlib` module, which would clash with it.
        .systemLibrary(
            name: "CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Open MPI (libopenmpi-dev) for torch.distributed; only TorchDistributed links it.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]
        ),
        // Debian's libpng (libpng-dev) and libjpeg-turbo (libjpeg62-turbo-dev) for image files.
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]
        ),
        // PNG/JPEG decode and encode in C: libpng's longjmp and libjpeg's error_exit are
        // caught here, since a longjmp across Swift frames is undefined behaviour.
        .target(
            name: "CTorchImage",
            dependencies: ["CPNG", "CJPEG"],
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]
        ),
        // Vectorised transcendental loops over SLEEF (libsleef-dev), picked per CPU at run time.
        .target(
            name: "CTorchSIMD",
            linkerSettings: [.linkedLibrary("sleef"), .linkedLibrary("m")]
        ),
        // float32 convolutions on oneDNN's primitives (libdnnl-dev, through CDNNL): the
        // descriptor/primitive/reorder plumbing of oneDNN's C API, written once in C.
        .target(
            name: "CTorchDNNL",
            dependencies: ["CDNNL"],
            linkerSettings: [.linkedLibrary("dnnl")]
        ),
        .target(
            name: "Torch",
            dependencies: ["COpenBLAS", "CDNNL", "CTorchDNNL", "CTorchSIMD", "CSystemZlib", "CTorchImage", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Resources/digits.csv.gz"), .copy("Resources/DIGITS-LICENSE.md")]
        ),
        // torchvision's model zoo (architectures; weights come from the user's files).
        .target(name: "TorchVision", dependencies: ["Torch"], resources: [.copy("Resources/imagenet_classes.txt")]),
        // Process groups, collectives, DistributedDataParallel and DistributedSampler on MPI.
        .target(name: "TorchDistributed", dependencies: ["Torch", "CMPI"]),
        // The conformance replay: shared by the test target and `swifttorch conformance`,
        // kept out of the shipped `Torch` module.
        .target(
            name: "ConformanceSupport",
            dependencies: ["Torch"]
        ),
        // The seed documents ported to Swift (`swifttorch example <name>`).
        // libFuzzer driver for the readers of outside data; scripts/fuzz builds it with
        // -sanitize=fuzzer (a plain build links a stub).
        .executableTarget(name: "torch-fuzz", dependencies: ["Torch", "ConformanceSupport"], path: "Tests/Fuzz/TorchFuzz"),
        .target(name: "TorchExamples", dependencies: ["Torch", "TorchVision"], path: "Examples",
                resources: [.copy("Resources/coriolanus.txt")]),
        .executableTarget(
            name: "swifttorch",
            dependencies: [
                "Torch",
                "TorchVision",
                "TorchDistributed",
                "ConformanceSupport",
                "TorchExamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TorchVisionTests", dependencies: ["Torch", "TorchVision"], exclude: ["Fixtures"]),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "CTorchSIMD", "TorchExamples"], exclude: ["Fixtures"]),
        // Starts `mpirun` on the built `swifttorch` (collective checks, training equivalence,
        // a dying rank) and checks
        // DistributedSampler against PyTorch's recorded indices.
        .testTarget(name: "DistributedTests", dependencies: ["Torch", "TorchDistributed"], exclude: ["Fixtures"]),
        // Reads its corpus and ratchet files next to its sources (#filePath), so they are
        // plain files in the repository rather than bundled resources.
        .testTarget(
            name: "ConformanceTests",
            dependencies: ["Torch", "ConformanceSupport"],
            exclude: ["Corpus", "ratchet.txt", "ratchet-values.txt"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
