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

/// Einstein summation over an array of operands (`torch.einsum`).
public func einsum(_ equation: String, _ operands: [Tensor]) -> Tensor {
    let parsed = EinsumEquation(equation, operandCount: operands.count)
    guard let first = operands.first else { torchFatal("RuntimeError: einsum(): must provide at least one operand") }
    for t in operands where t.dtype != first.dtype {
        torchFatal("RuntimeError: expected scalar type \(first.dtype.scalarTypeName) but found \(t.dtype.scalarTypeName)")
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
        pending.append(contract(a, b, needed: needed, sizes: sizes, output: output))
    }
    let last = pending[0].summingOut(keeping: Set(output), sizes: sizes)
    // A single operand that sums nothing ends in a permute, as in PyTorch (even an identity).
    if last.labels == output && (operands.count > 1 || last.labels.count != labelled[0].labels.count) {
        return last.tensor
    }
    let result = last.permuted(to: output, sizes: nil).tensor
    // PyTorch's pairwise contraction ends in a view of its permuted product; the same-shape
    // view keeps the graph's last node named as PyTorch's (ViewBackward0).
    return operands.count > 1 ? result.view(result.shape) : result
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

/// An operand during planning: a tensor and the label of each of its dimensions. Every
/// step goes through recorded ops (diagonal views, `sum`, `permute`, `reshape`, `bmm`,
/// `mul`), so einsum is differentiable and its `grad_fn` names are PyTorch's.
struct EinsumOperand {
    var tensor: Tensor
    var labels: [Int]

    /// Repeated labels become one dimension walking the diagonal (strides add up).
    func diagonalized() -> EinsumOperand {
        var shape: [Int] = [], strides: [Int] = [], dense: [Int] = [], out: [Int] = []
        let contiguous = contiguousStrides(for: tensor.shape)
        for (d, l) in labels.enumerated() {
            if let k = out.firstIndex(of: l) {
                guard shape[k] == tensor.shape[d] else {
                    torchFatal("RuntimeError: einsum(): subscript \(EinsumEquation.character(l)) is repeated for operand but the sizes don't match, \(tensor.shape[d]) != \(shape[k])")
                }
                strides[k] += tensor.strides[d]
                dense[k] += contiguous[d]
            } else {
                out.append(l)
                shape.append(tensor.shape[d])
                strides.append(tensor.strides[d])
                dense.append(contiguous[d])
            }
        }
        if out.count == labels.count { return self }
        return EinsumOperand(tensor: stridedDiagonal(tensor, shape: shape, strides: strides, offset: tensor.offset,
                                                      denseStrides: dense, denseOffset: 0), labels: out)
    }

    /// Sums out every label not in `keeping`.
    func summingOut(keeping: Set<Int>, sizes: [Int: Int]) -> EinsumOperand {
        let gone = labels.indices.filter { !keeping.contains(labels[$0]) }
        if gone.isEmpty { return self }
        return EinsumOperand(tensor: tensor.sum(dims: gone), labels: labels.filter { keeping.contains($0) })
    }

    /// The operand with its dimensions in `order`: labels missing here become size-1
    /// dimensions, and with `sizes` size-1 dimensions are expanded to the label's size.
    func permuted(to order: [Int], sizes: [Int: Int]?) -> EinsumOperand {
        let present = order.filter { labels.contains($0) }
        var t = tensor
        let permutation = present.map { labels.firstIndex(of: $0)! }
        if permutation != Array(0..<labels.count) || sizes == nil { t = t.permute(permutation) }
        for (i, l) in order.enumerated() where !labels.contains(l) { t = t.unsqueeze(i) }
        if let sizes {
            let target = order.map { sizes[$0] ?? 1 }
            if target != t.shape { t = t.expand(target) }
        }
        return EinsumOperand(tensor: t, labels: order)
    }
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

/// Contracts two operands: a broadcast `mul` when nothing is summed, else one batched GEMM
/// over (batch, own, summed) × (batch, summed, own) reshapes. Labels are ordered as in
/// `output` where possible, so the final result usually needs no permute.
private func contract(_ a: EinsumOperand, _ b: EinsumOperand, needed: Set<Int>, sizes: [Int: Int], output: [Int]) -> EinsumOperand {
    let a = a.summingOut(keeping: needed.union(b.labels), sizes: sizes)
    let b = b.summingOut(keeping: needed.union(a.labels), sizes: sizes)
    func rank(_ l: Int) -> Int { output.firstIndex(of: l) ?? Int.max }
    let leader = a.tensor.numel >= b.tensor.numel ? a.labels : b.labels
    let shared = leader.filter { a.labels.contains($0) && b.labels.contains($0) }
    let batch = shared.filter { needed.contains($0) }
    let summed = shared.filter { !needed.contains($0) }
    if summed.isEmpty {
        // Nothing to sum: a broadcast product, laid out in output order (no copies needed).
        let labels = Array(Set(a.labels).union(b.labels)).sorted { (rank($0), $0) < (rank($1), $1) }
        let x = a.permuted(to: labels, sizes: nil).tensor
        let y = b.permuted(to: labels, sizes: nil).tensor
        return EinsumOperand(tensor: x * y, labels: labels)
    }
    // Own labels keep each operand's own order: permuting a large operand against its
    // layout costs more than permuting the (view) result at the end.
    let aOwn = a.labels.filter { !b.labels.contains($0) }
    let bOwn = b.labels.filter { !a.labels.contains($0) }
    let swapSides = !aOwn.isEmpty && !bOwn.isEmpty && rank(bOwn[0]) < rank(aOwn[0])
    let (left, right, leftOwn, rightOwn) = swapSides ? (b, a, bOwn, aOwn) : (a, b, aOwn, bOwn)
    let labels = batch + leftOwn + rightOwn
    func size(_ ls: [Int]) -> Int { ls.reduce(1) { $0 * (sizes[$1] ?? 1) } }
    let B = size(batch), M = size(leftOwn), K = size(summed), N = size(rightOwn)
    let lp = left.permuted(to: batch + leftOwn + summed, sizes: sizes).tensor.reshape([B, M, K])
    let rp = right.permuted(to: batch + summed + rightOwn, sizes: sizes).tensor.reshape([B, K, N])
    let shape = labels.map { sizes[$0] ?? 1 }
    return EinsumOperand(tensor: bmm(lp, rp).view(shape), labels: labels)
}
