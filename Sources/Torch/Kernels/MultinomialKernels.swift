/// The loops of `torch.multinomial` on float32/float64 weights `probs` seen as
/// `[rows, categories]` (any strides): PyTorch's exponential race for sampling without
/// replacement (or one sample), and the tensor entry of the cumulative-sum search with
/// replacement (`Kernels/RandomKernels.swift`). Each picks the element type once, so the op
/// never switches on dtype; the op draws the race's noise itself (its layout follows the
/// input's, which the op decides).

/// Stops with PyTorch's messages unless every weight is finite and non-negative and every
/// row has a positive sum (the race's checks, made before any noise is drawn).
func checkRaceWeights(_ probs: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let probs: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let rows = probs.shape[0], categories = probs.shape[1]
            let p = probs.storage.data.assumingMemoryBound(to: T.self)
            var valid = true, zeroRow = false
            for i in 0..<rows {
                var sum: T = 0
                for j in 0..<categories {
                    let v = p[probs.offset + i * probs.strides[0] + j * probs.strides[1]]
                    if !(v >= 0 && v < T.infinity) { valid = false }
                    sum += v
                }
                if sum == 0 { zeroRow = true }
            }
            if !valid { torchFatal("RuntimeError: probability tensor contains either `inf`, `nan` or element < 0") }
            if zeroRow { torchFatal("RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)") }
        }
    }
    probs.dtype.dispatchSIMDFloat(Visitor(probs: probs))
}

/// Sampling without replacement as PyTorch does it: the keys `probs / noise` in the weights'
/// dtype (`noise` is exponential(1), `[rows, categories]` like `probs`), then each row's top
/// `samples` indices, largest first (the lower index first among equal keys), into dense
/// int64 `result` (`[rows, samples]`).
func exponentialRaceKernel(_ probs: Tensor, noise q: Tensor, samples: Int, into result: Tensor) {
    struct Visitor: SIMDFloatVisitor {
        let probs: Tensor, q: Tensor, samples: Int, result: Tensor
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let rows = probs.shape[0], categories = probs.shape[1]
            let p = probs.storage.data.assumingMemoryBound(to: T.self)
            let qp = q.storage.data.assumingMemoryBound(to: T.self)
            let out = result.pointer(as: Int64.self)
            var keys = [T](repeating: 0, count: categories)
            var order = Array(0..<categories)
            for i in 0..<rows {
                for j in 0..<categories {
                    keys[j] = p[probs.offset + i * probs.strides[0] + j * probs.strides[1]]
                        / qp[q.offset + i * q.strides[0] + j * q.strides[1]]
                }
                if samples == 1 {
                    var best = 0
                    for j in 1..<max(categories, 1) where keys[j] > keys[best] { best = j }
                    out[i] = Int64(best)
                    continue
                }
                for j in 0..<categories { order[j] = j }
                order.sort { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }
                for s in 0..<samples { out[i * samples + s] = Int64(order[s]) }
            }
        }
    }
    probs.dtype.dispatchSIMDFloat(Visitor(probs: probs, q: q, samples: samples, result: result))
}

/// Sampling with replacement: ``multinomialWithReplacementKernel(_:_:samples:into:_:)`` for
/// the weights' element type, drawing from `generator`, into dense int64 `result`.
func multinomialWithReplacementKernel(_ probs: Tensor, samples: Int, into result: Tensor, generator: Generator) {
    struct Visitor: SIMDFloatVisitor {
        let probs: Tensor, samples: Int, result: Tensor, generator: Generator
        func visit<T: SIMDFloatElement>(_: T.Type) {
            let out = result.pointer(as: Int64.self)
            generator.draw { multinomialWithReplacementKernel(probs, T.self, samples: samples, into: out, &$0) }
        }
    }
    probs.dtype.dispatchSIMDFloat(Visitor(probs: probs, samples: samples, result: result, generator: generator))
}
