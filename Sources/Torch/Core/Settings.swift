
/// Process-wide settings behind one lock: PyTorch keeps these global too.
struct GlobalSettings: Sendable {
    var defaultDtype: DType = .float32
    var printOptions = PrintOptions()
}

let globalSettings = Locked(GlobalSettings())

/// The dtype that Python floats and float literals become (`torch.get_default_dtype()`).
public func defaultDtype() -> DType {
    globalSettings.withLock { $0.defaultDtype }
}

/// Sets the dtype that float literals and floating results of integer ops become
/// (`torch.set_default_dtype`); only `float32` and `float64` are allowed.
public func setDefaultDtype(_ dtype: DType) {
    guard dtype.isFloatingPoint else {
        torchFatal("TypeError: only floating-point types are supported as the default type")
    }
    globalSettings.withLock { $0.defaultDtype = dtype }
}
