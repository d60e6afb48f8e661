/// Every op position that takes a ``Scalar`` also takes a Swift number held in a variable
/// (`x.add_(y, alpha: lr)`, `pow(x, p)`, `Tensor.arange(0, n)`, `clamp(x, min: lo)`).
///
/// Each overload here is a thin generic twin of a `Scalar` one: it converts with
/// ``ScalarConvertible/scalarValue`` and forwards, so the number keeps the category a
/// Python number has (see ``ScalarConvertible``). Literals still type-check: a literal in a
/// generic position takes Swift's default literal type (`Int` or `Double`), which gives the
/// same `Scalar` the literal would. Forwarding calls pass every argument as an explicit
/// `Scalar` so that they land on the non-generic original, never back on a twin.

// MARK: - arithmetic

/// `a + alpha * b` with `alpha` a Swift number (`torch.add(a, b, alpha=...)`).
public func add(_ a: Tensor, _ b: Tensor, alpha: some ScalarConvertible) -> Tensor {
    let alpha: Scalar = alpha.scalarValue
    return add(a, b, alpha: alpha)
}
/// `a - alpha * b` with `alpha` a Swift number (`torch.sub(a, b, alpha=...)`).
public func sub(_ a: Tensor, _ b: Tensor, alpha: some ScalarConvertible) -> Tensor {
    let alpha: Scalar = alpha.scalarValue
    return sub(a, b, alpha: alpha)
}
/// `a + s` for a Swift number `s` (`torch.add`).
public func add(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue, one: Scalar = 1
    return add(a, s, alpha: one)
}
/// `a + alpha * s` for Swift numbers `s` and `alpha` (`torch.add`).
public func add(_ a: Tensor, _ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue, alpha: Scalar = alpha.scalarValue
    return add(a, s, alpha: alpha)
}
/// `a - s` for a Swift number `s` (`torch.sub`).
public func sub(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue, one: Scalar = 1
    return sub(a, s, alpha: one)
}
/// `a - alpha * s` for Swift numbers `s` and `alpha` (`torch.sub`).
public func sub(_ a: Tensor, _ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue, alpha: Scalar = alpha.scalarValue
    return sub(a, s, alpha: alpha)
}
/// `a * s` for a Swift number `s` (`torch.mul`).
public func mul(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue
    return mul(a, s)
}
/// `a / s` for a Swift number `s` (`torch.div`, optionally `"trunc"` or `"floor"` rounded).
public func div(_ a: Tensor, _ s: some ScalarConvertible, roundingMode: String? = nil) -> Tensor {
    let s: Scalar = s.scalarValue
    return div(a, s, roundingMode: roundingMode)
}
/// `a ** exponent` for a Swift number `exponent` (`torch.pow`).
public func pow(_ a: Tensor, _ exponent: some ScalarConvertible) -> Tensor {
    let e: Scalar = exponent.scalarValue
    return pow(a, e)
}
/// `base ** exponent` for a Swift number `base` (`torch.pow(2, x)`).
public func pow(_ base: some ScalarConvertible, _ exponent: Tensor) -> Tensor {
    let b: Scalar = base.scalarValue
    return pow(b, exponent)
}
/// Python's `a % s` for a Swift number `s` (`torch.remainder`).
public func remainder(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue
    return remainder(a, s)
}
/// Python's `s % a` for a Swift number `s` (`torch.remainder(s, a)`).
public func remainder(_ s: some ScalarConvertible, _ a: Tensor) -> Tensor {
    let s: Scalar = s.scalarValue
    return remainder(s, a)
}
/// C's `fmod(a, s)` for a Swift number `s` (`torch.fmod`).
public func fmod(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue
    return fmod(a, s)
}
/// `floor(a / s)` for a Swift number `s` (`torch.floor_divide`).
public func floorDivide(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor {
    let s: Scalar = s.scalarValue
    return floorDivide(a, s)
}

extension Tensor {
    /// `self + alpha * other` with `alpha` a Swift number (`torch.Tensor.add`).
    public func add(_ other: Tensor, alpha: some ScalarConvertible) -> Tensor { Torch.add(self, other, alpha: alpha) }
    /// `self + s` for a Swift number `s` (`torch.Tensor.add`).
    public func add(_ s: some ScalarConvertible) -> Tensor { Torch.add(self, s) }
    /// `self + alpha * s` for Swift numbers (`torch.Tensor.add`).
    public func add(_ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor { Torch.add(self, s, alpha: alpha) }
    /// `self - alpha * other` with `alpha` a Swift number (`torch.Tensor.sub`).
    public func sub(_ other: Tensor, alpha: some ScalarConvertible) -> Tensor { Torch.sub(self, other, alpha: alpha) }
    /// `self - s` for a Swift number `s` (`torch.Tensor.sub`).
    public func sub(_ s: some ScalarConvertible) -> Tensor { Torch.sub(self, s) }
    /// `self - alpha * s` for Swift numbers (`torch.Tensor.sub`).
    public func sub(_ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor { Torch.sub(self, s, alpha: alpha) }
    /// `self * s` for a Swift number `s` (`torch.Tensor.mul`).
    public func mul(_ s: some ScalarConvertible) -> Tensor { Torch.mul(self, s) }
    /// `self / s` for a Swift number `s` (`torch.Tensor.div`).
    public func div(_ s: some ScalarConvertible, roundingMode: String? = nil) -> Tensor {
        Torch.div(self, s, roundingMode: roundingMode)
    }
    /// `self ** exponent` for a Swift number `exponent` (`torch.Tensor.pow`).
    public func pow(_ exponent: some ScalarConvertible) -> Tensor { Torch.pow(self, exponent) }
    /// Python's `self % s` for a Swift number `s` (`torch.Tensor.remainder`).
    public func remainder(_ s: some ScalarConvertible) -> Tensor { Torch.remainder(self, s) }
    /// C's `fmod(self, s)` for a Swift number `s` (`torch.Tensor.fmod`).
    public func fmod(_ s: some ScalarConvertible) -> Tensor { Torch.fmod(self, s) }
    /// `floor(self / s)` for a Swift number `s` (`torch.Tensor.floor_divide`).
    public func floorDivide(_ s: some ScalarConvertible) -> Tensor { Torch.floorDivide(self, s) }

    /// `self += alpha * other` in place, with `alpha` a Swift number (`torch.Tensor.add_`).
    @discardableResult public func add_(_ other: Tensor, alpha: some ScalarConvertible) -> Tensor {
        let alpha: Scalar = alpha.scalarValue
        return add_(other, alpha: alpha)
    }
    /// `self += s` in place for a Swift number `s` (`torch.Tensor.add_`).
    @discardableResult public func add_(_ s: some ScalarConvertible) -> Tensor {
        let s: Scalar = s.scalarValue, one: Scalar = 1
        return add_(s, alpha: one)
    }
    /// `self += alpha * s` in place for Swift numbers (`torch.Tensor.add_`).
    @discardableResult public func add_(_ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor {
        let s: Scalar = s.scalarValue, alpha: Scalar = alpha.scalarValue
        return add_(s, alpha: alpha)
    }
    /// `self -= alpha * other` in place, with `alpha` a Swift number (`torch.Tensor.sub_`).
    @discardableResult public func sub_(_ other: Tensor, alpha: some ScalarConvertible) -> Tensor {
        let alpha: Scalar = alpha.scalarValue
        return sub_(other, alpha: alpha)
    }
    /// `self -= s` in place for a Swift number `s` (`torch.Tensor.sub_`).
    @discardableResult public func sub_(_ s: some ScalarConvertible) -> Tensor {
        let s: Scalar = s.scalarValue, one: Scalar = 1
        return sub_(s, alpha: one)
    }
    /// `self -= alpha * s` in place for Swift numbers (`torch.Tensor.sub_`).
    @discardableResult public func sub_(_ s: some ScalarConvertible, alpha: some ScalarConvertible) -> Tensor {
        let s: Scalar = s.scalarValue, alpha: Scalar = alpha.scalarValue
        return sub_(s, alpha: alpha)
    }
    /// `self *= s` in place for a Swift number `s` (`torch.Tensor.mul_`).
    @discardableResult public func mul_(_ s: some ScalarConvertible) -> Tensor {
        let s: Scalar = s.scalarValue
        return mul_(s)
    }
    /// `self /= s` in place for a Swift number `s` (`torch.Tensor.div_`).
    @discardableResult public func div_(_ s: some ScalarConvertible, roundingMode: String? = nil) -> Tensor {
        let s: Scalar = s.scalarValue
        return div_(s, roundingMode: roundingMode)
    }
    /// `self **= exponent` in place for a Swift number `exponent` (`torch.Tensor.pow_`).
    @discardableResult public func pow_(_ exponent: some ScalarConvertible) -> Tensor {
        let e: Scalar = exponent.scalarValue
        return pow_(e)
    }
}

// MARK: - comparisons

/// Elementwise `a != s` for a Swift number (`torch.Tensor.__ne__`, `torch.ne`).
public func .!= <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .!= s.scalarValue }
/// Elementwise `s == a` (the number on the left, as Python allows) (`torch.Tensor.__eq__`,
/// `torch.eq`).
public func .== <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .== s.scalarValue }
/// Elementwise `s != a` (`torch.Tensor.__ne__`, `torch.ne`).
public func .!= <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .!= s.scalarValue }
/// Elementwise `s < a`, which is `a > s` (`torch.Tensor.__gt__`, `torch.gt`).
public func .< <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .> s.scalarValue }
/// Elementwise `s <= a`, which is `a >= s` (`torch.Tensor.__ge__`, `torch.ge`).
public func .<= <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .>= s.scalarValue }
/// Elementwise `s > a`, which is `a < s` (`torch.Tensor.__lt__`, `torch.lt`).
public func .> <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .< s.scalarValue }
/// Elementwise `s >= a`, which is `a <= s` (`torch.Tensor.__le__`, `torch.le`).
public func .>= <S: ScalarConvertible>(s: S, a: Tensor) -> Tensor { a .<= s.scalarValue }

/// `a == s` elementwise for a Swift number (`torch.eq(a, 2)`).
public func eq(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .== s.scalarValue }
/// `a != s` elementwise for a Swift number (`torch.ne`).
public func ne(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .!= s.scalarValue }
/// `a < s` elementwise for a Swift number (`torch.lt`).
public func lt(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .< s.scalarValue }
/// `a <= s` elementwise for a Swift number (`torch.le`).
public func le(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .<= s.scalarValue }
/// `a > s` elementwise for a Swift number (`torch.gt`).
public func gt(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .> s.scalarValue }
/// `a >= s` elementwise for a Swift number (`torch.ge`).
public func ge(_ a: Tensor, _ s: some ScalarConvertible) -> Tensor { a .>= s.scalarValue }

extension Tensor {
    /// `self == s` elementwise for a Swift number (`torch.Tensor.eq`).
    public func eq(_ s: some ScalarConvertible) -> Tensor { self .== s.scalarValue }
    /// `self != s` elementwise for a Swift number (`torch.Tensor.ne`).
    public func ne(_ s: some ScalarConvertible) -> Tensor { self .!= s.scalarValue }
    /// `self < s` elementwise for a Swift number (`torch.Tensor.lt`).
    public func lt(_ s: some ScalarConvertible) -> Tensor { self .< s.scalarValue }
    /// `self <= s` elementwise for a Swift number (`torch.Tensor.le`).
    public func le(_ s: some ScalarConvertible) -> Tensor { self .<= s.scalarValue }
    /// `self > s` elementwise for a Swift number (`torch.Tensor.gt`).
    public func gt(_ s: some ScalarConvertible) -> Tensor { self .> s.scalarValue }
    /// `self >= s` elementwise for a Swift number (`torch.Tensor.ge`).
    public func ge(_ s: some ScalarConvertible) -> Tensor { self .>= s.scalarValue }
}

// MARK: - where and blends

/// `where` with a Swift number for the first branch (`torch.where(c, 1.0, x)`).
public func `where`(_ condition: Tensor, _ a: some ScalarConvertible, _ b: Tensor) -> Tensor {
    let a: Scalar = a.scalarValue
    return Torch.where(condition, a, b)
}
/// `where` with a Swift number for the second branch (`torch.where(c, x, 0.0)`).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: some ScalarConvertible) -> Tensor {
    let b: Scalar = b.scalarValue
    return Torch.where(condition, a, b)
}
/// `where` with Swift numbers for both branches (`torch.where(c, 1, 0)`).
///
/// The result dtype is the two numbers' promoted category, as PyTorch gives it: two
/// integers make `int64`, any float the default dtype, two booleans `bool`.
public func `where`(_ condition: Tensor, _ a: some ScalarConvertible, _ b: some ScalarConvertible) -> Tensor {
    let x = a.scalarValue, y = b.scalarValue
    let dt = resultType([.scalar(x), .scalar(y)])
    return Torch.where(condition, scalarTensor(x, dtype: dt), scalarTensor(y, dtype: dt))
}

/// `a + weight * (b - a)` with a Swift number `weight` (`torch.lerp`).
public func lerp(_ a: Tensor, _ b: Tensor, weight: some ScalarConvertible) -> Tensor {
    let w: Scalar = weight.scalarValue
    return lerp(a, b, weight: w)
}
/// `input + value * t1 * t2` with a Swift number `value` (`torch.addcmul`).
public func addcmul(_ input: Tensor, _ t1: Tensor, _ t2: Tensor, value: some ScalarConvertible) -> Tensor {
    let v: Scalar = value.scalarValue
    return addcmul(input, t1, t2, value: v)
}
/// `input + value * t1 / t2` with a Swift number `value` (`torch.addcdiv`).
public func addcdiv(_ input: Tensor, _ t1: Tensor, _ t2: Tensor, value: some ScalarConvertible) -> Tensor {
    let v: Scalar = value.scalarValue
    return addcdiv(input, t1, t2, value: v)
}

// MARK: - clamp

/// `max(x, lower)` elementwise with a Swift number (`torch.clamp(x, min=lo)`).
public func clamp(_ x: Tensor, min lower: some ScalarConvertible) -> Tensor {
    let lo: Scalar? = lower.scalarValue, hi: Scalar? = nil
    return clamp(x, min: lo, max: hi)
}
/// `min(x, upper)` elementwise with a Swift number (`torch.clamp(x, max=hi)`).
public func clamp(_ x: Tensor, max upper: some ScalarConvertible) -> Tensor {
    let lo: Scalar? = nil, hi: Scalar? = upper.scalarValue
    return clamp(x, min: lo, max: hi)
}
/// Limits `x` to `[lower, upper]` with Swift numbers (`torch.clamp(x, lo, hi)`).
public func clamp(_ x: Tensor, min lower: some ScalarConvertible, max upper: some ScalarConvertible) -> Tensor {
    let lo: Scalar? = lower.scalarValue, hi: Scalar? = upper.scalarValue
    return clamp(x, min: lo, max: hi)
}
/// `max(x, lower)` with a Swift number (`torch.clamp_min`).
public func clampMin(_ x: Tensor, _ lower: some ScalarConvertible) -> Tensor {
    let lo: Scalar = lower.scalarValue
    return clampMin(x, lo)
}

extension Tensor {
    /// `clamp(self, min: lower)` with a Swift number (`torch.Tensor.clamp`).
    public func clamp(min lower: some ScalarConvertible) -> Tensor { Torch.clamp(self, min: lower) }
    /// `clamp(self, max: upper)` with a Swift number (`torch.Tensor.clamp`).
    public func clamp(max upper: some ScalarConvertible) -> Tensor { Torch.clamp(self, max: upper) }
    /// `clamp(self, min: lower, max: upper)` with Swift numbers (`torch.Tensor.clamp`).
    public func clamp(min lower: some ScalarConvertible, max upper: some ScalarConvertible) -> Tensor {
        Torch.clamp(self, min: lower, max: upper)
    }
    /// Clamps from below in place with a Swift number (`torch.Tensor.clamp_`).
    @discardableResult public func clamp_(min lower: some ScalarConvertible) -> Tensor {
        let lo: Scalar? = lower.scalarValue, hi: Scalar? = nil
        return clamp_(min: lo, max: hi)
    }
    /// Clamps from above in place with a Swift number (`torch.Tensor.clamp_`).
    @discardableResult public func clamp_(max upper: some ScalarConvertible) -> Tensor {
        let lo: Scalar? = nil, hi: Scalar? = upper.scalarValue
        return clamp_(min: lo, max: hi)
    }
    /// Clamps to `[lower, upper]` in place with Swift numbers (`torch.Tensor.clamp_`).
    @discardableResult public func clamp_(min lower: some ScalarConvertible, max upper: some ScalarConvertible) -> Tensor {
        let lo: Scalar? = lower.scalarValue, hi: Scalar? = upper.scalarValue
        return clamp_(min: lo, max: hi)
    }
}

// MARK: - filling and creation

extension Tensor {
    /// `value` where `mask` is true, else this tensor's element, for a Swift number
    /// (`torch.Tensor.masked_fill`).
    public func maskedFill(_ mask: Tensor, _ value: some ScalarConvertible) -> Tensor {
        let v: Scalar = value.scalarValue
        return maskedFill(mask, v)
    }
    /// `maskedFill` in place for a Swift number (`x.masked_fill_(mask, v)`,
    /// `torch.Tensor.masked_fill_`).
    @discardableResult public func maskedFill_(_ mask: Tensor, _ value: some ScalarConvertible) -> Tensor {
        let v: Scalar = value.scalarValue
        return maskedFill_(mask, v)
    }
    /// A copy with a Swift number written at `index` along `dim` (`x.scatter(dim, index, v)`,
    /// `torch.Tensor.scatter`).
    public func scatter(_ dim: Int, _ index: Tensor, value: some ScalarConvertible) -> Tensor {
        let v: Scalar = value.scalarValue
        return scatter(dim, index, value: v)
    }
    /// `scatter` of a Swift number in place (`x.scatter_(dim, index, v)`, `torch.Tensor.scatter_`).
    @discardableResult public func scatter_(_ dim: Int, _ index: Tensor, value: some ScalarConvertible) -> Tensor {
        let v: Scalar = value.scalarValue
        return scatter_(dim, index, value: v)
    }
    /// `indexAdd` with a Swift number `alpha` (`x.index_add(dim, index, source, alpha=a)`,
    /// `torch.Tensor.index_add`).
    public func indexAdd(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: some ScalarConvertible) -> Tensor {
        let a: Scalar = alpha.scalarValue
        return indexAdd(dim, index, source, alpha: a)
    }
    /// `indexAdd` in place with a Swift number `alpha` (`torch.Tensor.index_add_`).
    @discardableResult
    public func indexAdd_(_ dim: Int, _ index: Tensor, _ source: Tensor, alpha: some ScalarConvertible) -> Tensor {
        let a: Scalar = alpha.scalarValue
        return indexAdd_(dim, index, source, alpha: a)
    }
    /// Writes a Swift number into `x[items]` in place (`torch.Tensor.__setitem__`).
    public func indexPut_(_ items: [TensorIndex], _ value: some ScalarConvertible) {
        let v: Scalar = value.scalarValue
        indexPut_(items, v)
    }
    /// Writes a Swift number into every element, in place (`x.fill_(v)`, `torch.Tensor.fill_`).
    @discardableResult public func fill_(_ value: some ScalarConvertible) -> Tensor {
        let v: Scalar = value.scalarValue
        return fill_(v)
    }
    /// `value` everywhere, shaped like `other` (`torch.full_like`), for a Swift number.
    public static func fullLike(_ other: Tensor, _ value: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        let v: Scalar = value.scalarValue
        return fullLike(other, v, dtype: dtype)
    }
    /// A new tensor of `shape` filled with a Swift number, with this tensor's dtype
    /// (`x.new_full`, `torch.Tensor.new_full`).
    public func newFull(_ shape: [Int], _ value: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        let v: Scalar = value.scalarValue
        return newFull(shape, v, dtype: dtype)
    }
    /// `torch.arange(end)` with a Swift number `end`.
    public static func arange(_ end: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        let e: Scalar = end.scalarValue
        return arange(e, dtype: dtype)
    }
    /// `torch.arange(start, end)` with Swift numbers; any float makes it floating.
    public static func arange(_ start: some ScalarConvertible, _ end: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        let s: Scalar = start.scalarValue, e: Scalar = end.scalarValue, one: Scalar = 1
        return arange(s, e, step: one, dtype: dtype)
    }
    /// `torch.arange(start, end, step)` with Swift numbers.
    public static func arange(_ start: some ScalarConvertible, _ end: some ScalarConvertible,
                              step: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        let s: Scalar = start.scalarValue, e: Scalar = end.scalarValue, st: Scalar = step.scalarValue
        return arange(s, e, step: st, dtype: dtype)
    }
    /// `torch.arange(start, end, step)` with the step by position, as Python writes it
    /// (`Tensor.arange(0, dModel, 2)`).
    public static func arange(_ start: some ScalarConvertible, _ end: some ScalarConvertible,
                              _ step: some ScalarConvertible, dtype: DType? = nil) -> Tensor {
        arange(start, end, step: step, dtype: dtype)
    }
    /// `torch.linspace(start, end, steps)` with Swift numbers for the ends.
    public static func linspace(_ start: some ScalarConvertible, _ end: some ScalarConvertible,
                                steps: Int, dtype: DType? = nil) -> Tensor {
        let s: Scalar = start.scalarValue, e: Scalar = end.scalarValue
        return linspace(s, e, steps: steps, dtype: dtype)
    }
}

/// `resultType` for a tensor and a Swift number in a variable (`torch.result_type`).
public func resultType(_ a: Tensor, _ b: some ScalarConvertible) -> DType {
    let s: Scalar = b.scalarValue
    return resultType(a, s)
}
