import Foundation
import Testing
@testable import Torch

/// The image decoders under mutated files: `scripts/fuzz-images N` runs this with
/// `SWIFTTORCH_FUZZ_IMAGES=N` (skipped otherwise). Each mutant is written to
/// `$SWIFTTORCH_FUZZ_DIR/current-<format>` before it is decoded, so if the process dies the
/// script keeps the file that killed it as a regression fixture.
@Suite struct ImageFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["SWIFTTORCH_FUZZ_IMAGES"].flatMap(Int.init) ?? 0

    /// xorshift64*: a seeded, reproducible mutation stream.
    struct Mutator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var bytes = input
            for _ in 0...below(4) {
                guard !bytes.isEmpty else { break }
                let at = below(bytes.count)
                switch below(7) {
                case 0: bytes[at] ^= UInt8(1 << below(8))                                   // bit flip
                case 1: bytes[at] = [0, 0xff, 0x7f, 0x80, 1][below(5)]                      // interesting byte
                case 2: bytes[at] = UInt8(truncatingIfNeeded: next())                       // random byte
                case 3: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))     // delete
                case 4: bytes.insert(contentsOf: (0..<(1 + below(16))).map { _ in UInt8(truncatingIfNeeded: next()) }, at: at)
                case 5: bytes = Array(bytes.prefix(at))                                     // truncate
                default:                                                                    // copy a block
                    let from = below(bytes.count), length = min(1 + below(32), bytes.count - from, bytes.count - at)
                    bytes.replaceSubrange(at..<(at + length), with: bytes[from..<(from + length)])
                }
            }
            return bytes
        }
    }

    /// PNG's CRC-32, so that mutants with fixed-up checksums reach the decoder's later stages.
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func fixPNGChecksums(_ bytes: inout [UInt8]) {
        var at = 8
        while at + 12 <= bytes.count {
            let length = Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            guard length >= 0, at + 12 + length <= bytes.count else { return }
            var c: UInt32 = 0xffff_ffff
            for b in bytes[(at + 4)..<(at + 8 + length)] { c = crcTable[Int((c ^ UInt32(b)) & 0xff)] ^ (c >> 8) }
            c ^= 0xffff_ffff
            let end = at + 8 + length
            bytes[end] = UInt8(c >> 24); bytes[end + 1] = UInt8((c >> 16) & 0xff)
            bytes[end + 2] = UInt8((c >> 8) & 0xff); bytes[end + 3] = UInt8(c & 0xff)
            at = end + 4
        }
    }

    @Test(.enabled(if: iterations > 0), arguments: ["png", "jpg"])
    func decodersSurviveMutants(_ format: String) throws {
        let dir = ImageIOTests.fixtures
        let seeds = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix("." + format) }.sorted()
            .map { [UInt8](try Data(contentsOf: dir.appendingPathComponent($0))) }
        let out = ProcessInfo.processInfo.environment["SWIFTTORCH_FUZZ_DIR"].map { URL(fileURLWithPath: $0) }
        var mutator = Mutator(state: format == "png" ? 0x9E37_79B9_7F4A_7C15 : 0xD1B5_4A32_D192_ED03)
        var decoded = 0, thrown = 0, messages: [String: Int] = [:]
        for i in 0..<Self.iterations {
            var bytes = mutator.mutate(seeds[i % seeds.count])
            if format == "png", i % 2 == 0 { Self.fixPNGChecksums(&bytes) }
            if let out { try Data(bytes).write(to: out.appendingPathComponent("current-\(format)")) }
            do {
                let image = try decodeImage(bytes)
                #expect(image.dtype == .uint8 && image.dim == 3)
                decoded += 1
            } catch let error as TorchError {
                thrown += 1
                let reason = error.message.replacingOccurrences(of: "image data: ", with: "")
                messages[String(reason.prefix(48)), default: 0] += 1
            }
        }
        let top = messages.sorted { $0.value > $1.value }.prefix(8).map { "  \($0.value) × \($0.key)" }.joined(separator: "\n")
        print("fuzz \(format): \(Self.iterations) mutants from \(seeds.count) files: \(decoded) decoded, \(thrown) threw, 0 crashes\n\(top)")
    }
}
