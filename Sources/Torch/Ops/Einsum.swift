/// `einsum`: Einstein summation over any number of operands.
///
/// The equation is parsed into labels per operand (an ellipsis stands for the broadcast
/// leading dimensions), repeated labels within an operand become diagonals (a strided
/// view), labels no one needs any more are summed out, and operands are contracted two at a
/// time — the pair whose result is smallest first, as opt_einsum's greedy order — each as
/// one batched GEMM over permuted, reshaped operands. Never a loop over all indices.

/// Einstein summation (`torch.einsum`), e.g. `einsum("bij,bjk->bik", a, b)`.
public func einsum(_ equation: String, _ operands: Tensor...) -> Tensor {
    einsum(equation, operands)
}

/// Einstein summation over an array of operands.
public func einsum(_ equation: String, _ operands: [Tensor]) -> Tensor {
    let parsed = EinsumEquation(equation, operandCount: operands.count)
    guard let first = operands.first else { torchFatal("RuntimeError: einsum(): must provide at least one operand") }
    for t in operands where t.dtype != first.dtype {
        torchFatal("RuntimeError: expected scalar type \(dtypeTypeName(first.dtype)) but found \(dtypeTypeName(t.dtype))")
    }

    // Label each operand's dimensions; ellipsis dimensions get labels -1, -2, ... from the right.
    var labelled: [EinsumOperand] = []
    var ellipsisRank = 0
    for (i, t) in operands.enumerated() {
        let subs = parsed.inputs[i]
        let named = subs.filter { $0 >= 0 }.count
        let hasEllipsis = subs.contains(EinsumEquation.ellipsis)
        guard hasEllipsis ? t.dim >= named : t.dim == named else {
            if hasEllipsis {
                torchFatal("RuntimeError: einsum(): the number of subscripts in the equation (\(named)) is more than the number of dimensions (\(t.dim)) for operand \(i)")
            }
            torchFatal("RuntimeError: einsum(): the number of subscripts in the equation (\(named)) does not match the number of dimensions (\(t.dim)) for operand \(i) and no ellipsis was given")
        }
        let covered = t.dim - named
        ellipsisRank = max(ellipsisRank, covered)
        var labels: [Int] = []
        for s in subs {
            if s == EinsumEquation.ellipsis {
                labels += (0..<covered).map { -(covered - $0) }
            } else {
                labels.append(s)
            }
        }
        labelled.append(EinsumOperand(tensor: t, labels: labels).diagonalized())
    }
    let ellipsisLabels = (0..<ellipsisRank).map { -(ellipsisRank - $0) }
    let output = parsed.output.map { subs in
        subs.flatMap { $0 == EinsumEquation.ellipsis ? ellipsisLabels : [$0] }
    } ?? (ellipsisLabels + parsed.implicitOutput)

    // Sizes per label, with size-1 dimensions broadcasting.
    var sizes: [Int: Int] = [:]
    for (i, op) in labelled.enumerated() {
        for (d, l) in op.labels.enumerated() {
            let s = op.tensor.shape[d]
            if let seen = sizes[l], seen != s, seen != 1, s != 1 {
                if l < 0 {
                    torchFatal("RuntimeError: einsum(): operands do not broadcast with remapped shapes (original->remapped)")
                }
                torchFatal("RuntimeError: einsum(): subscript \(EinsumEquation.character(l)) has size \(s) for operand \(i) which does not broadcast with previously seen size \(seen)")
            }
            sizes[l] = max(sizes[l] ?? 1, s)
        }
    }

    var pending = labelled
    while pending.count > 1 {
        let (i, j) = cheapestPair(pending, output: output, sizes: sizes)
        let b = pending.remove(at: j), a = pending.remove(at: i)
        var needed = Set(output)
        for p in pending { needed.formUnion(p.labels) }
        pending.append(contract(a, b, needed: needed, sizes: sizes))
    }
    let last = pending[0].summingOut(keeping: Set(output), sizes: sizes)
    return last.permuted(to: output, sizes: sizes).tensor
}

/// A parsed equation: labels are letter codes, `ellipsis` marks `...`.
struct EinsumEquation {
    static let ellipsis = -1000
    var inputs: [[Int]] = []
    var output: [Int]?
    var implicitOutput: [Int] = []

    static func character(_ label: Int) -> String {
        label >= 0 ? String(UnicodeScalar(UInt8(label))) : "..."
    }

    init(_ equation: String, operandCount: Int) {
        let text = equation.filter { $0 != " " }
        let parts = splitArrow(text)
        guard parts.count <= 2 else { torchFatal("RuntimeError: einsum(): more than one '->' found in the equation") }
        var position = 0
        func parseSubscripts(_ s: String) -> [Int] {
            var labels: [Int] = []
            var chars = Array(s.utf8)[...]
            while let c = chars.first {
                if c == UInt8(ascii: ".") {
                    guard chars.starts(with: Array("...".utf8)), !labels.contains(Self.ellipsis) else {
                        torchFatal("RuntimeError: einsum(): found '.' for operand that is not part of any ellipsis")
                    }
                    labels.append(Self.ellipsis)
                    chars = chars.dropFirst(3)
                    position += 3
                    continue
                }
                guard (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) else {
                    torchFatal("RuntimeError: einsum(): invalid subscript given at index \(position) in the equation string, subscripts must be in [a-zA-Z]")
                }
                labels.append(Int(c))
                chars = chars.dropFirst()
                position += 1
            }
            return labels
        }
        let inputTexts = parts[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for (k, t) in inputTexts.enumerated() {
            inputs.append(parseSubscripts(t))
            position += 1
            _ = k
        }
        if inputs.count > operandCount {
            torchFatal("RuntimeError: einsum(): fewer operands were provided than specified in the equation")
        }
        if inputs.count < operandCount {
            torchFatal("RuntimeError: einsum(): more operands were provided than specified in the equation")
        }
        var counts: [Int: Int] = [:]
        for subs in inputs { for l in subs where l >= 0 { counts[l, default: 0] += 1 } }
        implicitOutput = counts.filter { $0.value == 1 }.map(\.key).sorted()
        if parts.count == 2 {
            position += 2
            let out = parseSubscripts(parts[1])
            var seen = Set<Int>()
            for l in out where l >= 0 {
                guard seen.insert(l).inserted else {
                    torchFatal("RuntimeError: einsum(): output subscript \(Self.character(l)) appears more than once in the output")
                }
                guard counts[l] != nil else {
                    torchFatal("RuntimeError: einsum(): output subscript \(Self.character(l)) does not appear in the equation for any input operand")
                }
            }
            if out.contains(Self.ellipsis) && !inputs.contains(where: { $0.contains(Self.ellipsis) }) {
                torchFatal("RuntimeError: einsum(): ellipsis found in the output but not in any input")
            }
            output = out
        }
    }
}

/// Splits `text` at each `->`.
private func splitArrow(_ text: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var chars = Array(text)[...]
    while let c = chars.first {
        if c == "-", chars.dropFirst().first == ">" {
            parts.append(current)
            current = ""
            chars = chars.dropFirst(2)
        } else {
            current.append(c)
            chars = chars.dropFirst()
        }
    }
    parts.append(current)
    return parts
}

/// An operand during planning: a tensor and the label of each of its dimensions.
struct EinsumOperand {
    var tensor: Tensor
    var labels: [Int]

    /// Repeated labels become one dimension walking the diagonal (strides add up).
    func diagonalized() -> EinsumOperand {
        var shape: [Int] = [], strides: [Int] = [], out: [Int] = []
        for (d, l) in labels.enumerated() {
            if let k = out.firstIndex(of: l) {
                guard shape[k] == tensor.shape[d] else {
                    torchFatal("RuntimeError: einsum(): subscript \(EinsumEquation.character(l)) is repeated for operand but the sizes don't match, \(tensor.shape[d]) != \(shape[k])")
                }
                strides[k] += tensor.strides[d]
            } else {
                out.append(l)
                shape.append(tensor.shape[d])
                strides.append(tensor.strides[d])
            }
        }
        return EinsumOperand(tensor: tensor.makeView(shape: shape, strides: strides, offset: tensor.offset), labels: out)
    }

    /// Sums out every label not in `keeping` (one GEMM with a ones vector).
    func summingOut(keeping: Set<Int>, sizes: [Int: Int]) -> EinsumOperand {
        let gone = labels.filter { !keeping.contains($0) }
        if gone.isEmpty { return self }
        let kept = labels.filter { keeping.contains($0) }
        let p = permuted(to: kept + gone, sizes: nil)
        let keptShape = Array(p.tensor.shape.prefix(kept.count))
        let rows = keptShape.reduce(1, *)
        let cols = p.tensor.shape.dropFirst(kept.count).reduce(1, *)
        let matrix = reshapedContiguous(p.tensor, [rows, cols])
        let ones = Tensor.ones([cols, 1], dtype: tensor.dtype)
        let summed = mm(matrix, ones)
        return EinsumOperand(tensor: summed.makeView(shape: keptShape, strides: contiguousStrides(for: keptShape), offset: 0), labels: kept)
    }

    /// The operand with its dimensions in `order` (labels missing here become size-1
    /// dimensions broadcast to `sizes` when given, else size 1).
    func permuted(to order: [Int], sizes: [Int: Int]?) -> EinsumOperand {
        var shape: [Int] = [], strides: [Int] = []
        for l in order {
            if let d = labels.firstIndex(of: l) {
                let s = tensor.shape[d]
                let target = sizes?[l] ?? s
                shape.append(target)
                strides.append(s == 1 && target != 1 ? 0 : tensor.strides[d])
            } else {
                shape.append(sizes?[l] ?? 1)
                strides.append(0)
            }
        }
        return EinsumOperand(tensor: tensor.makeView(shape: shape, strides: strides, offset: tensor.offset), labels: order)
    }
}

/// `t` (which must have `shape.reduce(*)` elements) as a contiguous tensor of `shape`.
private func reshapedContiguous(_ t: Tensor, _ shape: [Int]) -> Tensor {
    let c = t.contiguous()
    return c.makeView(shape: shape, strides: contiguousStrides(for: shape), offset: c.offset)
}

/// The pair whose contraction result is smallest (ties: the earliest pair).
private func cheapestPair(_ ops: [EinsumOperand], output: [Int], sizes: [Int: Int]) -> (Int, Int) {
    var best = (0, 1)
    var bestSize = Int.max
    for i in 0..<ops.count {
        for j in (i + 1)..<ops.count {
            var needed = Set(output)
            for (k, p) in ops.enumerated() where k != i && k != j { needed.formUnion(p.labels) }
            let result = Set(ops[i].labels).union(ops[j].labels).filter { needed.contains($0) }
            let size = result.reduce(1) { $0 * (sizes[$1] ?? 1) }
            if size < bestSize { bestSize = size; best = (i, j) }
        }
    }
    return best
}

/// Contracts two operands as one batched GEMM: batch labels (in both, still needed),
/// contracted labels (in both, not needed), and each side's own kept labels.
private func contract(_ a: EinsumOperand, _ b: EinsumOperand, needed: Set<Int>, sizes: [Int: Int]) -> EinsumOperand {
    let a = a.summingOut(keeping: needed.union(b.labels), sizes: sizes)
    let b = b.summingOut(keeping: needed.union(a.labels), sizes: sizes)
    // Shared labels follow the larger operand's own order, so its permute to
    // (batch, summed) is more often a no-op and only the smaller one is copied.
    let leader = a.tensor.numel >= b.tensor.numel ? a.labels : b.labels
    let shared = leader.filter { a.labels.contains($0) && b.labels.contains($0) }
    let batch = shared.filter { needed.contains($0) }
    let summed = shared.filter { !needed.contains($0) }
    let aOwn = a.labels.filter { !b.labels.contains($0) }
    let bOwn = b.labels.filter { !a.labels.contains($0) }
    func size(_ ls: [Int]) -> Int { ls.reduce(1) { $0 * (sizes[$1] ?? 1) } }
    let B = size(batch), M = size(aOwn), K = size(summed), N = size(bOwn)
    let ap = reshapedContiguous(a.permuted(to: batch + aOwn + summed, sizes: sizes).tensor, [B, M, K])
    let bp = reshapedContiguous(b.permuted(to: batch + summed + bOwn, sizes: sizes).tensor, [B, K, N])
    let product = bmm(ap, bp)
    let labels = batch + aOwn + bOwn
    let shape = labels.map { sizes[$0] ?? 1 }
    return EinsumOperand(tensor: product.makeView(shape: shape, strides: contiguousStrides(for: shape), offset: 0), labels: labels)
}
