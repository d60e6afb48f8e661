/// Comparisons (`eq ne lt le gt ge`, the dotted operators), logical ops, `where`,
/// `allclose`, `equal`, and the blends `lerp addcmul addcdiv`.
///
/// `==` on two tensors is not elementwise in Swift (it would have to return a `Bool`);
/// elementwise comparisons use the dotted operators, as Swift's SIMD types do.

private func compare<Op: CompareOp>(_ a: Tensor, _ b: Tensor, _: Op.Type) -> Tensor {
    let dt = resultType(a, b)
    let p = BroadcastPair(a, b, dtype: dt)
    let out = Tensor(uninitializedShape: p.shape, dtype: .bool, zeroed: false)
    dt.dispatch(CompareKernel<Op>(a: p.a, b: p.b, out: out))
    return out
}

/// `a == b` elementwise (`torch.eq`).
public func eq(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, EqualOp.self) }
/// `a != b` elementwise (`torch.ne`).
public func ne(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, NotEqualOp.self) }
/// `a < b` elementwise (`torch.lt`).
public func lt(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, LessOp.self) }
/// `a <= b` elementwise (`torch.le`).
public func le(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, LessEqualOp.self) }
/// `a > b` elementwise (`torch.gt`).
public func gt(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, GreaterOp.self) }
/// `a >= b` elementwise (`torch.ge`).
public func ge(_ a: Tensor, _ b: Tensor) -> Tensor { compare(a, b, GreaterEqualOp.self) }

/// Elementwise `a == b` (`torch.Tensor.__eq__`, `torch.eq`).
public func .== (a: Tensor, b: Tensor) -> Tensor { eq(a, b) }
/// Elementwise `a == s` (`torch.Tensor.__eq__`, `torch.eq`).
public func .== (a: Tensor, s: Scalar) -> Tensor { eq(a, wrapped(s, with: a)) }
/// Elementwise `a != b` (`torch.Tensor.__ne__`, `torch.ne`).
public func .!= (a: Tensor, b: Tensor) -> Tensor { ne(a, b) }
/// Elementwise `a != s` (`torch.Tensor.__ne__`, `torch.ne`).
public func .!= (a: Tensor, s: Scalar) -> Tensor { ne(a, wrapped(s, with: a)) }
/// Elementwise `a < b` (`torch.Tensor.__lt__`, `torch.lt`).
public func .< (a: Tensor, b: Tensor) -> Tensor { lt(a, b) }
/// Elementwise `a < s` (`torch.Tensor.__lt__`, `torch.lt`).
public func .< (a: Tensor, s: Scalar) -> Tensor { lt(a, wrapped(s, with: a)) }
/// Elementwise `a <= b` (`torch.Tensor.__le__`, `torch.le`).
public func .<= (a: Tensor, b: Tensor) -> Tensor { le(a, b) }
/// Elementwise `a <= s` (`torch.Tensor.__le__`, `torch.le`).
public func .<= (a: Tensor, s: Scalar) -> Tensor { le(a, wrapped(s, with: a)) }
/// Elementwise `a > b` (`torch.Tensor.__gt__`, `torch.gt`).
public func .> (a: Tensor, b: Tensor) -> Tensor { gt(a, b) }
/// Elementwise `a > s` (`torch.Tensor.__gt__`, `torch.gt`).
public func .> (a: Tensor, s: Scalar) -> Tensor { gt(a, wrapped(s, with: a)) }
/// Elementwise `a >= b` (`torch.Tensor.__ge__`, `torch.ge`).
public func .>= (a: Tensor, b: Tensor) -> Tensor { ge(a, b) }
/// Elementwise `a >= s` (`torch.Tensor.__ge__`, `torch.ge`).
public func .>= (a: Tensor, s: Scalar) -> Tensor { ge(a, wrapped(s, with: a)) }
/// Elementwise logical and (`torch.logical_and`, which PyTorch's `a & b` matches on bool tensors).
public func .& (a: Tensor, b: Tensor) -> Tensor { logicalAnd(a, b) }
/// Elementwise logical or (`torch.logical_or`, which PyTorch's `a | b` matches on bool tensors).
public func .| (a: Tensor, b: Tensor) -> Tensor { logicalOr(a, b) }
/// Elementwise logical xor (`torch.logical_xor`, which PyTorch's `a ^ b` matches on bool tensors).
public func .^ (a: Tensor, b: Tensor) -> Tensor { logicalXor(a, b) }

extension Tensor {
    /// `self == other` elementwise (`torch.Tensor.eq`).
    public func eq(_ other: Tensor) -> Tensor { Torch.eq(self, other) }
    /// `self == s` elementwise (`torch.Tensor.eq`).
    public func eq(_ s: Scalar) -> Tensor { self .== s }
    /// `self != other` elementwise (`torch.Tensor.ne`).
    public func ne(_ other: Tensor) -> Tensor { Torch.ne(self, other) }
    /// `self < other` elementwise (`torch.Tensor.lt`).
    public func lt(_ other: Tensor) -> Tensor { Torch.lt(self, other) }
    /// `self <= other` elementwise (`torch.Tensor.le`).
    public func le(_ other: Tensor) -> Tensor { Torch.le(self, other) }
    /// `self > other` elementwise (`torch.Tensor.gt`).
    public func gt(_ other: Tensor) -> Tensor { Torch.gt(self, other) }
    /// `self >= other` elementwise (`torch.Tensor.ge`).
    public func ge(_ other: Tensor) -> Tensor { Torch.ge(self, other) }
}

// MARK: - logical

private func logical(_ a: Tensor, _ b: Tensor, _ f: @escaping (Bool, Bool) -> Bool) -> Tensor {
    let p = BroadcastPair(a, b, dtype: .bool)
    let out = Tensor(uninitializedShape: p.shape, dtype: .bool, zeroed: false)
    mapBinary(p.a, p.b, into: out) { (x: Bool, y: Bool) -> Bool in f(x, y) }
    return out
}

/// Elementwise `a && b` of the truth values (`torch.logical_and`).
public func logicalAnd(_ a: Tensor, _ b: Tensor) -> Tensor { logical(a, b) { $0 && $1 } }
/// Elementwise `a || b` (`torch.logical_or`).
public func logicalOr(_ a: Tensor, _ b: Tensor) -> Tensor { logical(a, b) { $0 || $1 } }
/// Elementwise `a != b` of the truth values (`torch.logical_xor`).
public func logicalXor(_ a: Tensor, _ b: Tensor) -> Tensor { logical(a, b) { $0 != $1 } }
/// Elementwise `!a` (`torch.logical_not`).
public func logicalNot(_ a: Tensor) -> Tensor {
    let x = a.converted(to: .bool)
    let out = Tensor(uninitializedShape: a.shape, dtype: .bool, zeroed: false)
    mapUnary(x, into: out) { (v: Bool) -> Bool in !v }
    return out
}

// MARK: - where

/// `a` where `condition` holds, else `b`, broadcasting all three (`torch.where`).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard condition.dtype == .bool || condition.dtype == .uint8 else {
        torchFatal("RuntimeError: where expected condition to be a boolean tensor, but got a tensor with dtype \(condition.dtype.scalarTypeName)")
    }
    let dt = resultType(a, b)
    let shape = broadcastShapes(broadcastShapes(condition.shape, a.shape), b.shape)
    let c = condition.converted(to: .bool).broadcastView(to: shape)
    let x = a.converted(to: dt).broadcastView(to: shape), y = b.converted(to: dt).broadcastView(to: shape)
    let out = Tensor(uninitializedShape: shape, dtype: dt, zeroed: false)
    dt.dispatch(WhereKernel(c: c, a: x, b: y, out: out))
    if needsGrad(a, b) {
        let sc = SavedTensor(condition)
        let ia = InputSummary(a), ib = InputSummary(b)
        record("WhereBackward0", inputs: (a, b), outputs: [out]) { g in
            let cond = sc.unpack(), grad = g[0]!
            let zero = Tensor.zerosLike(grad)
            return [ia.requiresGrad ? gradient(Torch.where(cond, grad, zero), for: ia) : nil,
                    ib.requiresGrad ? gradient(Torch.where(cond, zero, grad), for: ib) : nil]
        }
    }
    return out
}

/// `where` with a Swift number for the first branch (`torch.where`).
public func `where`(_ condition: Tensor, _ a: Scalar, _ b: Tensor) -> Tensor {
    Torch.where(condition, wrapped(a, with: b), b)
}

/// `where` with a Swift number for the second branch (`torch.where`).
public func `where`(_ condition: Tensor, _ a: Tensor, _ b: Scalar) -> Tensor {
    Torch.where(condition, a, wrapped(b, with: a))
}

private struct WhereKernel: DTypeVisitor {
    let c: Tensor, a: Tensor, b: Tensor, out: Tensor
    func visit<T: TensorScalar>(_: T.Type) {
        mapTernary(c, a, b, into: out) { (k: Bool, x: T, y: T) -> T in k ? x : y }
    }
}

// MARK: - whole-tensor comparisons

/// `true` when every element satisfies `|a - b| <= atol + rtol * |b|` (`torch.allclose`).
public func allclose(_ a: Tensor, _ b: Tensor, rtol: some ScalarConvertible = 1e-5, atol: some ScalarConvertible = 1e-8,
                     equalNaN: Bool = false) -> Bool {
    let rtol = rtol.scalarValue.doubleValue
    let atol = atol.scalarValue.doubleValue
    let shape = broadcastShapes(a.shape, b.shape)
    let x = a.converted(to: .float64).broadcastView(to: shape).toArray(Double.self)
    let y = b.converted(to: .float64).broadcastView(to: shape).toArray(Double.self)
    for (u, v) in zip(x, y) {
        if u.isNaN || v.isNaN {
            if !(equalNaN && u.isNaN && v.isNaN) { return false }
            continue
        }
        if u == v { continue }
        if abs(u - v) > atol + rtol * abs(v) { return false }
    }
    return true
}

/// `true` when both have the same shape and elements (`torch.equal`).
public func equal(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.shape == b.shape else { return false }
    return noGrad { eq(a, b).toArray(Bool.self).allSatisfy { $0 } }
}

// MARK: - blends

/// `a + weight * (b - a)` (`torch.lerp`).
public func lerp(_ a: Tensor, _ b: Tensor, weight: Scalar) -> Tensor {
    let out = noGrad { a + weight * (b - a) }
    if needsGrad(a, b) {
        let ia = InputSummary(a), ib = InputSummary(b)
        record("LerpBackward0", inputs: (a, b), outputs: [out]) { g in
            [gradient(g[0]! * (1.0 - weight.doubleValue), for: ia), gradient(g[0]! * weight, for: ib)]
        }
    }
    return out
}

/// `a + weight * (b - a)` with a tensor weight (`torch.lerp`).
public func lerp(_ a: Tensor, _ b: Tensor, weight: Tensor) -> Tensor {
    let out = noGrad { a + weight * (b - a) }
    if needsGrad(a, b, weight) {
        let sa = SavedTensor(a), sb = SavedTensor(b), sw = SavedTensor(weight)
        let ia = InputSummary(a), ib = InputSummary(b), iw = InputSummary(weight)
        record("LerpBackward1", inputs: [a, b, weight], outputs: [out]) { g in
            let w = sw.unpack()
            return [gradient(g[0]! * (1.0 - w), for: ia), gradient(g[0]! * w, for: ib),
                    gradient(g[0]! * (sb.unpack() - sa.unpack()), for: iw)]
        }
    }
    return out
}

/// `input + value * t1 * t2` (`torch.addcmul`).
public func addcmul(_ input: Tensor, _ t1: Tensor, _ t2: Tensor, value: Scalar = 1) -> Tensor {
    let out = noGrad { input + value * (t1 * t2) }
    if needsGrad(input, t1, t2) {
        // t1 is read only for t2's gradient and t2 only for t1's, as PyTorch saves them.
        let s1 = t2.requiresGrad ? SavedTensor(t1) : nil, s2 = t1.requiresGrad ? SavedTensor(t2) : nil
        let ii = InputSummary(input), i1 = InputSummary(t1), i2 = InputSummary(t2)
        record("AddcmulBackward0", inputs: [input, t1, t2], outputs: [out]) { g in
            [gradient(g[0]!, for: ii), s2.map { gradient(g[0]! * $0.unpack() * value, for: i1) },
             s1.map { gradient(g[0]! * $0.unpack() * value, for: i2) }]
        }
    }
    return out
}

/// `input + value * t1 / t2` (`torch.addcdiv`).
public func addcdiv(_ input: Tensor, _ t1: Tensor, _ t2: Tensor, value: Scalar = 1) -> Tensor {
    let out = noGrad { input + value * (t1 / t2) }
    if needsGrad(input, t1, t2) {
        let s1 = t2.requiresGrad ? SavedTensor(t1) : nil, s2 = SavedTensor(t2)
        let ii = InputSummary(input), i1 = InputSummary(t1), i2 = InputSummary(t2)
        record("AddcdivBackward0", inputs: [input, t1, t2], outputs: [out]) { g in
            let d = s2.unpack()
            return [gradient(g[0]!, for: ii), gradient(g[0]! * value / d, for: i1),
                    s1.map { gradient(-g[0]! * value * $0.unpack() / (d * d), for: i2) }]
        }
    }
    return out
}

/// Elementwise `a < s` for a typed Swift number (`torch.Tensor.__lt__`, `torch.lt`).
public func .< <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .< s.scalarValue }
/// Elementwise `a <= s` for a typed Swift number (`torch.Tensor.__le__`, `torch.le`).
public func .<= <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .<= s.scalarValue }
/// Elementwise `a > s` for a typed Swift number (`torch.Tensor.__gt__`, `torch.gt`).
public func .> <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .> s.scalarValue }
/// Elementwise `a >= s` for a typed Swift number (`torch.Tensor.__ge__`, `torch.ge`).
public func .>= <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .>= s.scalarValue }
/// Elementwise `a == s` for a typed Swift number (`torch.Tensor.__eq__`, `torch.eq`).
public func .== <S: ScalarConvertible>(a: Tensor, s: S) -> Tensor { a .== s.scalarValue }
