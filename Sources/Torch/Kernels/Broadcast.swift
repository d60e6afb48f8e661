/// NumPy/PyTorch broadcasting of shapes.

/// The broadcast of two shapes (align from the right; size-1 dims stretch), failing with
/// PyTorch's message, which numbers dimensions in the result.
func broadcastShapes(_ a: [Int], _ b: [Int], op: String = "") -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard da == db || da == 1 || db == 1 else {
            torchFatal("RuntimeError: The size of tensor a (\(da)) must match the size of tensor b (\(db)) at non-singleton dimension \(i)")
        }
        out[i] = da == 1 ? db : da
    }
    return out
}
