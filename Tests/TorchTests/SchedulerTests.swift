import Foundation
import Testing
@testable import Torch

/// 30-epoch learning-rate sequences recorded from PyTorch 2.15 (SGD, lr 0.1, momentum 0.9),
/// and gradient clipping against PyTorch's results.
@Suite struct SchedulerTests {
    /// The learning rate at epochs 0..<30 of the scheduler `make` builds.
    func sequence(metrics: [Double]? = nil, _ make: (Optimizer) -> AnyObject) -> [Double] {
        let p = Tensor.zeros([1], requiresGrad: true)
        let opt = SGD([p], lr: 0.1, momentum: 0.9)
        let scheduler = make(opt)
        var out = [opt.paramGroups[0].lr]
        for e in 0..<29 {
            switch scheduler {
            case let s as LRScheduler: s.step()
            case let s as SequentialLR: s.step()
            case let s as ReduceLROnPlateau: s.step(metrics![e])
            default: break
            }
            out.append(opt.paramGroups[0].lr)
        }
        return out
    }

    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 + 1e-9 * abs($1) }
    }

    @Test func stepMultiStepAndExponential() {
        #expect(close(sequence { StepLR($0, stepSize: 7, gamma: 0.5) },
                      [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.0125, 0.00625, 0.00625]))
        #expect(close(sequence { MultiStepLR($0, milestones: [5, 12, 20], gamma: 0.3) },
                      [0.1, 0.1, 0.1, 0.1, 0.1] + Array(repeating: 0.03, count: 7) + Array(repeating: 0.009, count: 8) + Array(repeating: 0.0027, count: 10)))
        #expect(close(sequence { ExponentialLR($0, gamma: 0.9) }, (0..<30).map { 0.1 * Foundation.pow(0.9, Double($0)) }))
    }

    @Test func cosineSchedules() {
        #expect(close(sequence { CosineAnnealingLR($0, tMax: 10, etaMin: 0.01) },
                      [0.1, 0.09779754323328192, 0.09140576474687263, 0.08145033635316129, 0.06890576474687264, 0.05500000000000001, 0.04109423525312737, 0.028549663646838717, 0.01859423525312737, 0.012202456766718092, 0.01, 0.012202456766718092, 0.0185942352531274, 0.028549663646838794, 0.04109423525312751, 0.05500000000000021, 0.0689057647468729, 0.08145033635316161, 0.09140576474687301, 0.09779754323328231, 0.10000000000000041, 0.09779754323328231, 0.09140576474687302, 0.08145033635316161, 0.06890576474687289, 0.055000000000000195, 0.041094235253127505, 0.028549663646838794, 0.01859423525312741, 0.012202456766718104]))
        #expect(close(sequence { CosineAnnealingWarmRestarts($0, t0: 3, tMult: 2, etaMin: 0.001) },
                      [0.1, 0.07525000000000001, 0.025750000000000012, 0.1, 0.09336825748732973, 0.07525000000000001, 0.0505, 0.025750000000000012, 0.007631742512670284, 0.1, 0.09831332840130888, 0.09336825748732973, 0.0855017856687341, 0.07525000000000001, 0.06331154273257478, 0.0505, 0.03768845726742523, 0.025750000000000012, 0.0154982143312659, 0.007631742512670284, 0.0026866715986911243, 0.1, 0.09957652063800362, 0.09831332840130888, 0.0962320368593087, 0.09336825748732973, 0.08977099034441614, 0.0855017856687341, 0.08063369073593167, 0.07525000000000001]))
    }

    @Test func linearLambdaAndSequential() {
        #expect(close(sequence { LinearLR($0, startFactor: 0.25, endFactor: 1, totalIters: 8) },
                      [0.025, 0.034375, 0.043750000000000004, 0.053125, 0.0625, 0.071875, 0.08124999999999999, 0.090625] + Array(repeating: 0.1, count: 22)))
        #expect(close(sequence { LambdaLR($0) { 1 / (1 + Double($0)) } }, (0..<30).map { 0.1 / (1 + Double($0)) }))
        #expect(close(sequence { opt in
            SequentialLR(opt, schedulers: [LinearLR(opt, startFactor: 0.1, endFactor: 1, totalIters: 4), ExponentialLR(opt, gamma: 0.8)], milestones: [5])
        }, [0.01, 0.0325, 0.055, 0.0775, 0.1] + (0..<25).map { 0.1 * Foundation.pow(0.8, Double($0)) }))
    }

    @Test func oneCycleRateAndMomentum() {
        #expect(close(sequence { OneCycleLR($0, maxLR: 1, totalSteps: 30) },
                      [0.04, 0.07653782439458245, 0.1805887450304573, 0.33631195246475687, 0.52, 0.703688047535243, 0.8594112549695427, 0.9634621756054176, 1.0, 0.9944154354509117, 0.9777864917474588, 0.9504846320134737, 0.9131197346804488, 0.8665264698111694, 0.8117456539497631, 0.750001, 0.6826717815011489, 0.6112620219362893, 0.537366897333025, 0.46263710266697505, 0.38874197806371075, 0.31733221849885124, 0.2500030000000001, 0.18825834605023697, 0.1334775301888306, 0.08688426531955129, 0.049519367986526286, 0.02221750825254118, 0.005588564549088188, 4e-06]))
        let opt = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1, momentum: 0.9)
        let s = OneCycleLR(opt, maxLR: 1, totalSteps: 30)
        for _ in 0..<5 { s.step() }
        #expect(abs(opt.paramGroups[0]["momentum"]! - 0.8808658283817454) < 1e-12)
    }

    @Test func plateauCutsAfterPatience() {
        let metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.79999, 0.7] + Array(repeating: 0.7, count: 20)
        #expect(close(sequence(metrics: metrics) { ReduceLROnPlateau($0, factor: 0.5, patience: 2) },
                      [0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.00625, 0.00625, 0.00625, 0.003125, 0.003125, 0.003125, 0.0015625, 0.0015625, 0.0015625, 0.00078125, 0.00078125]))
    }

    @Test func schedulerResumesFromItsStateDict() {
        let opt = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1)
        let s = StepLR(opt, stepSize: 3, gamma: 0.5)
        for _ in 0..<4 { s.step() }
        let resumed = StepLR(SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1), stepSize: 3, gamma: 0.5)
        resumed.loadStateDict(s.stateDict())
        s.step(); resumed.step()
        #expect(resumed.getLastLR() == s.getLastLR() && s.getLastLR() == [0.05])
    }

    @Test func plateauAndSequentialResume() {
        let opt = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1)
        let plateau = ReduceLROnPlateau(opt, factor: 0.5, patience: 1)
        for m in [1.0, 1.0] { plateau.step(m) }
        let copy = ReduceLROnPlateau(opt, factor: 0.5, patience: 1)
        copy.loadStateDict(plateau.stateDict())
        copy.step(1.0)
        #expect(opt.paramGroups[0].lr == 0.05)
        let opt2 = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1)
        let chain = SequentialLR(opt2, schedulers: [ExponentialLR(opt2, gamma: 0.5), StepLR(opt2, stepSize: 2)], milestones: [3])
        for _ in 0..<4 { chain.step() }
        let state = chain.stateDict()
        #expect(state["last_epoch"] == 4 && state["schedulers.1.last_epoch"] == 1)
    }

    @Test func clipGradNormMatchesPyTorch() {
        let a = Tensor([1.0, 2.0], requiresGrad: true), b = Tensor([[3.0, -4.0]], requiresGrad: true)
        a.grad = Tensor([3.0, 4.0]); b.grad = Tensor([[12.0, 0.0]])
        #expect(clipGradNorm_([a, b], maxNorm: 6.5).item() == 13)
        #expect(zip(a.grad!.toArray(Float.self), [1.4999998807907104, 1.9999998807907104]).allSatisfy { abs($0 - Float($1)) < 1e-6 })
        a.grad = Tensor([3.0, 4.0]); b.grad = Tensor([[12.0, -20.0]])
        #expect(clipGradNorm_([a, b], maxNorm: 5, normType: .infinity).item() == 20)
        #expect(zip(b.grad!.toArray(Float.self), [2.999999761581421, -4.999999523162842]).allSatisfy { abs($0 - Float($1)) < 1e-6 })
        clipGradValue_([b], clipValue: 1)
        #expect(b.grad!.toArray(Float.self) == [1, -1])
    }
}
