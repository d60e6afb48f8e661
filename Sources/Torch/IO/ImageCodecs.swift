import CTorchImage
import Foundation

/// How to convert a decoded image's channels (torchvision's `io.ImageReadMode`).
public enum ImageReadMode: Sendable {
    /// As stored: grey 1 channel, grey+alpha 2, colour 3, colour with alpha 4
    /// (`ImageReadMode.UNCHANGED`).
    case unchanged
    /// One grey channel (`ImageReadMode.GRAY`).
    case gray
    /// Grey and alpha (`ImageReadMode.GRAY_ALPHA`; PNG only).
    case grayAlpha
    /// Three channels, red, green, blue (`ImageReadMode.RGB`).
    case rgb
    /// RGB and alpha (`ImageReadMode.RGB_ALPHA`; PNG only).
    case rgbAlpha

    var code: Int32 {
        switch self {
        case .unchanged: Int32(TI_MODE_UNCHANGED)
        case .gray: Int32(TI_MODE_GRAY)
        case .grayAlpha: Int32(TI_MODE_GRAY_ALPHA)
        case .rgb: Int32(TI_MODE_RGB)
        case .rgbAlpha: Int32(TI_MODE_RGB_ALPHA)
        }
    }
}

/// The largest image any decoder accepts, in pixels: PIL's decompression-bomb error
/// threshold (2 × `Image.MAX_IMAGE_PIXELS`).
let maximumImagePixels: UInt64 = 178_956_970
/// A JPEG may not declare more pixels than this many per byte of file. A flat baseline JPEG
/// needs at least two bits per 8×8 block and channel (256 pixels per byte); progressive files
/// compress flat areas further, so the bound leaves room for those.
let maximumJPEGPixelsPerByte: UInt64 = 4096

/// Decodes a PNG file's bytes to a uint8 `(C, H, W)` tensor (torchvision's `io.decode_png`):
/// 1 channel for grey, 2 grey+alpha, 3 RGB, 4 RGBA, unless `mode` converts. Palette images
/// are expanded to RGB (RGBA when they have transparency); 16-bit samples are scaled to 8 bits
/// (SwiftTorch has no uint16 dtype).
///
/// - Throws: ``TorchError`` naming `source` and the problem for a truncated or corrupt file or
///   an image too large for the file to hold.
public func decodePNG(_ bytes: [UInt8], mode: ImageReadMode = .unchanged, source: String = "PNG data") throws -> Tensor {
    try decode(bytes, source: source) { data, count, image in
        ti_decode_png(data, count, mode.code, maximumImagePixels, image)
    }
}

/// Decodes a JPEG file's bytes to a uint8 `(C, H, W)` tensor (torchvision's `io.decode_jpeg`):
/// 3 channels (RGB; CMYK converted) or 1 for a greyscale JPEG; `mode` `.gray` or `.rgb` converts.
///
/// - Throws: ``TorchError`` naming `source` for a truncated or corrupt file, a mode JPEG cannot
///   give (`.grayAlpha`, `.rgbAlpha`) or an image larger than the file justifies.
public func decodeJPEG(_ bytes: [UInt8], mode: ImageReadMode = .unchanged, source: String = "JPEG data") throws -> Tensor {
    try decode(bytes, source: source) { data, count, image in
        ti_decode_jpeg(data, count, mode.code, maximumImagePixels, maximumJPEGPixelsPerByte, image)
    }
}

/// Decodes PNG or JPEG bytes, told apart by their signature (torchvision's `io.decode_image`).
///
/// - Throws: ``TorchError`` naming `source` when the bytes are neither format or are corrupt.
public func decodeImage(_ bytes: [UInt8], mode: ImageReadMode = .unchanged, source: String = "image data") throws -> Tensor {
    let isPNG = bytes.withUnsafeBufferPointer { ti_is_png($0.baseAddress, $0.count) != 0 }
    let isJPEG = bytes.withUnsafeBufferPointer { ti_is_jpeg($0.baseAddress, $0.count) != 0 }
    if isPNG { return try decodePNG(bytes, mode: mode, source: source) }
    if isJPEG { return try decodeJPEG(bytes, mode: mode, source: source) }
    throw TorchError("\(source): unsupported image file (neither PNG nor JPEG signature)")
}

/// ``decodeImage(_:mode:source:)`` over `Data` (`torchvision.io.decode_image`).
public func decodeImage(_ data: Data, mode: ImageReadMode = .unchanged, source: String = "image data") throws -> Tensor {
    try decodeImage([UInt8](data), mode: mode, source: source)
}

/// Reads a PNG or JPEG file into a uint8 `(C, H, W)` tensor (torchvision's `io.read_image` /
/// `io.decode_image` on a path).
///
/// - Throws: ``TorchError`` naming the file when it is missing, not an image, or corrupt.
public func readImage(_ location: some FileLocation, mode: ImageReadMode = .unchanged) throws -> Tensor {
    let url = location.fileURL
    return try decodeImage(readFile(url), mode: mode, source: url.path)
}

/// Encodes a uint8 `(C, H, W)` tensor (1 to 4 channels: grey, grey+alpha, RGB, RGBA) as a PNG
/// file's bytes (torchvision's `io.encode_png`); `compressionLevel` is zlib's 0–9.
public func encodePNG(_ image: Tensor, compressionLevel: Int = 6) -> [UInt8] {
    guard (0...9).contains(compressionLevel) else {
        torchFatal("ValueError: Compression level should be between 0 and 9, got \(compressionLevel)")
    }
    return encode(image, format: "encode_png", channels: 1...4) { pixels, width, height, channels, out in
        ti_encode_png(pixels, width, height, channels, Int32(compressionLevel), out)
    }
}

/// Encodes a uint8 `(C, H, W)` tensor with 1 or 3 channels as a JPEG file's bytes
/// (torchvision's `io.encode_jpeg`); `quality` is 1–100.
public func encodeJPEG(_ image: Tensor, quality: Int = 75) -> [UInt8] {
    guard (1...100).contains(quality) else {
        torchFatal("ValueError: Image quality should be a positive number between 1 and 100, got \(quality)")
    }
    return encode(image, format: "encode_jpeg", channels: [1, 3]) { pixels, width, height, channels, out in
        ti_encode_jpeg(pixels, width, height, channels, Int32(quality), out)
    }
}

/// Writes a uint8 `(C, H, W)` tensor as a PNG file (torchvision's `io.write_png`), atomically.
///
/// - Throws: ``TorchError`` naming the file when it cannot be written.
public func writePNG(_ image: Tensor, to location: some FileLocation, compressionLevel: Int = 6) throws {
    try writeFileAtomically(Data(encodePNG(image, compressionLevel: compressionLevel)), to: location.fileURL)
}

/// Writes a uint8 `(C, H, W)` tensor as a JPEG file (torchvision's `io.write_jpeg`), atomically.
///
/// - Throws: ``TorchError`` naming the file when it cannot be written.
public func writeJPEG(_ image: Tensor, to location: some FileLocation, quality: Int = 75) throws {
    try writeFileAtomically(Data(encodeJPEG(image, quality: quality)), to: location.fileURL)
}

/// Runs a C decoder over `bytes` and moves its HWC pixels into a new `(C, H, W)` tensor.
private func decode(_ bytes: [UInt8], source: String,
                    _ body: (UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<ti_image>) -> Int32) throws -> Tensor {
    var image = ti_image()
    let status = bytes.withUnsafeBufferPointer { body($0.baseAddress, $0.count, &image) }
    guard status == 0, let pixels = image.pixels else {
        let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        throw TorchError("\(source): \(message.isEmpty ? "cannot decode image" : message)")
    }
    defer { ti_free(pixels) }
    let height = Int(image.height), width = Int(image.width), channels = Int(image.channels)
    let result = Tensor(uninitializedShape: [channels, height, width], dtype: .uint8, zeroed: false)
    result.withUnsafeMutableBufferPointer(UInt8.self) { planes in
        let plane = height * width
        for c in 0..<channels {
            for i in 0..<plane { planes[c * plane + i] = pixels[i * channels + c] }
        }
    }
    return result
}

/// Checks a uint8 `(C, H, W)` image, lays it out HWC and runs a C encoder on it.
private func encode(_ image: Tensor, format: String, channels allowed: some Collection<Int>,
                    _ body: (UnsafePointer<UInt8>, UInt32, UInt32, Int32, UnsafeMutablePointer<ti_image>) -> Int32) -> [UInt8] {
    guard image.dtype == .uint8 else { torchFatal("RuntimeError: \(format): Input tensor dtype should be uint8, got \(image.dtype.name)") }
    guard image.dim == 3 else { torchFatal("RuntimeError: \(format): Input data should be a 3-dimensional tensor, got \(image.dim) dims") }
    let channels = image.shape[0], height = image.shape[1], width = image.shape[2]
    guard allowed.contains(channels) else {
        torchFatal("RuntimeError: \(format): The number of channels should be \(allowed.map(String.init).joined(separator: " or ")), got: \(channels)")
    }
    guard height > 0, width > 0, height <= Int(UInt32.max), width <= Int(UInt32.max) else {
        torchFatal("RuntimeError: \(format): image size \(height)×\(width) cannot be encoded")
    }
    let hwc = image.detach().permute(1, 2, 0).contiguous().toArray(UInt8.self)
    var out = ti_image()
    let status = hwc.withUnsafeBufferPointer { body($0.baseAddress!, UInt32(width), UInt32(height), Int32(channels), &out) }
    guard status == 0, let bytes = out.pixels else {
        let message = withUnsafeBytes(of: out.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        torchFatal("RuntimeError: \(format): \(message)")
    }
    defer { ti_free(bytes) }
    return [UInt8](UnsafeBufferPointer(start: bytes, count: out.size))
}
