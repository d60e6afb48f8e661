import Foundation

/// Arranges a batch of images `(B, C, H, W)` in a grid, as torchvision's `make_grid`:
/// `nrow` images per row, `padding` pixels of `padValue` between and around them,
/// single-channel images repeated to three channels, and with `normalize` the whole batch
/// shifted and scaled to [0, 1] by its minimum and maximum.
public func makeGrid(_ images: Tensor, nrow: Int = 8, padding: Int = 2, normalize: Bool = false,
                     padValue: some ScalarConvertible = 0) -> Tensor {
    let padValue = padValue.scalarValue.doubleValue
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
    try writePNG((t * 255 + 0.5).clamp(min: 0, max: 255).to(.uint8), to: location)
}
