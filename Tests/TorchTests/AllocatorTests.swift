import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Torch

@Suite struct AllocatorTests {
    @Test func sizeClassesHaveFourStepsPerOctave() {
        #expect(CPUAllocator.sizeClass(for: 100) == 100)
        #expect(CPUAllocator.sizeClass(for: 65536) == 65536)
        #expect(CPUAllocator.sizeClass(for: 65537) == 65536 + 16384)
        #expect(CPUAllocator.sizeClass(for: 40_000_000) == 41_943_040)
        for bytes in [70_000, 1_000_000, 40_000_000] {
            let c = CPUAllocator.sizeClass(for: bytes)
            #expect(c >= bytes && Double(c) <= Double(bytes) * 1.25)
        }
    }

    /// Small buffers come from `malloc` aligned by hand; each must be aligned, hold all of
    /// its bytes (the address sanitizer run catches a write past the block) and go back.
    @Test(arguments: [1, 4, 17, 100, 1000, 4096, 65535])
    func smallBuffersAreAlignedAndWholeAndFreed(bytes: Int) {
        let allocator = CPUAllocator()
        var held: [(UnsafeMutableRawPointer, Int)] = []
        for _ in 0..<8 {
            let (p, size) = allocator.allocate(bytes)
            #expect(size == bytes)
            #expect(Int(bitPattern: p) % CPUAllocator.alignment == 0)
            memset(p, 0xA5, size)
            held.append((p, size))
        }
        #expect(Set(held.map { Int(bitPattern: $0.0) }).count == held.count)
        #expect(held.allSatisfy { p, size in (0..<size).allSatisfy { p.load(fromByteOffset: $0, as: UInt8.self) == 0xA5 } })
        for (p, size) in held { allocator.deallocate(p, sizeClass: size) }
        #expect(allocator.cachedBytes == 0)
    }

    @Test func freedBuffersAreReusedAndBounded() {
        let allocator = CPUAllocator(maxCachedBytes: 1 << 20)
        let (p, size) = allocator.allocate(100_000)
        #expect(Int(bitPattern: p) % 64 == 0)
        allocator.deallocate(p, sizeClass: size)
        #expect(allocator.cachedBytes == size)
        let (q, _) = allocator.allocate(100_000)
        #expect(q == p)
        #expect(allocator.cachedBytes == 0)
        allocator.deallocate(q, sizeClass: size)
        // Over the cap: freed, not parked.
        let (big, bigSize) = allocator.allocate(2 << 20)
        allocator.deallocate(big, sizeClass: bigSize)
        #expect(allocator.cachedBytes == size)
        allocator.emptyCache()
        #expect(allocator.cachedBytes == 0)
    }
}
