import CTorchSIMD
import Testing
@testable import Torch

/// CTorchSIMD's bfloat16 <-> float32 loops (`torch_convert.h`) against Swift's `BFloat16`,
/// bit for bit at every width: every one of the 65,536 bfloat16 patterns widened, and float32
/// patterns of every kind (ties both ways, carries into the exponent, subnormals, infinities,
/// NaNs of both signs) narrowed.
@Suite(.serialized) struct BFloat16ConversionLoopTests {
    /// Float32 bit patterns around every rounding case, 4,099 of them (a tail at every width).
    static let floatPatterns: [UInt32] = {
        var bits: [UInt32] = [0, 0x8000_0000, 0x0000_0001, 0x8000_7FFF, 0x0000_8000, 0x0001_8000,
                              0x3F80_8000, 0x3F81_8000, 0x3F80_7FFF, 0x3F80_8001, 0x7F7F_FFFF, 0xFF7F_FFFF,
                              0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFFFF_FFFF]
        var x: UInt32 = 0x1234_5678
        while bits.count < 4099 {
            x = x &* 1_664_525 &+ 1_013_904_223  // a fixed linear congruential sequence
            bits.append(x)
        }
        return bits
    }()

    @Test(arguments: [512, 256, 0])
    func loopsMatchSwiftBFloat16(width: Int32) {
        st_simd_force_width_on_this_thread(width)
        defer { st_simd_force_width_on_this_thread(-1) }
        let all = (0...UInt32(UInt16.max)).map { UInt16($0) }
        var widened = [Float](repeating: 0, count: all.count)
        st_bf16_to_f32(all, &widened, all.count)
        let badWiden = all.indices.first { widened[$0].bitPattern != BFloat16(bitPattern: all[$0]).floatValue.bitPattern }
        #expect(badWiden == nil, "width \(width): widening 0x\(String(all[badWiden ?? 0], radix: 16))")

        let floats = Self.floatPatterns.map { Float(bitPattern: $0) }
        var narrowed = [UInt16](repeating: 0, count: floats.count)
        st_f32_to_bf16(floats, &narrowed, floats.count)
        let badNarrow = floats.indices.first { narrowed[$0] != BFloat16(floats[$0]).bitPattern }
        #expect(badNarrow == nil, "width \(width): narrowing 0x\(String(Self.floatPatterns[badNarrow ?? 0], radix: 16))")
    }

    /// Through `to(_:)`: a contiguous conversion each way takes the loops, a strided one the
    /// element-by-element cast; both give the same bits.
    @Test func tensorConversionsTakeTheLoopsAndAgreeWithTheStridedPath() {
        let floats = Self.floatPatterns.prefix(4096).map { Float(bitPattern: $0) }
        let t = Tensor(Array(floats), dtype: .float32).reshape([64, 64])
        let dense = t.to(.bfloat16).toArray(BFloat16.self).map(\.bitPattern)
        #expect(dense == floats.map { BFloat16($0).bitPattern })
        let strided = t.t().to(.bfloat16).t().toArray(BFloat16.self).map(\.bitPattern)
        #expect(strided == dense)
        let back = t.to(.bfloat16).to(.float32).toArray(Float.self).map(\.bitPattern)
        #expect(back == floats.map { BFloat16($0).floatValue.bitPattern })
    }
}
