import Foundation
import Torch

// torchvision.transforms.functional on tensors (`_functional_tensor.py`): images are
// `(…, C, H, W)`, uint8 or floating point. Operations that need floating point work in
// float32 and come back to the input's dtype the way torchvision does (rounding after
// interpolation, truncation after blending), so results match torchvision value for value.

/// The largest value of an image dtype: 255 for uint8, 1 for floating point
/// (torchvision's `_max_value` for the dtypes images use).
func maxValue(_ dtype: DType) -> Double {
    switch dtype {
    case .uint8: 255
    case .int8: 127
    case .int16: 32767
    case .int32: 2_147_483_647
    case .int64: Double(Int64.max)
    case .bool: 1
    default: 1
    }
}

/// Converts an image between dtypes, rescaling values (torchvision's `convert_image_dtype`,
/// what `ToTensor`/`ConvertImageDtype` do to uint8 images): uint8 → float divides by 255,
/// float → uint8 multiplies by 255.999 and truncates.
public func convertImageDtype(_ image: Tensor, _ dtype: DType = .float32) -> Tensor {
    if image.dtype == dtype { return image }
    if image.dtype.isFloatingPoint {
        if dtype.isFloatingPoint { return image.to(dtype) }
        return (image * (maxValue(dtype) + 1 - 1e-3)).to(dtype)
    }
    if dtype.isFloatingPoint { return image.to(dtype) / maxValue(image.dtype) }
    let inMax = maxValue(image.dtype), outMax = maxValue(dtype)
    if inMax > outMax {
        let factor = Int((inMax + 1) / (outMax + 1))
        return floorDivide(image, Tensor(factor, dtype: image.dtype)).to(dtype)
    }
    return image.to(dtype) * Int((outMax + 1) / (inMax + 1))
}

/// Runs `body` on the image as a float `(N, C, H, W)` tensor and brings the result back to the
/// image's shape and dtype, rounding for integer dtypes (`_cast_squeeze_in` / `_cast_squeeze_out`).
func asFloatBatch(_ image: Tensor, _ body: (Tensor) -> Tensor) -> Tensor {
    let squeeze = image.dim < 4
    var x = squeeze ? image.unsqueeze(0) : image
    let cast = !(x.dtype == .float32 || x.dtype == .float64)
    if cast { x = x.to(.float32) }
    var y = body(x)
    if squeeze { y = y.squeeze(0) }
    if cast {
        if !image.dtype.isFloatingPoint { y = round(y) }
        y = y.to(image.dtype)
    }
    return y
}

/// The output `[height, width]` of `resize` (torchvision's `_compute_resized_output_size`):
/// one size sets the smaller edge (the other keeps the aspect ratio, truncated), two set both.
public func resizedOutputSize(height h: Int, width w: Int, size: [Int], maxSize: Int? = nil) -> [Int] {
    guard size.count == 1 else { return size }
    let (short, long) = w <= h ? (w, h) : (h, w)
    var newShort = size[0], newLong = Int(Double(size[0]) * Double(long) / Double(short))
    if let maxSize {
        guard maxSize > size[0] else {
            torchFatal("ValueError: max_size = \(maxSize) must be strictly greater than the requested size for the smaller edge size = \(size)")
        }
        if newLong > maxSize { (newShort, newLong) = (Int(Double(maxSize) * Double(newShort) / Double(newLong)), maxSize) }
    }
    return w <= h ? [newLong, newShort] : [newShort, newLong]
}

/// Resizes an image (torchvision's `F.resize` on tensors): `size` `[s]` matches the smaller
/// edge to `s`, `[h, w]` sets both; bilinear with `antialias` (the default, as torchvision's)
/// or nearest.
public func resize(_ image: Tensor, size: [Int], interpolation: InterpolationMode = .bilinear, maxSize: Int? = nil,
                   antialias: Bool = true) -> Tensor {
    let out = resizedOutputSize(height: image.shape[image.dim - 2], width: image.shape[image.dim - 1], size: size, maxSize: maxSize)
    if out == Array(image.shape.suffix(2)) { return image }
    return asFloatBatch(image) { x in
        interpolate(x, size: out, mode: interpolation, alignCorners: interpolation == .bilinear ? false : nil,
                    antialias: antialias && interpolation == .bilinear)
    }
}

/// The `height × width` region at (`top`, `left`), zero-padded where it leaves the image
/// (torchvision's `F.crop`).
public func crop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int) -> Tensor {
    let h = image.shape[image.dim - 2], w = image.shape[image.dim - 1]
    let right = left + width, bottom = top + height
    if left < 0 || top < 0 || right > w || bottom > h {
        let inside = image.narrow(-2, Swift.max(top, 0), Swift.min(bottom, h) - Swift.max(top, 0))
            .narrow(-1, Swift.max(left, 0), Swift.min(right, w) - Swift.max(left, 0))
        let padding = [Swift.max(-left, 0), Swift.max(right - w, 0), Swift.max(-top, 0), Swift.max(bottom - h, 0)]
        return pad(inside, padding, mode: .constant, value: 0)
    }
    return image.narrow(-2, top, height).narrow(-1, left, width)
}

/// The central `[h, w]` region, zero-padded if the image is smaller (torchvision's
/// `F.center_crop`; the offset is rounded half to even, as Python's `round`).
public func centerCrop(_ image: Tensor, size: [Int]) -> Tensor {
    let (ch, cw) = size.count == 1 ? (size[0], size[0]) : (size[0], size[1])
    var img = image
    var h = img.shape[img.dim - 2], w = img.shape[img.dim - 1]
    if cw > w || ch > h {
        let padding = [cw > w ? (cw - w) / 2 : 0, cw > w ? (cw - w + 1) / 2 : 0,
                       ch > h ? (ch - h) / 2 : 0, ch > h ? (ch - h + 1) / 2 : 0]
        img = pad(img, padding, mode: .constant, value: 0)
        h = img.shape[img.dim - 2]
        w = img.shape[img.dim - 1]
        if cw == w && ch == h { return img }
    }
    let top = Int((Double(h - ch) / 2).rounded(.toNearestOrEven)), left = Int((Double(w - cw) / 2).rounded(.toNearestOrEven))
    return crop(img, top: top, left: left, height: ch, width: cw)
}

/// `crop` then `resize` (torchvision's `F.resized_crop`).
public func resizedCrop(_ image: Tensor, top: Int, left: Int, height: Int, width: Int, size: [Int],
                        interpolation: InterpolationMode = .bilinear, antialias: Bool = true) -> Tensor {
    resize(crop(image, top: top, left: left, height: height, width: width), size: size, interpolation: interpolation,
           antialias: antialias)
}

/// Mirrors the image left–right (torchvision's `F.hflip`).
public func hflip(_ image: Tensor) -> Tensor { image.flip([image.dim - 1]) }

/// Mirrors the image top–bottom (torchvision's `F.vflip`).
public func vflip(_ image: Tensor) -> Tensor { image.flip([image.dim - 2]) }

/// How `Pad` fills the border (torchvision's `padding_mode`).
public enum ImagePaddingMode: String, Sendable {
    /// A constant `fill` value.
    case constant
    /// The edge pixel repeated.
    case edge
    /// Mirrored without repeating the edge pixel.
    case reflect
    /// Mirrored, edge pixel repeated.
    case symmetric
}

/// Expands torchvision's 1-, 2- or 4-element padding to `[left, right, top, bottom]`.
func parsePadding(_ padding: [Int]) -> [Int] {
    switch padding.count {
    case 1: return [padding[0], padding[0], padding[0], padding[0]]
    case 2: return [padding[0], padding[0], padding[1], padding[1]]
    case 4: return [padding[0], padding[2], padding[1], padding[3]]
    default: torchFatal("ValueError: Padding must be an int or a 1, 2, or 4 element tuple, not a \(padding.count) element tuple")
    }
}

/// Pads an image's borders (torchvision's `F.pad`): `padding` is one value for every side,
/// `[left/right, top/bottom]` or `[left, top, right, bottom]`.
public func pad(_ image: Tensor, padding: [Int], fill: some ScalarConvertible = 0,
                paddingMode: ImagePaddingMode = .constant) -> Tensor {
    let fill = fill.scalarValue.doubleValue
    let p = parsePadding(padding)
    switch paddingMode {
    case .constant:
        return pad(image, p, mode: .constant, value: fill)
    case .symmetric:
        // Gather rows and columns through mirrored indices: symmetric padding is not one of
        // F.pad's modes, so torchvision builds it from indices too.
        func indices(_ n: Int, _ before: Int, _ after: Int) -> Tensor {
            let period = 2 * n
            let idx = (-before..<(n + after)).map { i -> Int64 in
                let m = ((i % period) + period) % period
                return Int64(m < n ? m : period - 1 - m)
            }
            return Tensor(shape: [idx.count], scalars: idx)
        }
        let h = image.shape[image.dim - 2], w = image.shape[image.dim - 1]
        return image.indexSelect(image.dim - 2, indices(h, p[2], p[3])).indexSelect(image.dim - 1, indices(w, p[0], p[1]))
    case .edge, .reflect:
        let mode: PaddingMode = paddingMode == .edge ? .replicate : .reflect
        let squeeze = image.dim < 4
        var x = squeeze ? image.unsqueeze(0) : image
        let cast = !(x.dtype == .float32 || x.dtype == .float64)
        if cast { x = x.to(.float32) }
        var y = pad(x, p, mode: mode)
        if squeeze { y = y.squeeze(0) }
        return cast ? y.to(image.dtype) : y
    }
}

/// Luma `0.2989 R + 0.587 G + 0.114 B` in the image's dtype (truncated for uint8), as 1 or 3
/// channels (torchvision's `F.rgb_to_grayscale`).
public func rgbToGrayscale(_ image: Tensor, numOutputChannels: Int = 1) -> Tensor {
    guard numOutputChannels == 1 || numOutputChannels == 3 else { torchFatal("ValueError: num_output_channels should be either 1 or 3") }
    let c = image.shape[image.dim - 3]
    guard c == 1 || c == 3 else { torchFatal("TypeError: Input image tensor permitted channel values are [1, 3], but found \(c)") }
    var gray: Tensor
    if c == 3 {
        let rgb = image.unbind(dim: image.dim - 3)
        gray = (0.2989 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]).to(image.dtype).unsqueeze(image.dim - 3)
    } else {
        gray = image.clone()
    }
    return numOutputChannels == 3 ? gray.expand(image.shape) : gray
}

/// `ratio · a + (1 − ratio) · b`, clamped to the dtype's range, in `a`'s dtype (torchvision's `_blend`).
func blend(_ a: Tensor, _ b: Tensor, _ ratio: Double) -> Tensor {
    (ratio * a + (1.0 - ratio) * b).clamp(min: 0, max: maxValue(a.dtype)).to(a.dtype)
}

/// Scales brightness by `factor` (torchvision's `F.adjust_brightness`).
public func adjustBrightness(_ image: Tensor, _ factor: some ScalarConvertible) -> Tensor {
    let factor = factor.scalarValue.doubleValue
    guard factor >= 0 else { torchFatal("ValueError: brightness_factor (\(factor)) is not non-negative.") }
    return blend(image, Tensor.zerosLike(image), factor)
}

/// Blends with the mean grey level by `factor` (torchvision's `F.adjust_contrast`).
public func adjustContrast(_ image: Tensor, _ factor: some ScalarConvertible) -> Tensor {
    let factor = factor.scalarValue.doubleValue
    guard factor >= 0 else { torchFatal("ValueError: contrast_factor (\(factor)) is not non-negative.") }
    let dtype: DType = image.dtype.isFloatingPoint ? image.dtype : .float32
    let gray = image.shape[image.dim - 3] == 3 ? rgbToGrayscale(image) : image
    let mean = gray.to(dtype).mean(dims: [-3, -2, -1], keepdim: true)
    return blend(image, mean, factor)
}

/// Blends with the greyscale image by `factor` (torchvision's `F.adjust_saturation`).
public func adjustSaturation(_ image: Tensor, _ factor: some ScalarConvertible) -> Tensor {
    let factor = factor.scalarValue.doubleValue
    guard factor >= 0 else { torchFatal("ValueError: saturation_factor (\(factor)) is not non-negative.") }
    if image.shape[image.dim - 3] == 1 { return image }
    return blend(image, rgbToGrayscale(image), factor)
}

/// Rotates the hue by `factor` of a turn, in [-0.5, 0.5] (torchvision's `F.adjust_hue`, through
/// its RGB↔HSV conversions).
public func adjustHue(_ image: Tensor, _ factor: some ScalarConvertible) -> Tensor {
    let factor = factor.scalarValue.doubleValue
    guard (-0.5...0.5).contains(factor) else { torchFatal("ValueError: hue_factor (\(factor)) is not in [-0.5, 0.5].") }
    if image.shape[image.dim - 3] == 1 { return image }
    let hsv = rgbToHSV(convertImageDtype(image, .float32)).unbind(dim: image.dim - 3)
    let h = fmod(hsv[0] + factor, 1.0)
    let shifted = hsvToRGB(stack([h, hsv[1], hsv[2]], dim: image.dim - 3))
    return convertImageDtype(shifted, image.dtype)
}

/// torchvision's `_rgb2hsv` (Pillow's formulas), float images.
func rgbToHSV(_ img: Tensor) -> Tensor {
    let d = img.dim - 3
    let rgb = img.unbind(dim: d)
    let (r, g, b) = (rgb[0], rgb[1], rgb[2])
    let maxc = img.max(dim: d).values, minc = img.min(dim: d).values
    let eqc = maxc .== minc
    let cr = maxc - minc
    let ones = Tensor.onesLike(maxc)
    let s = cr / `where`(eqc, ones, maxc)
    let divisor = `where`(eqc, ones, cr)
    let rc = (maxc - r) / divisor, gc = (maxc - g) / divisor, bc = (maxc - b) / divisor
    let isR = (maxc .== r), isG = (maxc .== g)
    let hr = isR.to(img.dtype) * (bc - gc)
    let notR = maxc .!= r
    let hg = (isG .& notR).to(img.dtype) * (2.0 + rc - bc)
    let hb = ((maxc .!= g) .& notR).to(img.dtype) * (4.0 + gc - rc)
    let h = fmod((hr + hg + hb) / 6.0 + 1.0, 1.0)
    return stack([h, s, maxc], dim: d)
}

/// torchvision's `_hsv2rgb`: the sector `i = floor(6h) mod 6` picks each channel from v, p, q, t.
func hsvToRGB(_ img: Tensor) -> Tensor {
    let d = img.dim - 3
    let hsv = img.unbind(dim: d)
    let (h, s, v) = (hsv[0], hsv[1], hsv[2])
    let i = floor(h * 6.0)
    let f = h * 6.0 - i
    let sector = remainder(i.to(.int32), 6)
    let p = (v * (1.0 - s)).clamp(min: 0, max: 1)
    let q = (v * (1.0 - s * f)).clamp(min: 0, max: 1)
    let t = (v * (1.0 - s * (1.0 - f))).clamp(min: 0, max: 1)
    let table = [[v, q, p, p, t, v], [t, v, v, q, p, p], [p, p, t, v, v, q]]
    let channels = table.map { choices -> Tensor in
        var out = Tensor.zerosLike(v)
        for (k, choice) in choices.enumerated() { out = out + (sector .== k).to(img.dtype) * choice }
        return out
    }
    return stack(channels, dim: d)
}

/// Blurs with a Gaussian kernel of `kernelSize` `[x, y]` and `sigma` `[x, y]`, reflecting at the
/// borders (torchvision's `F.gaussian_blur`).
public func gaussianBlur(_ image: Tensor, kernelSize: [Int], sigma: [some ScalarConvertible]) -> Tensor {
    let sigma = sigma.map(\.scalarValue.doubleValue)
    let ks = kernelSize.count == 1 ? [kernelSize[0], kernelSize[0]] : kernelSize
    let sg = sigma.count == 1 ? [sigma[0], sigma[0]] : sigma
    guard ks.allSatisfy({ $0 > 0 && $0 % 2 == 1 }) else { torchFatal("ValueError: kernel_size should have odd and positive integers. Got \(kernelSize)") }
    guard sg.allSatisfy({ $0 > 0 }) else { torchFatal("ValueError: sigma should have positive values. Got \(sigma)") }
    let dtype: DType = image.dtype.isFloatingPoint ? image.dtype : .float32
    func kernel1d(_ size: Int, _ sigma: Double) -> Tensor {
        let half = Double(size - 1) * 0.5
        let x = Tensor.linspace(-half, half, steps: size, dtype: dtype)
        let pdf = exp(-0.5 * (x / sigma).pow(2))
        return pdf / pdf.sum()
    }
    let kernel = mm(kernel1d(ks[1], sg[1]).unsqueeze(1), kernel1d(ks[0], sg[0]).unsqueeze(0))
    let channels = image.shape[image.dim - 3]
    return asFloatBatch(image) { x in
        let padded = pad(x, [ks[0] / 2, ks[0] / 2, ks[1] / 2, ks[1] / 2], mode: .reflect)
        return conv2d(padded, kernel.expand(channels, 1, ks[1], ks[0]), groups: channels)
    }
}

/// Rotates the image by `angle` degrees counter-clockwise about its centre, keeping its size,
/// nearest-neighbour sampling with `fill` outside (torchvision's `F.rotate` on tensors:
/// an inverse affine grid sampled as `grid_sample(mode="nearest", align_corners=False)`).
public func rotate(_ image: Tensor, angle: some ScalarConvertible, fill: [some ScalarConvertible] = [0]) -> Tensor {
    let angle = angle.scalarValue.doubleValue
    let fill = fill.map(\.scalarValue.doubleValue)
    let rot = -angle * Double.pi / 180
    // The inverse rotation (torchvision's `_get_inverse_affine_matrix` about the centre).
    let m = [cos(rot), sin(rot), 0, -sin(rot), cos(rot), 0].map { Float($0) }
    let h = image.shape[image.dim - 2], w = image.shape[image.dim - 1]
    let sx = Float(0.5) * Float(w), sy = Float(0.5) * Float(h)
    let t = [m[0] / sx, m[1] / sx, m[2] / sx, m[3] / sy, m[4] / sy, m[5] / sy]
    // For each output pixel, the input pixel it takes (or -1 for outside).
    var source = [Int](repeating: -1, count: h * w)
    for oy in 0..<h {
        let y = -Float(h) * 0.5 + 0.5 + Float(oy)
        for ox in 0..<w {
            let x = -Float(w) * 0.5 + 0.5 + Float(ox)
            let gx = x * t[0] + y * t[1] + t[2], gy = x * t[3] + y * t[4] + t[5]
            let ix = ((gx + 1) * Float(w) - 1) / 2, iy = ((gy + 1) * Float(h) - 1) / 2
            let nx = Int(ix.rounded(.toNearestOrEven)), ny = Int(iy.rounded(.toNearestOrEven))
            if nx >= 0 && nx < w && ny >= 0 && ny < h { source[oy * w + ox] = ny * w + nx }
        }
    }
    let flat = image.flatten(startDim: image.dim - 2)
    let index = Tensor(shape: [h * w], scalars: source.map { Int64(Swift.max($0, 0)) })
    let inside = Tensor(shape: [h * w], scalars: source.map { $0 >= 0 })
    let channels = image.shape[image.dim - 3]
    let fills = fill.count == 1 ? [Double](repeating: fill[0], count: channels) : fill
    var fillShape = [Int](repeating: 1, count: image.dim - 1)
    fillShape[fillShape.count - 2] = channels
    let fillValues = Tensor(shape: fillShape, scalars: fills).to(image.dtype.isFloatingPoint ? image.dtype : .float32)
    let picked = flat.indexSelect(flat.dim - 1, index)
    let filled = `where`(inside, picked.to(fillValues.dtype), fillValues)
    let out = image.dtype.isFloatingPoint ? filled : round(filled).to(image.dtype)
    return out.reshape(image.shape)
}
