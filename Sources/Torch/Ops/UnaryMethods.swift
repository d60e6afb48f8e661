/// Method forms of the elementwise functions that PyTorch also offers as tensor methods
/// (`u.sign()`, `x.log1p()`): each calls the free function of the same name.
extension Tensor {
    /// The arc cosine (`torch.acos`, `Tensor.acos`).
    public func acos() -> Tensor { Torch.acos(self) }
    /// The inverse hyperbolic cosine (`torch.acosh`, `Tensor.acosh`).
    public func acosh() -> Tensor { Torch.acosh(self) }
    /// The arc sine (`torch.asin`, `Tensor.asin`).
    public func asin() -> Tensor { Torch.asin(self) }
    /// The inverse hyperbolic sine (`torch.asinh`, `Tensor.asinh`).
    public func asinh() -> Tensor { Torch.asinh(self) }
    /// The arc tangent (`torch.atan`, `Tensor.atan`).
    public func atan() -> Tensor { Torch.atan(self) }
    /// The inverse hyperbolic tangent (`torch.atanh`, `Tensor.atanh`).
    public func atanh() -> Tensor { Torch.atanh(self) }
    /// The smallest integer not below each element (`torch.ceil`, `Tensor.ceil`).
    public func ceil() -> Tensor { Torch.ceil(self) }
    /// The hyperbolic cosine (`torch.cosh`, `Tensor.cosh`).
    public func cosh() -> Tensor { Torch.cosh(self) }
    /// The error function (`torch.erf`, `Tensor.erf`).
    public func erf() -> Tensor { Torch.erf(self) }
    /// The `eˣ - 1`, exact near 0 (`torch.expm1`, `Tensor.expm1`).
    public func expm1() -> Tensor { Torch.expm1(self) }
    /// The largest integer not above each element (`torch.floor`, `Tensor.floor`).
    public func floor() -> Tensor { Torch.floor(self) }
    /// The base-10 logarithm (`torch.log10`, `Tensor.log10`).
    public func log10() -> Tensor { Torch.log10(self) }
    /// The `log(1 + x)`, exact near 0 (`torch.log1p`, `Tensor.log1p`).
    public func log1p() -> Tensor { Torch.log1p(self) }
    /// The base-2 logarithm (`torch.log2`, `Tensor.log2`).
    public func log2() -> Tensor { Torch.log2(self) }
    /// The `1 / x` (`torch.reciprocal`, `Tensor.reciprocal`).
    public func reciprocal() -> Tensor { Torch.reciprocal(self) }
    /// The `1 / √x` (`torch.rsqrt`, `Tensor.rsqrt`).
    public func rsqrt() -> Tensor { Torch.rsqrt(self) }
    /// The -1, 0 or 1 by the sign of each element (`torch.sign`, `Tensor.sign`).
    public func sign() -> Tensor { Torch.sign(self) }
    /// The hyperbolic sine (`torch.sinh`, `Tensor.sinh`).
    public func sinh() -> Tensor { Torch.sinh(self) }
    /// The tangent (`torch.tan`, `Tensor.tan`).
    public func tan() -> Tensor { Torch.tan(self) }
    /// The each element rounded toward zero (`torch.trunc`, `Tensor.trunc`).
    public func trunc() -> Tensor { Torch.trunc(self) }
}
