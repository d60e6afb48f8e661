import Synchronization

/// Process-wide settings behind one lock: PyTorch keeps these global too.
struct GlobalSettings: Sendable {
    var printOptions = PrintOptions()
}

let globalSettings = Locked(GlobalSettings())

/// The default dtype's raw value. An atomic, not the settings lock: every op with a Swift
/// number reads it (`x * 2.0`), and a lock pair there was a measurable share of a small op.
private let defaultDtypeRaw = Atomic<Int>(DType.float32.rawValue)

/// The dtype that Python floats and float literals become (`torch.get_default_dtype()`).
public func defaultDtype() -> DType {
    DType(rawValue: defaultDtypeRaw.load(ordering: .acquiring))!
}

/// Sets the dtype that float literals and floating results of integer ops become
/// (`torch.set_default_dtype`); only `float32` and `float64` are allowed.
public func setDefaultDtype(_ dtype: DType) {
    guard dtype.isFloatingPoint else {
        torchFatal("TypeError: only floating-point types are supported as the default type")
    }
    defaultDtypeRaw.store(dtype.rawValue, ordering: .releasing)
}
