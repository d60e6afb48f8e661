/// Inclusive scans (`cumsum`, `cumprod`) along one dimension. As in PyTorch's CPU kernel,
/// floats accumulate in `Double` (each output is the rounded running value, so long
/// float32 scans do not drift) and integers in wrapping `Int64`. Input and output have
/// the same dtype (the op converts first) and the output is contiguous.
///
/// When the scanned dim is not the innermost one, the innermost dim is walked as a strip
/// of running values, so memory is read in order rather than one line at a time.

/// How running values combine and convert.
protocol ScanElement: TensorScalar {
    associatedtype Running
    static func running(_ x: Self) -> Running
    static func stored(_ r: Running) -> Self
    static func add(_ a: Running, _ b: Running) -> Running
    static func multiply(_ a: Running, _ b: Running) -> Running
    static var zeroRunning: Running { get }
    static var oneRunning: Running { get }
}

extension ScanElement where Self: BinaryFloatingPoint {
    @inline(__always) static func running(_ x: Self) -> Double { Double(x) }
    @inline(__always) static func stored(_ r: Double) -> Self { Self(r) }
    @inline(__always) static func add(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) static func multiply(_ a: Double, _ b: Double) -> Double { a * b }
    @inline(__always) static var zeroRunning: Double { 0 }
    @inline(__always) static var oneRunning: Double { 1 }
}

extension ScanElement {
    @inline(__always) static func running(_ x: Self) -> Int64 { x.int64Value }
    @inline(__always) static func stored(_ r: Int64) -> Self { Self(castingInt64: r) }
    @inline(__always) static func add(_ a: Int64, _ b: Int64) -> Int64 { a &+ b }
    @inline(__always) static func multiply(_ a: Int64, _ b: Int64) -> Int64 { a &* b }
    @inline(__always) static var zeroRunning: Int64 { 0 }
    @inline(__always) static var oneRunning: Int64 { 1 }
}

extension Float: ScanElement { typealias Running = Double }
extension Double: ScanElement { typealias Running = Double }
extension Int64: ScanElement { typealias Running = Int64 }
extension Int32: ScanElement { typealias Running = Int64 }
extension UInt8: ScanElement { typealias Running = Int64 }
extension Int8: ScanElement { typealias Running = Int64 }
extension Int16: ScanElement { typealias Running = Int64 }
extension Float16: ScanElement { typealias Running = Double }
extension BFloat16: ScanElement { typealias Running = Double }
extension Bool: ScanElement { typealias Running = Int64 }

/// Scans `x` along `dim` into `out` (contiguous, same shape and dtype).
func scanKernel(_ x: Tensor, dim: Int, product: Bool, into out: Tensor) {
    guard x.numel > 0 else { return }
    x.dtype.dispatch(ScanLines(x: x, dim: dim, product: product, out: out))
}

private struct ScanLines: DTypeVisitor {
    let x: Tensor, dim: Int, product: Bool, out: Tensor

    func visit<T: Element>(_: T.Type) { scanTyped(T.self, x, dim: dim, product: product, into: out) }
}

private func scanTyped<T: ScanElement>(_: T.Type, _ x: Tensor, dim: Int, product: Bool, into out: Tensor) {
    if product {
        scanLines(T.self, x, dim: dim, into: out, T.oneRunning) { T.multiply($0, $1) }
    } else {
        scanLines(T.self, x, dim: dim, into: out, T.zeroRunning) { T.add($0, $1) }
    }
}

/// The scan itself: every line along `dim`, or strips of the innermost dim when `dim` is
/// an outer one and the innermost dim is contiguous in both tensors.
@inline(__always)
private func scanLines<T: ScanElement>(
    _: T.Type, _ x: Tensor, dim: Int, into out: Tensor, _ start: T.Running, _ step: (T.Running, T.Running) -> T.Running
) {
    let px = UnsafePointer(x.storage.data.assumingMemoryBound(to: T.self))
    let po = out.storage.data.assumingMemoryBound(to: T.self)
    let n = x.shape[dim], xs = x.strides[dim], os = out.strides[dim]
    let last = x.dim - 1
    if dim != last, x.strides[last] == 1, x.shape[last] > 1 {
        let width = x.shape[last]
        var sizes = x.shape, xStrides = x.strides, oStrides = out.strides
        for d in [dim, last].sorted(by: >) { sizes.remove(at: d); xStrides.remove(at: d); oStrides.remove(at: d) }
        withUnsafeTemporaryAllocation(of: T.Running.self, capacity: width) { buffer in
            let acc = buffer.baseAddress!
            walkIndices(sizes, xStrides, oStrides) { xo, oo in
                for j in 0..<width { acc[j] = start }
                for i in 0..<n {
                    let src = px + x.offset + xo + i * xs, dst = po + out.offset + oo + i * os
                    for j in 0..<width {
                        acc[j] = step(acc[j], T.running(src[j]))
                        dst[j] = T.stored(acc[j])
                    }
                }
            }
        }
    } else {
        var sizes = x.shape, xStrides = x.strides, oStrides = out.strides
        sizes.remove(at: dim); xStrides.remove(at: dim); oStrides.remove(at: dim)
        walkIndices(sizes, xStrides, oStrides) { xo, oo in
            var acc = start
            let src = px + x.offset + xo, dst = po + out.offset + oo
            for i in 0..<n {
                acc = step(acc, T.running(src[i * xs]))
                dst[i * os] = T.stored(acc)
            }
        }
    }
}
