import Torch

/// Compares what the Swift API returned with what PyTorch recorded. Every function returns
/// `nil` for a match and otherwise the first difference, worded for `--verbose`. SwiftTorch only:
/// PyTorch has no counterpart (conformance-runner plumbing).
public enum Comparison {
    /// `got` against a recorded tensor: dtype, shape, NaN and infinity positions exactly,
    /// finite values within `atol + rtol * |expected|`. A float16 or bfloat16 result gets at
    /// least FORMAT.md rule 12's tolerance (`rtol` 2e-3 and 1.6e-2: one rounding of a float32
    /// computation) unless `exact` (the `Tensor.to` cases).
    public static func tensor(_ got: Tensor, _ expected: JSON, rtol: Double, atol: Double, shapeOnly: Bool = false,
                              exact: Bool = false) -> String? {
        guard let want = decodeTensor(expected) else { return "the recorded value is not a tensor" }
        if got.dtype != want.dtype { return "dtype \(got.dtype.name), expected \(want.dtype.name)" }
        if got.shape != want.shape { return "shape \(got.shape), expected \(want.shape)" }
        if shapeOnly { return nil }
        var rtol = rtol
        if !exact && want.dtype == .float16 { rtol = max(rtol, 2e-3) }
        if !exact && want.dtype == .bfloat16 { rtol = max(rtol, 1.6e-2) }
        if want.dtype.isFloatingPoint {
            let g = got.toArray(Double.self), w = want.toArray(Double.self)
            for i in 0..<w.count {
                let a = g[i], b = w[i]
                if b.isNaN || a.isNaN {
                    if a.isNaN != b.isNaN { return "element \(i): \(a), expected \(b)" }
                    continue
                }
                if b.isInfinite || a.isInfinite {
                    if a != b { return "element \(i): \(a), expected \(b)" }
                    continue
                }
                if abs(a - b) > atol + rtol * abs(b) { return "element \(i): \(a), expected \(b)" }
            }
        } else {
            let g = got.toArray(Int64.self), w = want.toArray(Int64.self)
            if let i = (0..<w.count).first(where: { g[$0] != w[$0] }) {
                return "element \(i): \(g[i]), expected \(w[i])"
            }
        }
        return nil
    }

    /// Any op result against the recorded `out`.
    public static func value(_ got: OpValue, _ expected: JSON, rtol: Double, atol: Double, shapeOnly: Bool = false,
                             exact: Bool = false) -> String? {
        switch (got, expected) {
        case (.tensor(let t), _) where isTensorJSON(expected):
            return tensor(t, expected, rtol: rtol, atol: atol, shapeOnly: shapeOnly, exact: exact)
        case (.tensors(let ts), .array(let nested)):
            // Lists of lists (an optimizer's parameters after each step) compare flattened.
            let items = nested.flatMap { item -> [JSON] in
                if case .array(let inner) = item { return inner }
                return [item]
            }
            guard ts.count == items.count else { return "\(ts.count) results, expected \(items.count)" }
            for (k, (t, item)) in zip(ts, items).enumerated() {
                if let problem = tensor(t, item, rtol: rtol, atol: atol, shapeOnly: shapeOnly) { return "result \(k): \(problem)" }
            }
            return nil
        case (.string(let s), .string(let w)):
            return s == w ? nil : "printed\n\(s)\nexpected\n\(w)"
        case (.scalar(let s), _):
            guard let w = expected.number else { return "got a number, expected \(expected)" }
            let a = s.doubleValue
            if w.isNaN { return a.isNaN ? nil : "\(a), expected nan" }
            return abs(a - w) <= atol + rtol * abs(w) ? nil : "\(a), expected \(w)"
        case (.tensor(let t), _) where expected.number != nil && t.numel == 1:
            let w = expected.number!, a = t.item()
            return abs(a - w) <= atol + rtol * abs(w) || (a.isNaN && w.isNaN) ? nil : "\(a), expected \(w)"
        default:
            return "result of the wrong kind"
        }
    }
}
