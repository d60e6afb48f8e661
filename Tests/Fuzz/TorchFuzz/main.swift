// libFuzzer driver for every reader of outside data (scripts/fuzz builds it with
// -sanitize=fuzzer,address -DFUZZING). TORCH_FUZZ_TARGET picks the reader: one of
// FuzzEntryPoints.targets, or "conformance-json" for the conformance corpus parser.
#if FUZZING
import ConformanceSupport
import Foundation
@_spi(Fuzzing) import Torch

private let target = ProcessInfo.processInfo.environment["TORCH_FUZZ_TARGET"] ?? ""

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if target == "conformance-json" {
        _ = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self))
    } else if !FuzzEntryPoints.run(target, bytes) {
        fatalError("TORCH_FUZZ_TARGET must be conformance-json or one of \(FuzzEntryPoints.targets)")
    }
    return 0
}
#else
// A plain build (swift build) links this stub instead, so the package builds without libFuzzer.
print("torch-fuzz: build and run it with scripts/fuzz TARGET SECONDS")
#endif
