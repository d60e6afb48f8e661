import Dispatch

/// The loop drivers of every elementwise kernel. Operands are views of one shape (broadcast
/// inputs have stride 0); the element function is a closure the drivers inline, so each op
/// gets a loop specialised for its types. Contiguous operands take a flat loop the compiler
/// vectorises; large tensors are split across cores along their outermost dimension.

/// Lets a non-escaping element function cross into `concurrentPerform`'s workers; the
/// workers finish before the driver returns, so the function never outlives its frame.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
}

/// Splits `out`'s outermost dimension of size ≥ 2 into one slice per core and calls
/// `body(sliceStart, sliceEnd, dim)` on each in parallel, or once with the whole range.
@inline(__always)
func splitAcrossCores(_ out: Tensor, _ body: (Int, Int, Int) -> Void) {
    let parts = parallelPartCount(elements: out.numel)
    guard parts > 1, let d = out.shape.firstIndex(where: { $0 >= parts }) else {
        body(0, out.shape.first ?? 1, 0)
        return
    }
    let size = out.shape[d]
    withoutActuallyEscaping(body) { escapable in
        let box = UncheckedBox(value: escapable)
        parallelFor(parts) { p in
            box.value(size * p / parts, size * (p + 1) / parts, d)
        }
    }
}

/// `t` restricted to `[start, end)` along `dim` (the whole tensor for a 0-d one).
@inline(__always)
func slice(_ t: Tensor, _ start: Int, _ end: Int, _ dim: Int) -> Tensor {
    // The whole range (the usual case when nothing is split) is the tensor itself: no view.
    guard t.dim > 0, start != 0 || end != t.shape[dim] else { return t }
    var shape = t.shape
    shape[dim] = end - start
    return t.makeView(shape: shape, strides: t.strides, offset: t.offset + start * t.strides[dim])
}

/// `out[i] = f(a[i])`.
@inline(__always)
func mapUnary<A: TensorScalar, R: TensorScalar>(_ a: Tensor, into out: Tensor, _ f: (A) -> R) {
    if a.isContiguous && out.isContiguous && a.shape == out.shape {
        let x = a.pointer(as: A.self), z = out.pointer(as: R.self)
        let n = out.numel
        if parallelPartCount(elements: n) == 1 {
            for i in 0..<n { z[i] = f(x[i]) }
            return
        }
        withoutActuallyEscaping(f) { escapable in
            let box = UncheckedBox(value: (escapable, x, z))
            parallelFor(2) { p in
                let (g, x, z) = box.value
                let lo = n * p / 2, hi = n * (p + 1) / 2
                for i in lo..<hi { z[i] = g(x[i]) }
            }
        }
        return
    }
    splitAcrossCores(out) { lo, hi, d in
        let av = slice(a, lo, hi, d), ov = slice(out, lo, hi, d)
        let pa = a.storage.data.assumingMemoryBound(to: A.self)
        let po = out.storage.data.assumingMemoryBound(to: R.self)
        forEachRun2(shape: ov.shape, OperandStrides(strides: ov.strides, offset: ov.offset),
                    OperandStrides(strides: av.strides, offset: av.offset)) { oo, oa, n, so, sa in
            if so == 1 && sa == 1 {
                let x = pa + oa, y = po + oo
                for i in 0..<n { y[i] = f(x[i]) }
            } else {
                for i in 0..<n { po[oo + i * so] = f(pa[oa + i * sa]) }
            }
        }
    }
}

/// `out[i] = f(a[i], b[i])`.
@inline(__always)
func mapBinary<A: TensorScalar, B: TensorScalar, R: TensorScalar>(
    _ a: Tensor, _ b: Tensor, into out: Tensor, _ f: (A, B) -> R
) {
    if a.isContiguous && b.isContiguous && out.isContiguous && a.shape == out.shape && b.shape == out.shape {
        // The common case: one flat loop the compiler vectorises, split in two when large.
        let x = a.pointer(as: A.self), y = b.pointer(as: B.self), z = out.pointer(as: R.self)
        let n = out.numel
        if parallelPartCount(elements: n) == 1 {
            for i in 0..<n { z[i] = f(x[i], y[i]) }
            return
        }
        withoutActuallyEscaping(f) { escapable in
            let box = UncheckedBox(value: (escapable, x, y, z))
            parallelFor(2) { p in
                let (g, x, y, z) = box.value
                let lo = n * p / 2, hi = n * (p + 1) / 2
                for i in lo..<hi { z[i] = g(x[i], y[i]) }
            }
        }
        return
    }
    splitAcrossCores(out) { lo, hi, d in
        let av = slice(a, lo, hi, d), bv = slice(b, lo, hi, d), ov = slice(out, lo, hi, d)
        let pa = a.storage.data.assumingMemoryBound(to: A.self)
        let pb = b.storage.data.assumingMemoryBound(to: B.self)
        let po = out.storage.data.assumingMemoryBound(to: R.self)
        forEachRun3(shape: ov.shape, OperandStrides(strides: ov.strides, offset: ov.offset),
                    OperandStrides(strides: av.strides, offset: av.offset),
                    OperandStrides(strides: bv.strides, offset: bv.offset)) { oo, oa, ob, n, so, sa, sb in
            let x = pa + oa, y = pb + ob, z = po + oo
            if so == 1 && sa == 1 && sb == 1 {
                for i in 0..<n { z[i] = f(x[i], y[i]) }
            } else if so == 1 && sa == 1 && sb == 0 {
                let c = y[0]
                for i in 0..<n { z[i] = f(x[i], c) }
            } else if so == 1 && sa == 0 && sb == 1 {
                let c = x[0]
                for i in 0..<n { z[i] = f(c, y[i]) }
            } else {
                for i in 0..<n { z[i * so] = f(x[i * sa], y[i * sb]) }
            }
        }
    }
}

/// `out[i] = f(a[i], b[i], c[i])` (where, lerp, addcmul, clamp with tensor bounds).
@inline(__always)
func mapTernary<A: TensorScalar, B: TensorScalar, C: TensorScalar, R: TensorScalar>(
    _ a: Tensor, _ b: Tensor, _ c: Tensor, into out: Tensor, _ f: (A, B, C) -> R
) {
    // Walk (out, a, b) and index c by its own strides: three-operand runs cover the rest.
    let pc = c.storage.data.assumingMemoryBound(to: C.self)
    let pa = a.storage.data.assumingMemoryBound(to: A.self)
    let pb = b.storage.data.assumingMemoryBound(to: B.self)
    let po = out.storage.data.assumingMemoryBound(to: R.self)
    let rank = out.dim
    if out.numel == 0 { return }
    var index = [Int](repeating: 0, count: rank)
    let inner = rank == 0 ? 1 : out.shape[rank - 1]
    let sa = rank == 0 ? 0 : a.strides[rank - 1], sb = rank == 0 ? 0 : b.strides[rank - 1]
    let sc = rank == 0 ? 0 : c.strides[rank - 1], so = rank == 0 ? 0 : out.strides[rank - 1]
    var oa = a.offset, ob = b.offset, oc = c.offset, oo = out.offset
    while true {
        for i in 0..<inner { po[oo + i * so] = f(pa[oa + i * sa], pb[ob + i * sb], pc[oc + i * sc]) }
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            oa += a.strides[d]; ob += b.strides[d]; oc += c.strides[d]; oo += out.strides[d]
            if index[d] < out.shape[d] { break }
            oa -= a.strides[d] * out.shape[d]; ob -= b.strides[d] * out.shape[d]
            oc -= c.strides[d] * out.shape[d]; oo -= out.strides[d] * out.shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { return }
    }
}

/// An element function known by type, so parallel workers call it statically (a closure
/// crossing into `concurrentPerform` would be called indirectly and never vectorise).
protocol ElementFunction2: SendableMetatype {
    associatedtype A: TensorScalar
    associatedtype B: TensorScalar
    associatedtype R: TensorScalar
    static func call(_ a: A, _ b: B) -> R
    /// Runs `z[i] = call(x[i], y[i])` for `i < n` in a loop of the CPU's widest vectors and
    /// returns true, where the function has one (``WideBinaryLoops``); false, touching
    /// nothing, otherwise.
    static func callWide(_ x: UnsafeMutablePointer<A>, _ y: UnsafeMutablePointer<B>, _ z: UnsafeMutablePointer<R>,
                         _ n: Int) -> Bool
}

extension ElementFunction2 {
    @inline(__always)
    static func callWide(_ x: UnsafeMutablePointer<A>, _ y: UnsafeMutablePointer<B>, _ z: UnsafeMutablePointer<R>,
                         _ n: Int) -> Bool { false }
}

/// `out[i] = F.call(a[i], b[i])`: flat loops split across cores for contiguous operands,
/// else the general strided walk.
@inline(__always)
func mapBinary<F: ElementFunction2>(_ a: Tensor, _ b: Tensor, into out: Tensor, _: F.Type) {
    guard a.isContiguous && b.isContiguous && out.isContiguous && a.shape == out.shape && b.shape == out.shape else {
        mapBinary(a, b, into: out) { (x: F.A, y: F.B) -> F.R in F.call(x, y) }
        return
    }
    let box = UncheckedBox(value: (a.pointer(as: F.A.self), b.pointer(as: F.B.self), out.pointer(as: F.R.self)))
    let n = out.numel
    let parts = parallelPartCount(elements: n)
    if parts == 1 {
        let (x, y, z) = box.value
        if n >= minimumWideElements, F.callWide(x, y, z, n) { return }
        for i in 0..<n { z[i] = F.call(x[i], y[i]) }
        return
    }
    parallelFor(parts) { p in
        let (x, y, z) = box.value
        let lo = n * p / parts, hi = n * (p + 1) / parts
        if hi - lo >= minimumWideElements, F.callWide(x + lo, y + lo, z + lo, hi - lo) { return }
        for i in lo..<hi { z[i] = F.call(x[i], y[i]) }
    }
}

/// One op's loops over contiguous float32 and float64 arrays in the CPU's widest vectors
/// (CTorchSIMD's `torch_binary.h`): Swift compiles for baseline x86-64, so its own flat loop
/// runs 128-bit SSE, about 25% slower on arrays that sit in L2 (README.md, Performance).
struct WideBinaryLoops {
    let float: @convention(c) (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Void
    let double: @convention(c) (UnsafePointer<Double>?, UnsafePointer<Double>?, UnsafeMutablePointer<Double>?, Int) -> Void

    /// Runs the loop for `T` on `n` elements and returns true; false for any `T` but
    /// float32 and float64.
    @inline(__always)
    func run<T>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ z: UnsafeMutablePointer<T>, _ n: Int) -> Bool {
        if T.self == Float.self {
            float(UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), UnsafeRawPointer(y).assumingMemoryBound(to: Float.self),
                  UnsafeMutableRawPointer(z).assumingMemoryBound(to: Float.self), n)
            return true
        }
        if T.self == Double.self {
            double(UnsafeRawPointer(x).assumingMemoryBound(to: Double.self), UnsafeRawPointer(y).assumingMemoryBound(to: Double.self),
                   UnsafeMutableRawPointer(z).assumingMemoryBound(to: Double.self), n)
            return true
        }
        return false
    }
}

/// Below this many elements (per part) the wide loops gain nothing (two vectors or fewer),
/// and the call into C with its width check costs more than the inlined Swift loop: 51 more
/// instructions on `add_1_element` (callgrind) before this bound.
private let minimumWideElements = 64

/// `out[i] = F.call(a[i], b)` for one value `b` (a Swift number operand): the flat loop of
/// ``mapBinary(_:_:into:_:)`` without a second tensor to read, else the strided unary walk.
@inline(__always)
func mapWithConstant<F: ElementFunction2>(_ a: Tensor, _ b: F.B, into out: Tensor, _: F.Type) {
    guard a.isContiguous && out.isContiguous && a.shape == out.shape else {
        mapUnary(a, into: out) { (x: F.A) -> F.R in F.call(x, b) }
        return
    }
    let box = UncheckedBox(value: (a.pointer(as: F.A.self), b, out.pointer(as: F.R.self)))
    let n = out.numel
    let parts = parallelPartCount(elements: n)
    if parts == 1 {
        let (x, c, z) = box.value
        for i in 0..<n { z[i] = F.call(x[i], c) }
        return
    }
    parallelFor(parts) { p in
        let (x, c, z) = box.value
        let lo = n * p / parts, hi = n * (p + 1) / parts
        for i in lo..<hi { z[i] = F.call(x[i], c) }
    }
}

/// `out[i] = a[i] + b[i]·alpha` in `T`, the product rounded before the sum as the two-op
/// form (`mul`, then `add`) rounds it: `add(a, b, alpha:)` and `add_` in one pass.
@inline(__always)
func mapAddScaled<T: ArithmeticElement>(_ a: Tensor, _ b: Tensor, alpha: T, into out: Tensor) {
    guard a.isContiguous && b.isContiguous && out.isContiguous && a.shape == out.shape && b.shape == out.shape else {
        mapBinary(a, b, into: out) { (x: T, y: T) -> T in T.plus(x, T.times(y, alpha)) }
        return
    }
    let box = UncheckedBox(value: (a.pointer(as: T.self), b.pointer(as: T.self), out.pointer(as: T.self), alpha))
    let n = out.numel
    let parts = parallelPartCount(elements: n)
    if parts == 1 {
        let (x, y, z, c) = box.value
        for i in 0..<n { z[i] = T.plus(x[i], T.times(y[i], c)) }
        return
    }
    parallelFor(parts) { p in
        let (x, y, z, c) = box.value
        let lo = n * p / parts, hi = n * (p + 1) / parts
        for i in lo..<hi { z[i] = T.plus(x[i], T.times(y[i], c)) }
    }
}
