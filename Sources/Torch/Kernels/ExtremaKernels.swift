import CTorchSIMD

/// Maxima and minima: `amax`/`amin` (values), `argmax`/`argmin` (indices) and
/// `max(dim:)`/`min(dim:)` (both). As in PyTorch, NaN wins (the result is NaN and its index
/// the first NaN's), and among equal values the first occurrence wins.

/// An element type with a least and a greatest value (the identities of `max` and `min`).
protocol ExtremumElement: ArithmeticElement, SortKeyed {
    static var lowest: Self { get }
    static var highest: Self { get }
    /// The largest (or smallest) of `n ≥ 1` contiguous elements from a vector loop, NaN if
    /// any is NaN; `nil` for types without one.
    static func contiguousExtremum(_ p: UnsafePointer<Self>, _ n: Int, greatest: Bool) -> Self?
    /// Folds `rows` rows of `width` contiguous elements into `acc` with a vector loop
    /// (NaN-propagating); `false` for types without one.
    static func extremumRows(_ acc: UnsafeMutablePointer<Self>, _ p: UnsafePointer<Self>, width: Int, rows: Int, rowStride: Int, greatest: Bool) -> Bool
}

extension ExtremumElement {
    @inline(__always)
    static func contiguousExtremum(_ p: UnsafePointer<Self>, _ n: Int, greatest: Bool) -> Self? { nil }
    @inline(__always)
    static func extremumRows(_ acc: UnsafeMutablePointer<Self>, _ p: UnsafePointer<Self>, width: Int, rows: Int, rowStride: Int, greatest: Bool) -> Bool {
        false
    }
}

extension Float: ExtremumElement {
    static var lowest: Float { -.infinity }
    static var highest: Float { .infinity }
    @inline(__always)
    static func contiguousExtremum(_ p: UnsafePointer<Float>, _ n: Int, greatest: Bool) -> Float? {
        greatest ? st_max_f32(p, n) : st_min_f32(p, n)
    }
    @inline(__always)
    static func extremumRows(_ acc: UnsafeMutablePointer<Float>, _ p: UnsafePointer<Float>, width: Int, rows: Int, rowStride: Int, greatest: Bool) -> Bool {
        if greatest { st_max_rows_f32(acc, p, width, rows, rowStride) } else { st_min_rows_f32(acc, p, width, rows, rowStride) }
        return true
    }
}
extension Double: ExtremumElement {
    static var lowest: Double { -.infinity }
    static var highest: Double { .infinity }
    @inline(__always)
    static func contiguousExtremum(_ p: UnsafePointer<Double>, _ n: Int, greatest: Bool) -> Double? {
        greatest ? st_max_f64(p, n) : st_min_f64(p, n)
    }
    @inline(__always)
    static func extremumRows(_ acc: UnsafeMutablePointer<Double>, _ p: UnsafePointer<Double>, width: Int, rows: Int, rowStride: Int, greatest: Bool) -> Bool {
        if greatest { st_max_rows_f64(acc, p, width, rows, rowStride) } else { st_min_rows_f64(acc, p, width, rows, rowStride) }
        return true
    }
}
extension Int64: ExtremumElement {
    static var lowest: Int64 { .min }
    static var highest: Int64 { .max }
}
extension Int32: ExtremumElement {
    static var lowest: Int32 { .min }
    static var highest: Int32 { .max }
}
extension UInt8: ExtremumElement {
    static var lowest: UInt8 { .min }
    static var highest: UInt8 { .max }
}
extension Int8: ExtremumElement {
    static var lowest: Int8 { .min }
    static var highest: Int8 { .max }
}
extension Int16: ExtremumElement {
    static var lowest: Int16 { .min }
    static var highest: Int16 { .max }
}
extension Float16: ExtremumElement {
    static var lowest: Float16 { -.infinity }
    static var highest: Float16 { .infinity }
}
extension BFloat16: ExtremumElement {
    static var lowest: BFloat16 { -.infinity }
    static var highest: BFloat16 { .infinity }
}
extension Bool: ExtremumElement {
    static var lowest: Bool { false }
    static var highest: Bool { true }
}

/// Which end of the order an extremum looks for.
protocol ExtremumOrder {
    /// `true` when `x` beats `y` (strictly: ties keep the earlier element).
    static func beats<T: ExtremumElement>(_ x: T, _ y: T) -> Bool
    /// The value every element beats or ties.
    static func worst<T: ExtremumElement>(_ type: T.Type) -> T
    /// `true` for the maximum.
    static var isGreatest: Bool { get }
}

/// The maximum.
enum Greatest: ExtremumOrder {
    @inline(__always) static func beats<T: ExtremumElement>(_ x: T, _ y: T) -> Bool { T.less(y, x) }
    @inline(__always) static func worst<T: ExtremumElement>(_ type: T.Type) -> T { T.lowest }
    static var isGreatest: Bool { true }
}

/// The minimum.
enum Least: ExtremumOrder {
    @inline(__always) static func beats<T: ExtremumElement>(_ x: T, _ y: T) -> Bool { T.less(x, y) }
    @inline(__always) static func worst<T: ExtremumElement>(_ type: T.Type) -> T { T.highest }
    static var isGreatest: Bool { false }
}

/// `amax`/`amin`: the extreme value, NaN if any element is NaN.
struct ExtremumValueReducer<T: ExtremumElement, Order: ExtremumOrder>: Reducer {
    var identity: T { Order.worst(T.self) }
    @inline(__always)
    func fold(_ acc: inout T, _ x: T, at index: Int) {
        // A NaN accumulator stays: no comparison with NaN is true.
        if x.isNaNValue || Order.beats(x, acc) { acc = x }
    }
    @inline(__always) func combine(_ acc: T, _ later: T) -> T {
        var a = acc
        fold(&a, later, at: 0)
        return a
    }
    @inline(__always) func finish(_ acc: T) -> T { acc }
    @inline(__always)
    func foldRun(_ acc: inout T, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        if stride == 1, count > 0, let v = T.contiguousExtremum(p, count, greatest: Order.isGreatest) {
            fold(&acc, v, at: 0)
            return
        }
        var a = acc
        for i in 0..<count { fold(&a, p[i * stride], at: 0) }
        acc = a
    }
    @inline(__always)
    func foldRows(_ acc: UnsafeMutablePointer<T>, _ p: UnsafePointer<T>, width: Int, rows: Int, rowStride: Int, firstIndex: Int) {
        if T.extremumRows(acc, p, width: width, rows: rows, rowStride: rowStride, greatest: Order.isGreatest) { return }
        for r in 0..<rows {
            let row = p + r * rowStride
            for j in 0..<width {
                let x = row[j]
                if x.isNaNValue || Order.beats(x, acc[j]) { acc[j] = x }
            }
        }
    }
}

/// The extreme value and the index of its first occurrence (-1 before any element).
struct ValueIndex<T> {
    var value: T
    var index: Int
}

/// `argmax`/`argmin` and `max(dim:)`/`min(dim:)`.
struct ExtremumIndexReducer<T: ExtremumElement, Order: ExtremumOrder>: Reducer {
    typealias Output = Int64
    var identity: ValueIndex<T> { ValueIndex(value: Order.worst(T.self), index: -1) }

    /// Whether `x` (later in the order) replaces the current best `best`.
    @inline(__always)
    func replaces(_ x: T, _ best: ValueIndex<T>) -> Bool {
        best.index < 0 || (!best.value.isNaNValue && (x.isNaNValue || Order.beats(x, best.value)))
    }
    @inline(__always)
    func fold(_ acc: inout ValueIndex<T>, _ x: T, at index: Int) {
        if replaces(x, acc) { acc = ValueIndex(value: x, index: index) }
    }
    @inline(__always)
    func combine(_ acc: ValueIndex<T>, _ later: ValueIndex<T>) -> ValueIndex<T> {
        later.index >= 0 && replaces(later.value, acc) ? later : acc
    }
    @inline(__always) func finish(_ acc: ValueIndex<T>) -> Int64 { Int64(acc.index) }
    @inline(__always)
    func foldRun(_ acc: inout ValueIndex<T>, _ p: UnsafePointer<T>, count: Int, stride: Int, firstIndex: Int) {
        if stride == 1, count > 0, let v = T.contiguousExtremum(p, count, greatest: Order.isGreatest) {
            // The vector loop finds the value; its first occurrence is the index.
            var i = 0
            if v.isNaNValue {
                while !p[i].isNaNValue { i += 1 }
            } else {
                while p[i] != v { i += 1 }
            }
            fold(&acc, v, at: firstIndex + i)
            return
        }
        var a = acc
        for i in 0..<count { fold(&a, p[i * stride], at: firstIndex + i) }
        acc = a
    }
}

/// Runs an index-tracking extremum over one dim of `x` (`dims` holds at most one dim),
/// writing the values into `values` (if given) and the indices into `indices` (if given).
func extremumWithIndex<Order: ExtremumOrder>(
    _ order: Order.Type, _ x: Tensor, dims: Set<Int>, values: Tensor?, indices: Tensor?
) {
    x.dtype.dispatch(ExtremumIndexVisitor<Order>(x: x, dims: dims, values: values, indices: indices))
}

/// The extreme values of `x` over `dims` into `out` (same dtype as `x`).
func extremumValues<Order: ExtremumOrder>(_ order: Order.Type, _ x: Tensor, dims: Set<Int>, into out: Tensor) {
    x.dtype.dispatch(ExtremumValueVisitor<Order>(x: x, dims: dims, out: out))
}

private struct ExtremumValueVisitor<Order: ExtremumOrder>: DTypeVisitor {
    let x: Tensor
    let dims: Set<Int>
    let out: Tensor

    func visit<T: ExtremumElement>(_: T.Type) {
        runReduction(ExtremumValueReducer<T, Order>(), x, dims: dims, into: out)
    }
}

private struct ExtremumIndexVisitor<Order: ExtremumOrder>: DTypeVisitor {
    let x: Tensor
    let dims: Set<Int>
    let values: Tensor?
    let indices: Tensor?

    func visit<T: ExtremumElement>(_: T.Type) {
        withReduction(ExtremumIndexReducer<T, Order>(), x, dims: dims) { acc, count in
            if let values {
                let pv = values.storage.data.assumingMemoryBound(to: T.self) + values.offset
                for o in 0..<count { pv[o] = acc[o].value }
            }
            if let indices {
                let pi = indices.storage.data.assumingMemoryBound(to: Int64.self) + indices.offset
                for o in 0..<count { pi[o] = Int64(acc[o].index) }
            }
        }
    }
}
