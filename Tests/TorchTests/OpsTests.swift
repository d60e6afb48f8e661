import Testing
@testable import Torch

/// Elementwise ops, views and reductions, with values derived by hand or printed by PyTorch.
@Suite struct ElementwiseTests {
    @Test func broadcastingArithmetic() {
        let a = Tensor([[1.0], [2.0], [3.0]])      // (3, 1)
        let b = Tensor([[10.0, 20.0]])             // (1, 2)
        #expect((a + b).shape == [3, 2])
        #expect((a + b).toArray(Float.self) == [11, 21, 12, 22, 13, 23])
        #expect((a * b).toArray(Float.self) == [10, 20, 20, 40, 30, 60])
        #expect((5.0 * a).toArray(Float.self) == [5, 10, 15])
        #expect((a - 1).toArray(Float.self) == [0, 1, 2])
        #expect((1 - a).toArray(Float.self) == [0, -1, -2])
        #expect((-a).toArray(Float.self) == [-1, -2, -3])
        let lr = 0.5
        #expect((a * lr).toArray(Float.self) == [0.5, 1, 1.5])
        #expect(add(a, b, alpha: 2).toArray(Float.self) == [21, 41, 22, 42, 23, 43])
    }

    @Test func integerDivisionRules() {
        let x = Tensor([[1, 2], [3, 4]]), y = Tensor([2, -3])
        #expect(floorDivide(x, y).toArray(Int.self) == [0, -1, 1, -2])
        #expect(remainder(Tensor([-3, 3]), 2).toArray(Int.self) == [1, 1])
        #expect(fmod(Tensor([-3, 3]), 2).toArray(Int.self) == [-1, 1])
        let half = Tensor([5, -5]) / 2
        #expect(half.dtype == .float32)
        #expect(half.toArray(Float.self) == [2.5, -2.5])
        #expect(Tensor([7, -7]).div(2, roundingMode: "floor").toArray(Int.self) == [3, -4])
        #expect(Tensor([7, -7]).div(2, roundingMode: "trunc").toArray(Int.self) == [3, -3])
        #expect(pow(Tensor([2, 3]), 3).toArray(Int.self) == [8, 27])
    }

    @Test func promotionThroughOps() {
        let i32 = Tensor([1, 2], dtype: .int32)
        #expect((i32 + 2).dtype == .int32)
        #expect((i32 + 2.5).dtype == .float32)
        #expect((i32 + Tensor([1, 1])).dtype == .int64)
        #expect((Tensor([1.0]) + Tensor(1.0, dtype: .float64)).dtype == .float32)
        #expect((Tensor([true]) + Tensor([true])).toArray(Bool.self) == [true])
        #expect((Tensor([1], dtype: .uint8) + Tensor([1], dtype: .int32)).dtype == .int32)
    }

    @Test func comparisonsAndWhere() {
        let a = Tensor([1.0, 5.0, 3.0]), b = Tensor([2.0, 5.0, 1.0])
        #expect((a .< b).toArray(Bool.self) == [true, false, false])
        #expect((a .== b).toArray(Bool.self) == [false, true, false])
        #expect(a.ge(b).toArray(Bool.self) == [false, true, true])
        #expect(Torch.where(a .> 2.0, a, b).toArray(Float.self) == [2, 5, 3])
        #expect(allclose(a, a + 1e-9))
        #expect(equal(a, a.clone()) && !equal(a, b))
        #expect(logicalXor(a .> 2.0, b .> 2.0).toArray(Bool.self) == [false, false, true])
    }

    @Test func mathAndActivations() {
        let x = Tensor([0.0, 1.0, -2.0])
        #expect(exp(x).toArray(Float.self)[0] == 1)
        #expect(abs(x).toArray(Float.self) == [0, 1, 2])
        #expect(relu(x).toArray(Float.self) == [0, 1, 0])
        #expect(sign(Tensor([-3.0, 0.0, .nan, 2.0])).toArray(Float.self) == [-1, 0, 0, 1])
        #expect(x.clamp(min: -1, max: 0.5).toArray(Float.self) == [0, 0.5, -1])
        #expect(round(Tensor([0.5, 1.5, 2.5, -0.5])).toArray(Float.self) == [0, 2, 2, -0])
        #expect(sigmoid(Tensor([0.0])).item() == 0.5)
        #expect(exp(Tensor([0, 1])).dtype == .float32)
        #expect(abs(Tensor([-3])).toArray(Int.self) == [3])
    }

    @Test func inPlaceOpsWriteThroughViews() {
        let base = Tensor([[1.0, 2.0], [3.0, 4.0]])
        let row = base.narrow(0, 1, 1)
        row += Tensor([10.0, 10.0])
        #expect(base.toArray(Float.self) == [1, 2, 13, 14])
        base.mul_(2)
        #expect(row.toArray(Float.self) == [26, 28])
        let w = Tensor([1.0, 2.0])
        w -= 0.5 * Tensor([2.0, 2.0])
        #expect(w.toArray(Float.self) == [0, 1])
    }

    @Test func broadcastErrorNamesTheSizes() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.ones(3) + Tensor.ones(4, 1, 1).view(4)
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"))
    }

    @Test func inPlaceCannotNarrowTheDtype() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor([1, 2]).add_(Tensor([0.5, 0.5]))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("result type Float can't be cast to the desired output type Long"))
    }
}

@Suite struct ViewTests {
    @Test func seedViews() {
        let x = Tensor.arange(0, 24).view(2, 3, 4)
        let y = x.view(-1, 12)
        #expect(y.shape == [2, 12])
        #expect(y.storage === x.storage)
        let m = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        m.t_()
        #expect(m.shape == [3, 2])
        #expect(m.contiguous().toArray(Float.self) == [1, 4, 2, 5, 3, 6])
        let z = Tensor.ones(2, 4)
        z.narrow(1, 1, 2).fill_(0)
        #expect(z.toArray(Float.self) == [1, 0, 0, 1, 1, 0, 0, 1])
    }

    @Test func reshapeCopiesOnlyWhenItMust() {
        let x = Tensor.arange(0, 6).view(2, 3)
        #expect(x.reshape(3, 2).storage === x.storage)
        let t = x.t()
        let r = t.reshape(6)
        #expect(r.storage !== x.storage)
        #expect(r.toArray(Int.self) == [0, 3, 1, 4, 2, 5])
        #expect(x.unsqueeze(0).shape == [1, 2, 3])
        #expect(x.unsqueeze(-1).shape == [2, 3, 1])
        #expect(Tensor.zeros(1, 3, 1).squeeze().shape == [3])
        #expect(x.permute(1, 0).shape == [3, 2])
        #expect(Tensor.ones(3, 1).expand(3, 4).strides == [1, 0])
        #expect(Tensor.zeros(2, 3, 4).flatten(startDim: 1).shape == [2, 12])
    }

    @Test func viewOfIncompatibleLayoutFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(2, 3).t().view(6)
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("view size is not compatible with input tensor's size and stride"))
    }
}

@Suite struct SeedAutogradTests {
    @Test func seedChainGivesTheNotebooksGradient() {
        let x = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
        let z = sum(sin(x))
        let u = log(1 + z)
        let w = exp(-u)
        w.backward()
        #expect(x.grad?.description == "tensor([-0.0646,  0.0498,  0.1184])")
    }

    @Test func weightedJacobian() {
        let a = Tensor([1.0, 2.0, 3.0], requiresGrad: true)
        let e = a.pow(2)
        e.backward(gradient: Tensor([-5.0, 2.0, 6.0]))
        #expect(a.grad?.toArray(Float.self) == [-10, 8, 36])
        #expect(e.description == "tensor([1., 4., 9.], grad_fn=<PowBackward0>)")
    }

    @Test func handWrittenRegressionRecoversTheLine() {
        // y = 3x - 2, fitted with w -= lr * w.grad under noGrad, as in the seed.
        let x = Tensor.linspace(-1, 1, steps: 20)
        let y = 3 * x - 2
        let w = Tensor(0.0, requiresGrad: true), b = Tensor(0.0, requiresGrad: true)
        for _ in 0..<500 {
            let loss = ((w * x + b - y) * (w * x + b - y)).mean()
            loss.backward()
            noGrad {
                w -= 0.1 * w.grad!
                b -= 0.1 * b.grad!
            }
            w.grad!.zero_()
            b.grad!.zero_()
        }
        #expect(abs(w.item() - 3) < 1e-3)
        #expect(abs(b.item() + 2) < 1e-3)
    }

    @Test func everyElementwiseDerivativePassesGradcheck() {
        let x = Tensor([0.3, -0.7, 1.2], dtype: .float64, requiresGrad: true)
        let p = Tensor([0.4, 0.6, 0.9], dtype: .float64, requiresGrad: true)
        let y = Tensor([1.3, 0.5, -0.8], dtype: .float64, requiresGrad: true)
        let unary: [(String, (Tensor) -> Tensor)] = [
            ("exp", exp), ("sin", sin), ("cos", cos), ("tan", tan), ("tanh", tanh), ("sigmoid", sigmoid),
            ("sinh", sinh), ("cosh", cosh), ("atan", atan), ("erf", erf), ("expm1", expm1), ("neg", neg),
            ("gelu", { gelu($0) }), ("geluTanh", { gelu($0, approximate: "tanh") }), ("silu", silu),
            ("softplus", { softplus($0) }), ("mish", mish), ("logsigmoid", logsigmoid), ("elu", { elu($0) }),
            ("square", square), ("pow3", { pow($0, 3) }),
        ]
        for (name, f) in unary {
            let r = gradcheck({ f($0[0]) }, inputs: [x])
            #expect(r.passed, Comment(rawValue: "\(name): \(r)"))
        }
        let positive: [(String, (Tensor) -> Tensor)] = [
            ("log", log), ("log2", log2), ("log10", log10), ("log1p", log1p), ("sqrt", sqrt), ("rsqrt", rsqrt),
            ("reciprocal", reciprocal), ("asin", asin), ("acos", acos),
        ]
        for (name, f) in positive {
            let r = gradcheck({ f($0[0]) }, inputs: [p])
            #expect(r.passed, Comment(rawValue: "\(name): \(r)"))
        }
        let binary: [(String, (Tensor, Tensor) -> Tensor)] = [
            ("add", { $0 + $1 }), ("sub", { $0 - $1 }), ("mul", { $0 * $1 }), ("div", { $0 / $1 }),
            ("atan2", atan2), ("maximum", maximum), ("minimum", minimum), ("pow", { pow($0.abs() + 0.5, $1) }),
            ("mm", { mm($0.unsqueeze(1), $1.unsqueeze(0)) }), ("dot", dot), ("matmul", { matmul($0, $1) }),
        ]
        for (name, f) in binary {
            let r = gradcheck({ f($0[0], $0[1]) }, inputs: [x, y])
            #expect(r.passed, Comment(rawValue: "\(name): \(r)"))
        }
        #expect(gradcheck({ $0[0].sum() * $0[0].mean() }, inputs: [x]).passed)
        #expect(gradcheck({ einsum("i,j->ij", $0[0], $0[1]).sum(dim: 0) }, inputs: [x, y]).passed)
        let m = Tensor([[2.0, 0.5], [0.3, 1.5]], dtype: .float64, requiresGrad: true)
        #expect(gradcheck({ linalg.inv($0[0]) }, inputs: [m]).passed)
        #expect(gradcheck({ linalg.det($0[0]) }, inputs: [m]).passed)
        #expect(gradcheck({ linalg.solve($0[0], Tensor([1.0, 2.0], dtype: .float64)) }, inputs: [m]).passed)
    }
}
