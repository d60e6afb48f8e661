/// PyTorch's type promotion.
///
/// Operands fall in three priority classes: tensors with dimensions, 0-d tensors, and
/// Swift scalars. A lower class changes the result only if it is of a higher category
/// (bool < integer < floating); then a 0-d tensor contributes its dtype and a scalar its
/// category's default dtype. So `int32Tensor + Tensor(5)` stays `int32` while
/// `int32Tensor + 2.5` is `float32`.

/// One operand of a promoting op. SwiftTorch only: PyTorch has no counterpart (the tensor-or-number
/// argument of `torch.result_type`).
public enum PromotionOperand {
    /// A tensor (its rank decides its class).
    case tensor(Tensor)
    /// A Swift number.
    case scalar(Scalar)
}

/// The dtype both `a` and `b` convert to without losing their category (`torch.promote_types`).
public func promoteTypes(_ a: DType, _ b: DType) -> DType {
    if a == b { return a }
    if a.category != b.category { return a.category > b.category ? a : b }
    if a.isFloatingPoint {
        // The wider float wins; float16 and bfloat16 (same width, neither holds the other)
        // meet in float32, as PyTorch's table says.
        if a.itemSize == b.itemSize { return .float32 }
        return a.itemSize > b.itemSize ? a : b
    }
    if a == .bool || b == .bool { return a == .bool ? b : a }
    // uint8 with int8 needs a sign and a ninth bit: int16. Otherwise the wider wins, and
    // at equal width the signed one (uint8 is the only unsigned dtype).
    if (a == .uint8 && b == .int8) || (a == .int8 && b == .uint8) { return .int16 }
    if a.itemSize != b.itemSize { return a.itemSize > b.itemSize ? a : b }
    return a.isSigned ? a : b
}

/// The dtype PyTorch computes `op(operands...)` in (`torch.result_type`).
public func resultType(_ operands: [PromotionOperand]) -> DType {
    var dimResult: DType?
    var zeroResult: DType?
    var wrappedResult: DType?
    func merge(_ current: DType?, _ next: DType) -> DType { current.map { promoteTypes($0, next) } ?? next }
    for operand in operands {
        switch operand {
        case .tensor(let t) where t.dim > 0: dimResult = merge(dimResult, t.dtype)
        case .tensor(let t): zeroResult = merge(zeroResult, t.dtype)
        case .scalar(let s): wrappedResult = merge(wrappedResult, s.defaultDType)
        }
    }
    return combineCategories(dimResult, combineCategories(zeroResult, wrappedResult)) ?? defaultDtype()
}

/// `resultType` for the common two-tensor case (`torch.result_type`).
public func resultType(_ a: Tensor, _ b: Tensor) -> DType {
    // Equal dtypes promote to themselves whatever the ranks: skip the general walk.
    a.dtype == b.dtype ? a.dtype : resultType([.tensor(a), .tensor(b)])
}

/// `resultType` for a tensor and a Swift number (`torch.result_type`).
public func resultType(_ a: Tensor, _ b: Scalar) -> DType {
    // A number of the tensor's category or a lower one leaves the tensor's dtype (a float
    // with a float tensor, an integer with any non-bool tensor, a bool with any tensor): the
    // common `x * 2.0` needs neither the general walk nor the default dtype.
    switch b {
    case .bool: return a.dtype
    case .int where a.dtype != .bool: return a.dtype
    case .double where a.dtype.isFloatingPoint: return a.dtype
    default: return resultType([.tensor(a), .scalar(b)])
    }
}

/// A lower class overrides a higher one only when it is of a higher category.
private func combineCategories(_ higher: DType?, _ lower: DType?) -> DType? {
    guard let higher else { return lower }
    guard let lower else { return higher }
    if higher.isFloatingPoint { return higher }
    if higher == .bool || lower.isFloatingPoint { return promoteTypes(higher, lower) }
    return higher
}
