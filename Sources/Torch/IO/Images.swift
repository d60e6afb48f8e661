import Foundation

/// Arranges a batch of images `(B, C, H, W)` in a grid, as torchvision's `make_grid`:
/// `nrow` images per row, `padding` pixels of `padValue` between and around them,
/// single-channel images repeated to three channels, and with `normalize` the whole batch
/// shifted and scaled to [0, 1] by its minimum and maximum.
public func makeGrid(_ images: Tensor, nrow: Int = 8, padding: Int = 2, normalize: Bool = false, padValue: Double = 0) -> Tensor {
    var batch = images.detach()
    if batch.dim == 2 { batch = batch.unsqueeze(0) }
    if batch.dim == 3 {
        if batch.shape[0] == 1 { batch = cat([batch, batch, batch], dim: 0) }
        batch = batch.unsqueeze(0)
    }
    guard batch.dim == 4 else { torchFatal("ValueError: makeGrid expects a 2-D, 3-D or 4-D tensor, got \(images.dim)-D") }
    if batch.shape[1] == 1 { batch = cat([batch, batch, batch], dim: 1) }
    batch = batch.to(.float32)
    if normalize {
        let low = batch.min().item(), high = batch.max().item()
        batch = (batch.clamp(min: .double(low), max: .double(high)) - low) / Swift.max(high - low, 1e-5)
    }
    if batch.shape[0] == 1 { return batch.squeeze(0) }
    let count = batch.shape[0], channels = batch.shape[1]
    let columns = Swift.min(nrow, count), rows = (count + columns - 1) / columns
    let height = batch.shape[2] + padding, width = batch.shape[3] + padding
    let grid = Tensor.full([channels, height * rows + padding, width * columns + padding], padValue)
    for k in 0..<count {
        let y = k / columns, x = k % columns
        grid.narrow(1, y * height + padding, height - padding).narrow(2, x * width + padding, width - padding).copy_(batch.select(0, k))
    }
    return grid
}

/// Writes an image tensor as a PNG file, as torchvision's `save_image`: a batch
/// `(B, C, H, W)` is first arranged with ``makeGrid(_:nrow:padding:normalize:padValue:)``;
/// values in [0, 1] become bytes (`x·255 + 0.5`, clamped); one channel gives grey, three RGB.
///
/// - Throws: ``TorchError`` naming the file when it cannot be written.
public func saveImage(_ image: Tensor, to location: some FileLocation, nrow: Int = 8, padding: Int = 2,
                      normalize: Bool = false) throws {
    var t = image.dim == 4 ? makeGrid(image, nrow: nrow, padding: padding, normalize: normalize) : image.detach().to(.float32)
    if t.dim == 2 { t = t.unsqueeze(0) }
    guard t.dim == 3, t.shape[0] == 1 || t.shape[0] == 3 else {
        torchFatal("ValueError: saveImage expects (C, H, W) with 1 or 3 channels or a batch (B, C, H, W), got \(Size(image.shape))")
    }
    let bytes = (t * 255 + 0.5).clamp(min: 0, max: 255).permute(1, 2, 0).contiguous().to(.uint8)
    try writeFileAtomically(Data(encodePNG(bytes.toArray(UInt8.self), width: t.shape[2], height: t.shape[1], channels: t.shape[0])),
                            to: location.fileURL)
}

/// A PNG file of 8-bit grey (`channels` 1) or RGB (3) pixels, rows top to bottom.
func encodePNG(_ pixels: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8] {
    func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(Zlib.crc(body))
    }
    var raw: [UInt8] = []
    raw.reserveCapacity((width * channels + 1) * height)
    for row in 0..<height {
        raw.append(0)   // filter: none
        raw += pixels[(row * width * channels)..<((row + 1) * width * channels)]
    }
    let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, channels == 1 ? 0 : 2, 0, 0, 0]
    return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        + chunk("IHDR", header) + chunk("IDAT", Zlib.deflate(raw)) + chunk("IEND", [])
}
