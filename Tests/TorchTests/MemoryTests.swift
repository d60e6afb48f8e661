import Foundation
import Testing
import Torch

/// Long runs stay in constant memory, and `emptyCache()` gives cached memory back to the
/// system (issue 21, part 5). Both run in a child process (exit tests), so the resident size
/// they read is theirs alone.
@Suite struct MemoryTests {
    /// This process's resident set size in bytes (`/proc/self/statm`'s second field).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        return (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// 100,000 SGD steps of a small MLP: after 2,000 warm-up steps the resident size never
    /// grows by more than 5%. (Not under a sanitizer: its quarantine and shadow memory grow
    /// the resident size by design, and the loop takes minutes there.)
    @Test(.disabled(if: underAddressSanitizer || underThreadSanitizer, "sanitizer allocators grow resident memory by design"))
    func hundredThousandStepLoopHoldsItsMemory() async {
        await #expect(processExitsWith: .success) {
            withDefaultGenerator(Torch.Generator().manualSeed(0)) {
                let model = Sequential(Linear(8, 16), ReLU(), Linear(16, 1))
                let optimizer = SGD(model.parameters(), lr: 0.01, momentum: 0.9)
                let x = Tensor.randn([16, 8]), y = Tensor.randn([16, 1])
                var warm = 0, peak = 0
                for step in 1...100_000 {
                    optimizer.zeroGrad()
                    let loss = mseLoss(model(x), y)
                    loss.backward()
                    optimizer.step()
                    if step == 2_000 { warm = MemoryTests.residentBytes() }
                    if step > 2_000 && step % 1_000 == 0 { peak = max(peak, MemoryTests.residentBytes()) }
                }
                if warm == 0 || Double(peak) > Double(warm) * 1.05 {
                    FileHandle.standardError.write(Data("resident \(warm) after warm-up, peak \(peak)\n".utf8))
                    exit(1)
                }
            }
        }
    }

    /// Whether AddressSanitizer is in the process: its allocator quarantines freed memory
    /// instead of returning it, so resident sizes say nothing about `emptyCache()` there.
    static let underAddressSanitizer = dlsym(nil, "__asan_init") != nil
    /// Whether ThreadSanitizer is in the process.
    static let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil

    /// 256 MiB of tensors freed stay cached (resident); `emptyCache()` returns them.
    @Test(.disabled(if: underAddressSanitizer, "ASan's quarantine keeps freed memory resident"))
    func emptyCacheReturnsMemoryToTheSystem() async {
        await #expect(processExitsWith: .success) {
            let before = MemoryTests.residentBytes()
            do {
                let tensors = (0..<64).map { _ in Tensor.ones([1 << 20]) }   // 64 × 4 MiB, touched
                _ = tensors.count
            }
            let cached = MemoryTests.residentBytes()
            emptyCache()
            let after = MemoryTests.residentBytes()
            // The cache kept at least 200 MiB resident, and emptyCache gave back all but 32 MiB.
            if cached - before < 200 << 20 || after - before > 32 << 20 {
                FileHandle.standardError.write(Data("before \(before), cached \(cached), after \(after)\n".utf8))
                exit(1)
            }
        }
    }
}
