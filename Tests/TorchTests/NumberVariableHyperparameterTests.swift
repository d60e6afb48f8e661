import Testing
@testable import Torch

/// Hyper-parameters (learning rates, slopes, probabilities, epsilons, gains, norms...) take
/// a Swift number held in a variable of any standard type, as PyTorch takes any Python
/// number, and give exactly what the same value written as a `Double` literal gives. The
/// values are chosen exactly representable in every type used, so the results must agree
/// bit for bit.
@Suite struct NumberVariableHyperparameterTests {
    /// The parameter after two steps of the optimizer `make` builds, from a fixed start with
    /// a fixed gradient.
    func afterTwoSteps(_ make: ([Tensor]) -> Optimizer) -> [Float] {
        let p = Tensor([1.0, -2.0, 3.0]).requiresGrad_()
        let opt = make([p])
        for _ in 0..<2 {
            p.grad = Tensor([0.5, -1.0, 2.0])
            opt.step()
        }
        return p.toArray(Float.self)
    }

    @Test func sgdAndAdamFamilyTakeVariables() {
        let lr: Float = 0.25, momentum: Float = 0.5, dampening = 0.25, wd = 1, b1: Float = 0.5, b2 = 0.75
        let eps: Float = 0.125
        let sgd = afterTwoSteps { SGD($0, lr: 0.25, momentum: 0.5, dampening: 0.25, weightDecay: 1.0) }
        #expect(sgd != afterTwoSteps { SGD($0) })
        #expect(afterTwoSteps { SGD($0, lr: lr, momentum: momentum, dampening: dampening, weightDecay: wd) } == sgd)
        let i64: Int64 = 1
        #expect(afterTwoSteps { SGD($0, lr: 0.25, momentum: 0.5, dampening: 0.25, weightDecay: i64) } == sgd)

        let adam = afterTwoSteps { Adam($0, lr: 0.25, betas: (0.5, 0.75), eps: 0.125, weightDecay: 1.0) }
        #expect(adam != afterTwoSteps { Adam($0) })
        #expect(afterTwoSteps { Adam($0, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd) } == adam)
        let adamW = afterTwoSteps { AdamW($0, lr: 0.25, betas: (0.5, 0.75), eps: 0.125, weightDecay: 1.0, amsgrad: true) }
        #expect(afterTwoSteps { AdamW($0, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd, amsgrad: true) } == adamW)
        let adamax = afterTwoSteps { Adamax($0, lr: 0.25, betas: (0.5, 0.75), eps: 0.125, weightDecay: 1.0) }
        #expect(afterTwoSteps { Adamax($0, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd) } == adamax)
        let nadam = afterTwoSteps { NAdam($0, lr: 0.25, betas: (0.5, 0.75), eps: 0.125, weightDecay: 1.0, momentumDecay: 0.125) }
        #expect(afterTwoSteps { NAdam($0, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd, momentumDecay: eps) } == nadam)
        let radam = afterTwoSteps { RAdam($0, lr: 0.25, betas: (0.5, 0.75), eps: 0.125, weightDecay: 1.0) }
        #expect(afterTwoSteps { RAdam($0, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd) } == radam)
    }

    @Test func rmspropAdagradAdadeltaAndLBFGSTakeVariables() {
        let lr: Float = 0.25, alpha = 0.5, eps: Float = 0.125, wd = 1, decay: Float = 0.5
        let rms = afterTwoSteps { RMSprop($0, lr: 0.25, alpha: 0.5, eps: 0.125, weightDecay: 1.0, momentum: 0.5, centered: true) }
        #expect(rms != afterTwoSteps { RMSprop($0) })
        #expect(afterTwoSteps { RMSprop($0, lr: lr, alpha: alpha, eps: eps, weightDecay: wd, momentum: decay, centered: true) } == rms)
        let adagrad = afterTwoSteps { Adagrad($0, lr: 0.25, lrDecay: 0.5, weightDecay: 1.0, initialAccumulatorValue: 0.5, eps: 0.125) }
        #expect(afterTwoSteps { Adagrad($0, lr: lr, lrDecay: decay, weightDecay: wd, initialAccumulatorValue: alpha, eps: eps) } == adagrad)
        let adadelta = afterTwoSteps { Adadelta($0, lr: 0.25, rho: 0.5, eps: 0.125, weightDecay: 1.0) }
        #expect(afterTwoSteps { Adadelta($0, lr: lr, rho: decay, eps: eps, weightDecay: wd) } == adadelta)

        func lbfgs(_ make: ([Tensor]) -> LBFGS) -> [Float] {
            let p = Tensor([1.0, -2.0, 3.0]).requiresGrad_()
            let opt = make([p])
            _ = opt.step {
                opt.zeroGrad()
                let loss = (p * p * p * p).sum()
                loss.backward()
                return loss
            }
            return p.toArray(Float.self)
        }
        let tolerance: Float = 0.0078125
        let literal = lbfgs { LBFGS($0, lr: 0.5, maxIter: 3, toleranceGrad: 0.0078125, toleranceChange: 0.0078125) }
        #expect(lbfgs { LBFGS($0, lr: decay, maxIter: 3, toleranceGrad: tolerance, toleranceChange: tolerance) } == literal)
    }

    @Test func parameterGroupOptionsTakeVariables() {
        let lr: Float = 0.5, wd = 0
        let group = ParamGroup([Tensor([1.0])], ["lr": lr, "weight_decay": wd, "momentum": 0.25])
        #expect(group.options == ["lr": 0.5, "weight_decay": 0, "momentum": 0.25])
    }

    /// The learning rate at steps 0..<8 of the scheduler `make` builds over SGD (lr 0.5).
    func rates(metrics: [Float] = [], _ make: (Optimizer) -> AnyObject) -> [Double] {
        let opt = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.5, momentum: 0.5)
        let scheduler = make(opt)
        var out = [opt.paramGroups[0].lr]
        for e in 0..<7 {
            switch scheduler {
            case let s as LRScheduler: s.step()
            case let s as ReduceLROnPlateau: s.step(metrics[e])
            default: break
            }
            out.append(opt.paramGroups[0].lr)
        }
        return out + [opt.paramGroups[0]["momentum"]!]
    }

    @Test func schedulersTakeVariables() {
        let gamma: Float = 0.5, etaMin = 0, start: Float = 0.25, end = 1, maxLR: Float = 2
        #expect(rates { StepLR($0, stepSize: 2, gamma: gamma) } == rates { StepLR($0, stepSize: 2, gamma: 0.5) })
        #expect(rates { MultiStepLR($0, milestones: [1, 3], gamma: gamma) } == rates { MultiStepLR($0, milestones: [1, 3], gamma: 0.5) })
        #expect(rates { ExponentialLR($0, gamma: gamma) } == rates { ExponentialLR($0, gamma: 0.5) })
        #expect(rates { CosineAnnealingLR($0, tMax: 4, etaMin: etaMin) } == rates { CosineAnnealingLR($0, tMax: 4, etaMin: 0.0) })
        #expect(rates { CosineAnnealingWarmRestarts($0, t0: 3, etaMin: gamma) }
                == rates { CosineAnnealingWarmRestarts($0, t0: 3, etaMin: 0.5) })
        #expect(rates { LinearLR($0, startFactor: start, endFactor: end, totalIters: 4) }
                == rates { LinearLR($0, startFactor: 0.25, endFactor: 1.0, totalIters: 4) })
        let oneCycle = rates { OneCycleLR($0, maxLR: 2.0, totalSteps: 8, pctStart: 0.25, divFactor: 4.0, finalDivFactor: 2.0,
                                          baseMomentum: 0.5, maxMomentum: 0.75) }
        #expect(oneCycle != rates { OneCycleLR($0, maxLR: 2.0, totalSteps: 8) })
        let (four, two) = (4, 2), (pct, base, top): (Float, Float, Double) = (0.25, 0.5, 0.75)
        #expect(rates { OneCycleLR($0, maxLR: maxLR, totalSteps: 8, pctStart: pct, divFactor: four, finalDivFactor: two,
                                   baseMomentum: base, maxMomentum: top) } == oneCycle)
        let metrics: [Float] = [4, 4, 4, 3, 3, 3, 3]
        let factor: Float = 0.5, threshold = 0, minLR: Float = 0.125
        let plateau = rates(metrics: metrics) { ReduceLROnPlateau($0, factor: 0.5, patience: 1, threshold: 0.0, minLR: 0.125) }
        #expect(plateau[7] == 0.125)
        #expect(rates(metrics: metrics) { ReduceLROnPlateau($0, factor: factor, patience: 1, threshold: threshold, minLR: minLR) }
                == plateau)
    }

    @Test func activationModulesAndFunctionsTakeVariables() {
        let x = Tensor([-4.0, -1.0, 0.5, 3.0])
        let slope: Float = 0.25, alpha = 2, beta = 2, threshold: Float = 1, lo = -1, hi: Float = 0.5
        let leaky = leakyRelu(x, negativeSlope: 0.25).toArray(Float.self)
        #expect(leaky == [-1, -0.25, 0.5, 3])
        #expect(LeakyReLU(slope)(x).toArray(Float.self) == leaky)
        #expect(LeakyReLU(negativeSlope: slope)(x).toArray(Float.self) == leaky)
        #expect(LeakyReLU(slope).negativeSlope == 0.25)
        #expect(leakyRelu(x, negativeSlope: slope).toArray(Float.self) == leaky)
        #expect(x.clone().leakyRelu_(negativeSlope: slope).toArray(Float.self) == leaky)
        #if !(os(macOS) && arch(x86_64))
        let half: Float16 = 0.25
        #expect(LeakyReLU(half)(x).toArray(Float.self) == leaky)
        #endif
        #expect(ELU(alpha: alpha)(x).toArray(Float.self) == ELU(alpha: 2.0)(x).toArray(Float.self))
        #expect(elu(x, alpha: alpha).toArray(Float.self) == elu(x, alpha: 2.0).toArray(Float.self))
        #expect(Softplus(beta: beta, threshold: threshold)(x).toArray(Float.self)
                == softplus(x, beta: 2.0, threshold: 1.0).toArray(Float.self))
        #expect(softplus(x, beta: beta, threshold: threshold).toArray(Float.self)
                == softplus(x, beta: 2.0, threshold: 1.0).toArray(Float.self))
        #expect(Hardtanh(minVal: lo, maxVal: hi)(x).toArray(Float.self) == [-1, -1, 0.5, 0.5])
        #expect(hardtanh(x, minVal: lo, maxVal: hi).toArray(Float.self) == [-1, -1, 0.5, 0.5])
    }

    @Test func lossModulesAndFunctionsTakeVariables() {
        let input = Tensor([0.5, 2.0, -1.0, 3.0]), target = Tensor([0.0, 0.0, 0.0, 0.0])
        let beta: Float = 2, delta = 2, margin: Float = 0.5, smoothing: Float = 0.25
        let smooth = smoothL1Loss(input, target, beta: 2.0).item()
        #expect(SmoothL1Loss(beta: beta)(input, target).item() == smooth)
        #expect(smoothL1Loss(input, target, beta: beta).item() == smooth)
        let huber = huberLoss(input, target, delta: 2.0).item()
        #expect(HuberLoss(delta: delta)(input, target).item() == huber)
        #expect(huberLoss(input, target, delta: delta).item() == huber)
        let sign = Tensor([1.0, -1.0, 1.0, -1.0])
        let ranking = marginRankingLoss(input, target, sign, margin: 0.5).item()
        #expect(MarginRankingLoss(margin: margin)(input, target, sign).item() == ranking)
        #expect(marginRankingLoss(input, target, sign, margin: margin).item() == ranking)
        let a = Tensor([[1.0, 2.0], [0.5, -1.0]]), b = Tensor([[2.0, 1.0], [1.0, 1.0]]), y = Tensor([1.0, -1.0])
        #expect(CosineEmbeddingLoss(margin: margin)(a, b, y).item() == cosineEmbeddingLoss(a, b, y, margin: 0.5).item())
        let logits = Tensor([[1.0, 2.0, 0.5], [0.25, -1.0, 2.0]]), labels = Tensor([1, 2])
        let ce = crossEntropy(logits, labels, labelSmoothing: 0.25).item()
        #expect(ce != crossEntropy(logits, labels).item())
        #expect(CrossEntropyLoss(labelSmoothing: smoothing)(logits, labels).item() == ce)
        #expect(crossEntropy(logits, labels, labelSmoothing: smoothing).item() == ce)
    }

    @Test func dropoutProbabilityTakesVariables() {
        let x = Tensor.ones([64])
        let p: Float = 0.25, none = 0
        #expect(Dropout(p).p == 0.25)
        #expect(Dropout(p: p).p == 0.25)
        #expect(Dropout(none)(x).toArray(Float.self) == x.toArray(Float.self))
        let literal = withDefaultGenerator(Generator().manualSeed(0)) { dropout(x, p: 0.25).toArray(Float.self) }
        #expect(literal.contains(0) && literal.contains(Float(4.0 / 3)))
        #expect(withDefaultGenerator(Generator().manualSeed(0)) { dropout(x, p: p).toArray(Float.self) } == literal)
        #expect(withDefaultGenerator(Generator().manualSeed(0)) { Dropout(p)(x).toArray(Float.self) } == literal)
        let channels = Tensor.ones([2, 8, 3])
        #expect(withDefaultGenerator(Generator().manualSeed(0)) { dropout1d(channels, p: p).toArray(Float.self) }
                == withDefaultGenerator(Generator().manualSeed(0)) { dropout1d(channels, p: 0.25).toArray(Float.self) })
        let dropoutRate: Float = 0.5
        #expect(LSTM(2, 3, numLayers: 2, dropout: dropoutRate).dropoutProbability == 0.5)
    }

    @Test func normalizationTakesVariables() {
        let x = Tensor([[1.0, 2.0, 4.0], [3.0, -2.0, 0.0], [0.5, 1.0, 8.0], [2.0, 2.0, 2.0]])
        let eps: Float = 0.125, momentum: Float = 0.25
        let literal = BatchNorm1d(3, eps: 0.125, momentum: 0.25)
        let variable = BatchNorm1d(3, eps: eps, momentum: momentum)
        #expect(variable.eps == 0.125 && variable.momentum == 0.25)
        #expect(variable(x).toArray(Float.self) == literal(x).toArray(Float.self))
        #expect(variable.runningMean!.toArray(Float.self) == literal.runningMean!.toArray(Float.self))
        #expect(variable.runningVar!.toArray(Float.self) == literal.runningVar!.toArray(Float.self))
        // `nil` (a cumulative average) and an optional variable still type-check.
        #expect(BatchNorm2d(3, momentum: nil).momentum == nil)
        let maybe: Float? = 0.5
        #expect(BatchNorm2d(3, eps: 1, momentum: maybe).momentum == 0.5)
        #expect(BatchNorm2d(3).momentum == 0.1)
        let functional = batchNorm(x, runningMean: nil, runningVar: nil, training: true, momentum: momentum, eps: eps)
        #expect(functional.toArray(Float.self) == literal(x).toArray(Float.self))
        #expect(LayerNorm(3, eps: eps)(x).toArray(Float.self) == layerNorm(x, normalizedShape: [3], eps: 0.125).toArray(Float.self))
        let images = Tensor.arange(0, 16).reshape([1, 4, 2, 2]).float()
        #expect(GroupNorm(2, 4, eps: eps)(images).toArray(Float.self)
                == groupNorm(images, numGroups: 2, eps: 0.125).toArray(Float.self))
        #expect(InstanceNorm2d(4, eps: eps)(images).toArray(Float.self) == instanceNorm(images, eps: 0.125).toArray(Float.self))
    }

    @Test func initFunctionsTakeVariables() {
        let mean = 1, std: Float = 0.5, gain: Float = 2, a = 0, lo: Float = -0.5, hi = 3
        func drawn(_ fill: (Tensor, Generator) -> Tensor) -> [Float] {
            fill(Tensor.zeros([4, 3]), Generator().manualSeed(0)).toArray(Float.self)
        }
        #expect(drawn { normal_($0, mean: mean, std: std, generator: $1) } == drawn { normal_($0, mean: 1.0, std: 0.5, generator: $1) })
        #expect(drawn { uniform_($0, a: lo, b: hi, generator: $1) } == drawn { uniform_($0, a: -0.5, b: 3.0, generator: $1) })
        #expect(drawn { xavierUniform_($0, gain: gain, generator: $1) } == drawn { xavierUniform_($0, gain: 2.0, generator: $1) })
        #expect(drawn { xavierNormal_($0, gain: gain, generator: $1) } == drawn { xavierNormal_($0, gain: 2.0, generator: $1) })
        #expect(drawn { kaimingUniform_($0, a: a, generator: $1) } == drawn { kaimingUniform_($0, a: 0.0, generator: $1) })
        #expect(drawn { kaimingNormal_($0, a: gain, generator: $1) } == drawn { kaimingNormal_($0, a: 2.0, generator: $1) })
        #expect(drawn { truncNormal_($0, mean: mean, std: std, a: lo, b: hi, generator: $1) }
                == drawn { truncNormal_($0, mean: 1.0, std: 0.5, a: -0.5, b: 3.0, generator: $1) })
        #expect(drawn { orthogonal_($0, gain: gain, generator: $1) } == drawn { orthogonal_($0, gain: 2.0, generator: $1) })
        // sparse_ draws its zeroed rows from the default generator, as PyTorch does.
        #expect(withDefaultGenerator(Generator().manualSeed(0)) { drawn { sparse_($0, sparsity: std, std: std, generator: $1) } }
                == withDefaultGenerator(Generator().manualSeed(0)) { drawn { sparse_($0, sparsity: 0.5, std: 0.5, generator: $1) } })
        #expect(calculateGain(.leakyRelu, param: std) == calculateGain(.leakyRelu, param: 0.5))
        #expect(calculateGain(.leakyRelu, param: nil) == calculateGain(.leakyRelu))
    }

    @Test func gradientClippingTakesVariables() {
        func clipped(_ clip: ([Tensor]) -> Tensor) -> [Float] {
            let a = Tensor([1.0, 2.0]).requiresGrad_(), b = Tensor([3.0]).requiresGrad_()
            a.grad = Tensor([3.0, -4.0])
            b.grad = Tensor([12.0])
            let total = clip([a, b]).item(as: Float.self)
            return [total] + a.grad!.toArray(Float.self) + b.grad!.toArray(Float.self)
        }
        let maxNorm: Float = 6.5, two = 2, one: Int64 = 1, limit = 5
        let literal = clipped { clipGradNorm_($0, maxNorm: 6.5, normType: 2.0) }
        #expect(literal[0] == 13 && Swift.abs(literal[1] - 1.5) < 1e-6)
        #expect(clipped { clipGradNorm_($0, maxNorm: maxNorm, normType: two) } == literal)
        #expect(clipped { clipGradNorm_($0, maxNorm: maxNorm, normType: one) }
                == clipped { clipGradNorm_($0, maxNorm: 6.5, normType: 1.0) })
        #expect(clipped { clipGradNorm_($0, maxNorm: maxNorm, normType: .infinity) }[0] == 12)
        #expect(clipped { clipGradValue_($0, clipValue: limit); return Tensor(0.0) } == [0, 3, -4, 5])
    }

    @Test func samplingAndDistributionsTakeVariables() {
        let mean = 2, std: Float = 0.5, p: Float = 0.25, lo = -1, hi: Float = 1.5
        func drawn(_ draw: (Generator) -> Tensor) -> [Float] { draw(Generator().manualSeed(0)).toArray(Float.self) }
        #expect(drawn { normal(mean: mean, std: std, size: [5], generator: $0) }
                == drawn { normal(mean: 2.0, std: 0.5, size: [5], generator: $0) })
        let means = Tensor([0.0, 1.0, 2.0])
        #expect(drawn { normal(mean: means, std: std, generator: $0) } == drawn { normal(mean: means, std: 0.5, generator: $0) })
        #expect(drawn { Tensor.zeros([6]).bernoulli(p: p, generator: $0) } == drawn { Tensor.zeros([6]).bernoulli(p: 0.25, generator: $0) })
        #expect(drawn { Tensor.zeros([6]).uniform_(from: lo, to: hi, generator: $0) }
                == drawn { Tensor.zeros([6]).uniform_(from: -1.0, to: 1.5, generator: $0) })
        #expect(drawn { Tensor.zeros([6]).exponential_(lambd: mean, generator: $0) }
                == drawn { Tensor.zeros([6]).exponential_(lambd: 2.0, generator: $0) })
        #expect(drawn { Tensor.zeros([6]).geometric_(p: p, generator: $0) } == drawn { Tensor.zeros([6]).geometric_(p: 0.25, generator: $0) })
        let sampler = WeightedRandomSampler([Float(1), 0, 3], numSamples: 4, generator: Generator().manualSeed(0))
        #expect(sampler.weights.toArray(Double.self) == [1, 0, 3])
    }

    @Test func reductionsAndNumericOptionsTakeVariables() {
        let x = Tensor([[1.0, -2.0, 4.0], [0.5, 3.0, -8.0]])
        let p = 1, q: Float = 0.25, correction = 0, tolerance: Float = 0.5
        #expect(x.norm(p: p).item() == 18.5)
        #expect(norm(x, p: p, dim: 1).toArray(Float.self) == [7, 11.5])
        #expect(x.norm(p: .infinity).item() == 8)
        #expect(x.norm(p: -Double.infinity).item() == 0.5)
        #expect(linalg.norm(x.flatten(), ord: p).item() == 18.5)
        #expect(x.var(correction: correction).item() == x.var(correction: 0.0).item())
        #expect(x.std(dim: 1, correction: correction).toArray(Float.self) == x.std(dim: 1, correction: 0.0).toArray(Float.self))
        #expect(x.quantile(q).item() == x.quantile(0.25).item())
        #expect(allclose(x, x + 0.25, atol: tolerance))
        #expect(!allclose(x, x + 0.25))
        #expect(isclose(x, x + 0.25, rtol: correction, atol: tolerance).all().item(as: Bool.self))
        let inf = Tensor([Double.infinity, -Double.infinity, Double.nan])
        let top: Float = 4, fill = 0
        #expect(inf.nanToNum(nan: fill, posinf: top, neginf: nil).toArray(Float.self) == [4, -Float.greatestFiniteMagnitude, 0])
        #expect(nanToNum(inf, posinf: top, neginf: -top).toArray(Float.self) == [4, -4, 0])
        let padValue: Float = 0.5
        #expect(pad(Tensor([1.0]), [1, 1], value: padValue).toArray(Float.self) == [0.5, 1, 0.5])
        #expect(ConstantPad1d([1, 0], fill)(Tensor([[1.0]])).toArray(Float.self) == [0, 1])
        let image = Tensor.arange(0, 4).reshape([1, 1, 2, 2]).float()
        let scale = 2
        #expect(interpolate(image, scaleFactor: [scale, scale]).shape == [1, 1, 4, 4])
        #expect(interpolate(image, scaleFactor: [scale, scale]).toArray(Float.self)
                == interpolate(image, scaleFactor: [2.0, 2.0]).toArray(Float.self))
        #expect(Upsample(scaleFactor: [scale, scale])(image).toArray(Float.self)
                == interpolate(image, scaleFactor: [2.0, 2.0]).toArray(Float.self))
    }
}
