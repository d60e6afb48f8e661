import Foundation
import Testing
@testable import Torch

/// PNG and JPEG through libpng and libjpeg-turbo, against torchvision.io's decodings of files
/// Pillow wrote (scripts/make-image-fixtures.py), plus round trips and broken files.
@Suite struct ImageIOTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/images")

    static var expected: [String: [String: Any]] {
        let data = try! Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
    }

    static let modes: [String: ImageReadMode] = [
        "unchanged": .unchanged, "gray": .gray, "rgb": .rgb, "rgb_alpha": .rgbAlpha, "gray_alpha": .grayAlpha,
    ]

    @Test(arguments: expected.keys.sorted())
    func decodesAsTorchvision(_ key: String) throws {
        let parts = key.split(separator: "/").map(String.init)
        let image = try readImage(Self.fixtures.appendingPathComponent(parts[0]), mode: Self.modes[parts[1]]!)
        let want = Self.expected[key]!
        #expect(image.dtype == .uint8)
        #expect(image.shape == want["shape"] as! [Int])
        var values = (want["values"] as! [Int]).map(UInt8.init)
        if parts[0] == "bits1.png" && parts[1].hasSuffix("alpha") {
            // torchvision adds an alpha of 2^bit_depth − 1 before expanding a 1-bit image to
            // 8 bits, i.e. alpha 1 (nearly transparent); we add 255 (opaque).
            let plane = image.shape[1] * image.shape[2]
            #expect(values.suffix(plane).allSatisfy { $0 == 1 })
            values.replaceSubrange((values.count - plane)..., with: repeatElement(255, count: plane))
        }
        #expect(image.flatten().toArray(UInt8.self) == values)
    }

    @Test func pngRoundTripsEveryChannelCount() throws {
        try withDefaultGenerator(Generator().manualSeed(0)) {
            for channels in 1...4 {
                let image = Tensor.randint(0, 256, [channels, 5, 11]).to(.uint8)
                let decoded = try decodePNG(encodePNG(image, compressionLevel: 9))
                #expect(equal(decoded, image))
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-\(UUID()).png")
                defer { try? FileManager.default.removeItem(at: url) }
                try writePNG(image, to: url)
                #expect(equal(try readImage(url), image))
            }
        }
    }

    @Test func jpegRoundTripIsClose() throws {
        // A smooth image: JPEG at quality 95 stays within a few levels of it.
        let ramp = (Tensor.arange(0, 16 * 24).reshape([1, 16, 24]) % Tensor(24) * 10).to(.uint8)
        let rgb = cat([ramp, ramp.flip([2]), ramp], dim: 0)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-\(UUID()).jpg")
        defer { try? FileManager.default.removeItem(at: url) }
        try writeJPEG(rgb, to: url, quality: 95)
        let back = try readImage(url)
        #expect(back.shape == [3, 16, 24])
        #expect((back.to(.float32) - rgb.to(.float32)).abs().mean().item() < 3)
        #expect(try readImage(url, mode: .gray).shape == [1, 16, 24])
        let gray = try decodeJPEG(encodeJPEG(ramp, quality: 100))
        #expect(gray.shape == [1, 16, 24] && (gray.to(.float32) - ramp.to(.float32)).abs().max().item() <= 2)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func message(_ body: () throws -> Tensor) -> String {
        do {
            _ = try body()
            return "no error"
        } catch let error as TorchError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func brokenFilesThrowErrorsNamingFileAndProblem() throws {
        let png = try Self.bytes("rgb.png"), jpeg = try Self.bytes("rgb.jpg")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swifttorch-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
        // Truncated in the pixel data.
        let cutPNG = try write("cut.png", Array(png.prefix(png.count - 30)))
        #expect(Self.message { try readImage(cutPNG) }.hasPrefix(cutPNG.path + ": "))
        #expect(Self.message { try readImage(cutPNG) }.contains("truncated"))
        let cutJPEG = try write("cut.jpg", Array(jpeg.prefix(jpeg.count / 2)))
        #expect(Self.message { try readImage(cutJPEG) } == cutJPEG.path + ": truncated file (premature end of JPEG data)")
        // A header that claims a 60000 × 60000 image in a 240-byte file: refused before allocating.
        var huge = png
        huge.replaceSubrange(16..<24, with: [0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60])
        let hugePNG = try write("huge.png", huge)
        #expect(Self.message { try readImage(hugePNG) }.contains(hugePNG.path + ": "))
        var hugeJ = jpeg
        let sof = (0..<(hugeJ.count - 1)).first { hugeJ[$0] == 0xff && hugeJ[$0 + 1] == 0xc0 }!
        hugeJ.replaceSubrange((sof + 5)..<(sof + 9), with: [0xea, 0x60, 0xea, 0x60])
        let hugeJPEG = try write("huge.jpg", hugeJ)
        #expect(Self.message { try readImage(hugeJPEG) } == hugeJPEG.path
            + ": image of 60000×60000 pixels is larger than \(jpeg.count) bytes of JPEG data can hold")
        // A corrupt header checksum, an unknown format, a missing file, an empty file.
        var badCRC = png
        badCRC[29] ^= 0xff
        let badPNG = try write("crc.png", badCRC)
        #expect(Self.message { try readImage(badPNG) } == badPNG.path + ": IHDR: CRC error")
        let text = try write("notes.png", Array("hello".utf8))
        #expect(Self.message { try readImage(text) } == text.path + ": unsupported image file (neither PNG nor JPEG signature)")
        #expect(Self.message { try readImage(dir.appendingPathComponent("missing.png")) }.hasSuffix("missing.png: no such file"))
        #expect(Self.message { try decodeImage([UInt8]()) } == "image data: unsupported image file (neither PNG nor JPEG signature)")
        #expect(Self.message { try decodeJPEG(jpeg, mode: .rgbAlpha) } == "JPEG data: read mode 4 is not supported for JPEG files")
    }

    /// Files the fuzzer (scripts/fuzz-images) found interesting stay decodable without a crash.
    @Test func fuzzRegressionFilesThrowOrDecode() throws {
        let dir = Self.fixtures.appendingPathComponent("fuzz")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        for name in names.sorted() {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
            _ = try? decodeImage(bytes)
        }
    }
}
