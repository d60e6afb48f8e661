/// The one place where a runtime ``DType`` becomes a Swift element type. Kernels are
/// generic over the element protocols; an op reaches the specialisation for its tensor's
/// dtype through one of the three switches below, once per call. Adding a dtype means a case
/// in each switch that covers it here, plus the new type's element conformances
/// (docs/ARCHITECTURE.md, "How to add a dtype") — no op and no other kernel changes.

/// What every dtype's storage type can do in a kernel: arithmetic (``ArithmeticElement``),
/// ordering for extrema and sorting (``ExtremumElement``, ``SortKeyed``) and scans
/// (``ScanElement``).
typealias Element = ExtremumElement & ScanElement

/// A kernel generic over any dtype's element type: implement `visit` once and
/// ``DType/dispatch(_:)`` picks the specialisation. A `visit` may ask for less than
/// ``Element`` (`<T: TensorScalar>`, `<T: ArithmeticElement>`).
protocol DTypeVisitor {
    associatedtype Output
    func visit<T: Element>(_ type: T.Type) -> Output
}

/// A kernel generic over the floating element types (`Float`, `Double`, `Float16`,
/// ``BFloat16``; the 16-bit ones compute each element in float32).
protocol FloatVisitor {
    associatedtype Output
    func visit<T: FloatElement & Element>(_ type: T.Type) -> Output
}

/// A kernel built on the vectorised float32/float64 loops (``SIMDFloatElement``); 16-bit
/// tensors reach it through a float32 stand-in (`Kernels/ReducedPrecision.swift`).
protocol SIMDFloatVisitor {
    associatedtype Output
    func visit<T: SIMDFloatElement>(_ type: T.Type) -> Output
}

extension DType {
    /// Runs `visitor` with this dtype's storage type (`Bool`, `UInt8`, `Int8`, `Int16`,
    /// `Int32`, `Int64`, `Float`, `Double`, `Float16`, ``BFloat16``).
    @inline(__always)
    func dispatch<V: DTypeVisitor>(_ visitor: V) -> V.Output {
        switch self {
        case .bool: return visitor.visit(Bool.self)
        case .uint8: return visitor.visit(UInt8.self)
        case .int8: return visitor.visit(Int8.self)
        case .int16: return visitor.visit(Int16.self)
        case .int32: return visitor.visit(Int32.self)
        case .int64: return visitor.visit(Int64.self)
        case .float32: return visitor.visit(Float.self)
        case .float64: return visitor.visit(Double.self)
        case .float16: return visitor.visit(Float16.self)
        case .bfloat16: return visitor.visit(BFloat16.self)
        }
    }

    /// Runs `visitor` with this floating dtype's element type; a non-floating dtype is a
    /// caller's bug (ops check the dtype first, with PyTorch's message).
    @inline(__always)
    func dispatchFloat<V: FloatVisitor>(_ visitor: V) -> V.Output {
        switch self {
        case .float32: return visitor.visit(Float.self)
        case .float64: return visitor.visit(Double.self)
        case .float16: return visitor.visit(Float16.self)
        case .bfloat16: return visitor.visit(BFloat16.self)
        default: torchFatal("RuntimeError: expected a floating point tensor, got \(self)")
        }
    }

    /// Runs `visitor` with `Float` or `Double`, the types with vector loops.
    @inline(__always)
    func dispatchSIMDFloat<V: SIMDFloatVisitor>(_ visitor: V) -> V.Output {
        switch self {
        case .float32: return visitor.visit(Float.self)
        case .float64: return visitor.visit(Double.self)
        // 16-bit floats reach these kernels through `writingThroughFloat32` as float32.
        default: torchFatal("RuntimeError: expected a float32 or float64 tensor, got \(self)")
        }
    }
}

/// `v` stored in `dtype`'s element type and read back (`static_cast<scalar_t>(v)` in C++).
func roundedToElementType(_ v: Int64, _ dtype: DType) -> Double {
    struct RoundTrip: DTypeVisitor {
        let value: Int64
        func visit<T: Element>(_: T.Type) -> Double { T(castingInt64: value).doubleValue }
    }
    return dtype.dispatch(RoundTrip(value: v))
}
