/// A Swift value that can become a tensor: a scalar (`Float`, `Double`, `Int`, `Int32`,
/// `UInt8`, `Bool`, ...) or an array of such values nested to any depth.
///
/// This is what lets `Tensor([[1.0, 2.0], [3.0, 4.0]])` read like `torch.tensor(...)`.
public protocol TensorLiteral {
    /// The category of the leaf values (decides the default dtype).
    static var leafDType: DType { get }
    /// Appends the shape of this value, checking that nested arrays are not ragged.
    func collectShape(into shape: inout [Int], depth: Int)
    /// Appends the leaves in row-major order.
    func collectLeaves(into out: inout [Scalar])
}

extension TensorLiteral where Self: TensorScalar {
    /// Leaves name their own dtype.
    public static var leafDType: DType { Self.dtype }
    /// A leaf adds no dimension.
    public func collectShape(into shape: inout [Int], depth: Int) {
        if depth < shape.count {
            torchFatal("ValueError: expected sequence of length \(shape[depth]) at dim \(depth) (got a scalar)")
        }
    }
    /// A leaf appends itself.
    public func collectLeaves(into out: inout [Scalar]) { out.append(Scalar(self)) }
}

extension Float: TensorLiteral {}
extension Double: TensorLiteral {}
extension Int: TensorLiteral {}
extension Int64: TensorLiteral {}
extension Int32: TensorLiteral {}
extension UInt8: TensorLiteral {}
extension Bool: TensorLiteral {}

extension Array: TensorLiteral where Element: TensorLiteral {
    /// The leaf category of the innermost element type.
    public static var leafDType: DType { Element.leafDType }

    /// Records `count` at `depth` (or checks it against the first sibling's length).
    public func collectShape(into shape: inout [Int], depth: Int) {
        if depth == shape.count {
            shape.append(count)
        } else if depth > shape.count || shape[depth] != count {
            let expected = depth < shape.count ? shape[depth] : 0
            torchFatal("ValueError: expected sequence of length \(expected) at dim \(depth) (got \(count))")
        }
        for e in self { e.collectShape(into: &shape, depth: depth + 1) }
    }

    /// Appends every leaf in row-major order.
    public func collectLeaves(into out: inout [Scalar]) {
        for e in self { e.collectLeaves(into: &out) }
    }
}
