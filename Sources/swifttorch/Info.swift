import ArgumentParser
import Torch

/// `swifttorch info`: what this build runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version, BLAS library, threads, default dtype and devices.")

    func run() {
        print("SwiftTorch \(torchVersion)")
        print("BLAS: \(BLASInfo.configuration)")
        print("BLAS core type: \(BLASInfo.coreType)")
        print("BLAS threads: \(BLASInfo.threadCount)")
        print("float32 GEMM: oneDNN dnnl_sgemm (OpenBLAS below \(BLASInfo.smallProductThreshold) multiply-adds)")
        print("vector math: SLEEF \(BLASInfo.vectorWidth == 0 ? "disabled (portable libm)" : "\(BLASInfo.vectorWidth)-bit")")
        print("default dtype: \(defaultDtype())")
        print("cuda available: \(cuda.isAvailable() ? "True" : "False")")
    }
}
