#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Printing, character for character PyTorch's `str(tensor)` (its `torch/_tensor_str.py`).
///
/// One formatter looks at every value to be shown (only the kept edges when the tensor is
/// summarised) and picks a mode — integer-valued (`1.`), fixed (`1.2346`) or scientific
/// (`1.2346e+02`) — and a common width; then rows are laid out with PyTorch's wrapping,
/// indentation and `...` summaries, and the suffixes (`dtype=`, `grad_fn=`,
/// `requires_grad=True`) are appended, wrapping at the line width as PyTorch does.
extension Tensor: CustomStringConvertible {
    /// The tensor as PyTorch prints it, e.g. `tensor([1., 2., 3.])` (`torch.Tensor.__repr__`).
    public var description: String {
        TensorPrinter(tensor: self, options: printOptions()).render()
    }
}

/// One element as printing sees it.
enum PrintedValue {
    case floating(Double)
    case integer(Int64)
    case boolean(Bool)
}

/// Lays out a whole tensor.
struct TensorPrinter {
    let tensor: Tensor
    let options: PrintOptions

    func render() -> String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        var body: String
        let defaultDtype = defaultDtype()
        let hasDefaultDtype = [defaultDtype, .int64, .bool].contains(tensor.dtype)
        if tensor.numel == 0 {
            if tensor.dim != 1 { suffixes.append("size=" + pythonTuple(tensor.shape)) }
            if tensor.dtype != defaultDtype { suffixes.append("dtype=\(tensor.dtype)") }
            body = "[]"
        } else {
            if options.edgeitems == 0 { suffixes.append("size=" + pythonTuple(tensor.shape)) }
            if !hasDefaultDtype { suffixes.append("dtype=\(tensor.dtype)") }
            body = tensorBody(indent: indent)
        }
        if let name = tensor.gradFn?.name {
            suffixes.append("grad_fn=<\(name)>")
        } else if tensor.requiresGrad {
            suffixes.append("requires_grad=True")
        }
        return addSuffixes(prefix + body, suffixes, indent: indent)
    }

    /// `(2, 3)`, `(0,)`: Python's tuple spelling of a shape.
    private func pythonTuple(_ shape: [Int]) -> String { parenthesized(shape, pythonTuple: true) }

    private func addSuffixes(_ text: String, _ suffixes: [String], indent: Int) -> String {
        var out = text
        // PyTorch's arithmetic, off by two when there is no newline, kept on purpose.
        let lastNewline = text.lastIndex(of: "\n").map { text.distance(from: text.startIndex, to: $0) } ?? -1
        var lastLineLength = text.count - lastNewline + 1
        for suffix in suffixes {
            if lastLineLength + suffix.count + 2 > options.linewidth {
                out += ",\n" + String(repeating: " ", count: indent) + suffix
                lastLineLength = indent + suffix.count
            } else {
                out += ", " + suffix
                lastLineLength += suffix.count + 2
            }
        }
        return out + ")"
    }

    private func tensorBody(indent: Int) -> String {
        let summarize = tensor.numel > options.threshold
        var shown: [PrintedValue] = []
        collectSummarized(index: [], into: &shown, summarize: summarize)
        let formatter = ValueFormatter(values: shown, dtype: tensor.dtype, options: options)
        return render(index: [], indent: indent, summarize: summarize, formatter: formatter)
    }

    private func value(at index: [Int]) -> PrintedValue {
        if tensor.dtype.isFloatingPoint { return .floating(tensor.doubleValue(at: index)) }
        return tensor.dtype == .bool ? .boolean(tensor.int64Value(at: index) != 0) : .integer(tensor.int64Value(at: index))
    }

    /// The indices kept along a dimension of `size`: all, or the edges when summarising.
    private func keptIndices(_ size: Int, summarize: Bool) -> [Int] {
        let e = options.edgeitems
        if summarize && size > 2 * e { return Array(0..<e) + Array((size - e)..<size) }
        return Array(0..<size)
    }

    /// The values the formatter measures: `get_summarized_data`.
    private func collectSummarized(index: [Int], into out: inout [PrintedValue], summarize: Bool) {
        let d = index.count
        if d == tensor.dim {
            out.append(value(at: index))
            return
        }
        if summarize && d < tensor.dim - 1 && options.edgeitems == 0 { return }
        // PyTorch's `self[-0:]` keeps a whole 1-D tensor when edgeitems is 0.
        let kept = options.edgeitems == 0 ? Array(0..<tensor.shape[d]) : keptIndices(tensor.shape[d], summarize: summarize)
        for i in kept {
            collectSummarized(index: index + [i], into: &out, summarize: summarize)
        }
    }

    private func render(index: [Int], indent: Int, summarize: Bool, formatter: ValueFormatter) -> String {
        let remaining = tensor.dim - index.count
        if remaining == 0 { return formatter.format(value(at: index)) }
        let size = tensor.shape[index.count]
        if remaining == 1 {
            let elementLength = formatter.width + 2
            let perLine = max(1, (options.linewidth - indent) / elementLength)
            var data: [String]
            if summarize && options.edgeitems == 0 {
                data = ["..."]
            } else if summarize && size > 2 * options.edgeitems {
                let e = options.edgeitems
                data = (0..<e).map { formatter.format(value(at: index + [$0])) } + [" ..."]
                    + ((size - e)..<size).map { formatter.format(value(at: index + [$0])) }
            } else {
                data = (0..<size).map { formatter.format(value(at: index + [$0])) }
            }
            var lines: [String] = []
            var start = 0
            while start < data.count {
                lines.append(data[start..<min(start + perLine, data.count)].joined(separator: ", "))
                start += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        var slices: [String] = []
        if summarize && size > 2 * options.edgeitems {
            let e = options.edgeitems
            slices = (0..<e).map { render(index: index + [$0], indent: indent + 1, summarize: summarize, formatter: formatter) }
            slices.append("...")
            slices += ((size - e)..<size).map { render(index: index + [$0], indent: indent + 1, summarize: summarize, formatter: formatter) }
        } else {
            slices = (0..<size).map { render(index: index + [$0], indent: indent + 1, summarize: summarize, formatter: formatter) }
        }
        let separator = "," + String(repeating: "\n", count: remaining - 1) + String(repeating: " ", count: indent + 1)
        return "[" + slices.joined(separator: separator) + "]"
    }
}

/// PyTorch's `_Formatter`: one mode and one width for every printed value.
struct ValueFormatter {
    let floating: Bool
    let precision: Int
    private(set) var intMode = true
    private(set) var sciMode = false
    private(set) var width = 1

    init(values: [PrintedValue], dtype: DType, options: PrintOptions) {
        floating = dtype.isFloatingPoint
        precision = options.precision
        if !floating {
            for v in values { width = max(width, Self.plain(v).count) }
        } else {
            let finite = values.compactMap { v -> Double? in
                if case .floating(let d) = v, d.isFinite, d != 0 { return d }
                return nil
            }
            if !finite.isEmpty {
                let magnitudes = finite.map { abs($0) }
                let lo = magnitudes.min()!, hi = magnitudes.max()!
                intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
                // A forced mode applies only when there is a non-zero finite value at all.
                sciMode = options.sciMode ?? (hi / lo > 1000 || hi > 1e8 || lo < 1e-4)
                for d in finite {
                    let text = sciMode ? formatC("%.*e", precision, d)
                        : intMode ? formatC("%.*f", 0, d) + "." : formatC("%.*f", precision, d)
                    width = max(width, text.count)
                }
            }
        }
    }

    /// The value, right-aligned to the common width.
    func format(_ v: PrintedValue) -> String {
        var text: String
        if floating, case .floating(let d) = v {
            if sciMode {
                text = formatC("%.*e", precision, d)
            } else if intMode {
                text = formatC("%.*f", 0, d)
                if d.isFinite { text += "." }
            } else {
                text = formatC("%.*f", precision, d)
            }
        } else {
            text = Self.plain(v)
        }
        return text.count < width ? String(repeating: " ", count: width - text.count) + text : text
    }

    /// Python's `str()` of an integer or boolean element.
    static func plain(_ v: PrintedValue) -> String {
        switch v {
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "True" : "False"
        case .floating(let d): return formatC("%.*f", 4, d)
        }
    }
}

/// Formats one double with a C conversion and precision, as Python's `format` does:
/// correctly rounded, two-digit exponents, and `nan`/`inf` without a sign on NaN.
func formatC(_ conversion: String, _ precision: Int, _ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    var buffer = [CChar](repeating: 0, count: 512)
    let count = withVaList([Int32(precision), value]) { args in
        vsnprintf(&buffer, buffer.count, conversion, args)
    }
    if count >= buffer.count {
        buffer = [CChar](repeating: 0, count: Int(count) + 1)
        _ = withVaList([Int32(precision), value]) { args in
            vsnprintf(&buffer, buffer.count, conversion, args)
        }
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
