/// Classifying float values: `isnan`, `isinf`, `isposinf`, `isneginf`, `isfinite`,
/// `signbit`, and `nanToNum`, which replaces what they find. Integer and boolean tensors
/// are never NaN or infinite, as in PyTorch.

extension Tensor {
    /// `true` where the element is NaN (`torch.isnan`).
    public func isnan() -> Tensor { self .!= self }

    /// `true` where the element is +∞ or -∞ (`torch.isinf`).
    public func isinf() -> Tensor {
        guard dtype.isFloatingPoint else { return Tensor.zeros(shape, dtype: .bool) }
        return Torch.abs(self) .== Scalar.double(.infinity)
    }

    /// `true` where the element is +∞ (`torch.isposinf`).
    public func isposinf() -> Tensor {
        guard dtype.isFloatingPoint else { return Tensor.zeros(shape, dtype: .bool) }
        return self .== Scalar.double(.infinity)
    }

    /// `true` where the element is -∞ (`torch.isneginf`).
    public func isneginf() -> Tensor {
        guard dtype.isFloatingPoint else { return Tensor.zeros(shape, dtype: .bool) }
        return self .== Scalar.double(-.infinity)
    }

    /// `true` where the element is neither NaN nor infinite (`torch.isfinite`).
    public func isfinite() -> Tensor {
        guard dtype.isFloatingPoint else { return Tensor.ones(shape, dtype: .bool) }
        return Torch.abs(self) .< Scalar.double(.infinity)
    }

    /// `true` where the sign bit is set, `-0.0` included (`torch.signbit`).
    public func signbit() -> Tensor {
        guard dtype.isFloatingPoint else { return dtype == .bool || dtype == .uint8 ? Tensor.zeros(shape, dtype: .bool) : self .< 0 }
        // 1/x separates -0.0 (−∞) from 0.0 (+∞); NaN keeps its own sign bit.
        return noGrad { `where`(self .== 0.0, (1 / self) .< 0.0, Torch.copysign(Tensor.ones(shape, dtype: dtype), self) .< 0.0) }
    }

    /// NaN, +∞ and -∞ replaced by `nan`, `posinf` and `neginf` (defaults: 0 and the dtype's
    /// largest and lowest finite values) (`torch.nan_to_num`). The gradient passes where
    /// the element was kept.
    public func nanToNum(nan: some ScalarConvertible = 0, posinf: (any ScalarConvertible)? = nil,
                         neginf: (any ScalarConvertible)? = nil) -> Tensor {
        let nan = nan.scalarValue.doubleValue
        let posinf = posinf?.scalarValue.doubleValue
        let neginf = neginf?.scalarValue.doubleValue
        guard dtype.isFloatingPoint else { return clone() }
        let largest = dtype.greatestFiniteValue
        var y = `where`(isnan(), Scalar.double(nan), self)
        y = `where`(isposinf(), Scalar.double(posinf ?? largest), y)
        return `where`(isneginf(), Scalar.double(neginf ?? -largest), y)
    }
}

/// `x.isnan()` (`torch.isnan`).
public func isnan(_ x: Tensor) -> Tensor { x.isnan() }
/// `x.isinf()` (`torch.isinf`).
public func isinf(_ x: Tensor) -> Tensor { x.isinf() }
/// `x.isposinf()` (`torch.isposinf`).
public func isposinf(_ x: Tensor) -> Tensor { x.isposinf() }
/// `x.isneginf()` (`torch.isneginf`).
public func isneginf(_ x: Tensor) -> Tensor { x.isneginf() }
/// `x.isfinite()` (`torch.isfinite`).
public func isfinite(_ x: Tensor) -> Tensor { x.isfinite() }
/// `x.signbit()` (`torch.signbit`).
public func signbit(_ x: Tensor) -> Tensor { x.signbit() }
/// `x.nanToNum(...)` (`torch.nan_to_num`).
public func nanToNum(_ x: Tensor, nan: some ScalarConvertible = 0, posinf: (any ScalarConvertible)? = nil,
                     neginf: (any ScalarConvertible)? = nil) -> Tensor {
    let nan = nan.scalarValue.doubleValue
    let posinf = posinf?.scalarValue.doubleValue
    let neginf = neginf?.scalarValue.doubleValue
    return x.nanToNum(nan: nan, posinf: posinf, neginf: neginf)
}
