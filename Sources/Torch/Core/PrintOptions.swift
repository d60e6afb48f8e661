/// How tensors print, as `torch.set_printoptions`.
public struct PrintOptions: Sendable, Equatable {
    /// Digits after the decimal point for floating tensors (4).
    public var precision: Int = 4
    /// Total number of elements above which the middle is summarised with `...` (1000).
    public var threshold: Int = 1000
    /// Number of leading and trailing items kept per dimension when summarising (3).
    public var edgeitems: Int = 3
    /// Characters per line before wrapping (80).
    public var linewidth: Int = 80
    /// `true` forces scientific notation, `false` forbids it, `nil` lets the values decide.
    public var sciMode: Bool? = nil
    /// PyTorch's defaults.
    public init() {}
}

/// Changes how tensors print (`torch.set_printoptions`); arguments left `nil` keep their
/// current value; `sciMode: .some(nil)` returns to automatic notation.
public func setPrintOptions(
    precision: Int? = nil, threshold: Int? = nil, edgeitems: Int? = nil,
    linewidth: Int? = nil, sciMode: Bool?? = nil, profile: String? = nil
) {
    globalSettings.withLock { s in
        if let profile {
            var o = PrintOptions()
            switch profile {
            case "short": o.precision = 2; o.edgeitems = 2
            case "full": o.threshold = Int.max
            default: break
            }
            s.printOptions = o
        }
        if let precision { s.printOptions.precision = precision }
        if let threshold { s.printOptions.threshold = threshold }
        if let edgeitems { s.printOptions.edgeitems = edgeitems }
        if let linewidth { s.printOptions.linewidth = linewidth }
        if let sciMode { s.printOptions.sciMode = sciMode }
    }
}

/// The print options in force (`torch._tensor_str.PRINT_OPTS`; PyTorch sets them with
/// `torch.set_printoptions`).
public func printOptions() -> PrintOptions {
    globalSettings.withLock { $0.printOptions }
}

/// Replaces all print options at once (used to restore a saved set) (`torch.set_printoptions`).
public func setPrintOptions(_ options: PrintOptions) {
    globalSettings.withLock { $0.printOptions = options }
}
