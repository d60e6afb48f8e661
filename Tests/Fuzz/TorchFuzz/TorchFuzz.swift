// libFuzzer driver for every reader of outside data (scripts/fuzz builds it with
// -sanitize=fuzzer,address -DFUZZING). TORCH_FUZZ_TARGET picks the reader: one of
// FuzzEntryPoints.targets, or "conformance-json" for the conformance corpus parser.
#if FUZZING
import ConformanceSupport
import Foundation
@_spi(Fuzzing) import Torch

private let target = ProcessInfo.processInfo.environment["TORCH_FUZZ_TARGET"] ?? ""

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if target == "conformance-json" {
        _ = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self))
    } else if !FuzzEntryPoints.run(target, bytes) {
        fatalError("TORCH_FUZZ_TARGET must be conformance-json or one of \(FuzzEntryPoints.targets)")
    }
    return 0
}

/// libFuzzer's entry for programs that keep their own `main` (declared in FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                             _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point. SwiftPM links an executable target's `main` as
/// `<module>_main`, so the driver provides that symbol and hands over to libFuzzer.
@_cdecl("torch_fuzz_main")
public func torchFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#else
/// A plain build (swift build) links this stub instead, so the package builds without libFuzzer.
@main enum TorchFuzzStub {
    /// Says how to run the real driver.
    static func main() { print("torch-fuzz: build and run it with scripts/fuzz TARGET SECONDS") }
}
#endif
