#if canImport(Glibc)
import Glibc
#endif

/// The base of the epoch-driven learning-rate schedulers (`torch.optim.lr_scheduler`):
/// each subclass gives the learning rate of a group at an epoch in closed form; creating a
/// scheduler applies epoch 0, and each ``step()`` moves one epoch on, as in PyTorch.
open class LRScheduler {
    /// The optimizer whose groups' `lr` this sets.
    public let optimizer: Optimizer
    /// The epoch last applied (0 right after creation).
    public private(set) var lastEpoch: Int
    /// Each group's `initial_lr`.
    public let baseLRs: [Double]
    private var lastLRs: [Double] = []

    /// Attaches to `optimizer`, recording each group's `initial_lr` (kept if already set,
    /// so a resumed or chained schedule starts from the original rates).
    public init(_ optimizer: Optimizer, lastEpoch: Int = -1) {
        self.optimizer = optimizer
        for i in optimizer.paramGroups.indices where optimizer.paramGroups[i]["initial_lr"] == nil {
            optimizer.paramGroups[i]["initial_lr"] = optimizer.paramGroups[i].lr
        }
        baseLRs = optimizer.paramGroups.map { $0["initial_lr"]! }
        self.lastEpoch = lastEpoch
        step()
    }

    /// The learning rate of group `group` (whose `initial_lr` is `base`) at `epoch`.
    open func learningRate(epoch: Int, base: Double, group: Int) -> Double { base }

    /// Moves to the next epoch and sets every group's learning rate.
    public func step() { step(epoch: lastEpoch + 1) }

    /// Moves to `epoch` (as PyTorch's deprecated `step(epoch)`; used by ``SequentialLR``).
    public func step(epoch: Int) {
        lastEpoch = epoch
        lastLRs = baseLRs.indices.map { learningRate(epoch: epoch, base: baseLRs[$0], group: $0) }
        for (i, lr) in lastLRs.enumerated() { optimizer.paramGroups[i].lr = lr }
        didStep(epoch: epoch)
    }

    /// A hook after the rates are set (OneCycleLR cycles momentum here).
    open func didStep(epoch: Int) {}

    /// The learning rates the last step set, one per group (`get_last_lr()`).
    public func getLastLR() -> [Double] { lastLRs }

    /// The scheduler's position (`last_epoch`), to resume a schedule.
    public func stateDict() -> [String: Double] { ["last_epoch": Double(lastEpoch)] }

    /// Resumes at the saved epoch (the optimizer's state dict restores the rates themselves).
    public func loadStateDict(_ state: [String: Double]) {
        if let e = state["last_epoch"] { lastEpoch = Int(e) }
        lastLRs = baseLRs.indices.map { learningRate(epoch: lastEpoch, base: baseLRs[$0], group: $0) }
    }
}

/// Multiplies the rate by `gamma` every `stepSize` epochs (`torch.optim.lr_scheduler.StepLR`).
public final class StepLR: LRScheduler {
    /// Epochs between decays.
    public let stepSize: Int
    /// The decay factor.
    public let gamma: Double
    /// Creates the scheduler (`StepLR(opt, stepSize: 10, gamma: 0.1)`).
    public init(_ optimizer: Optimizer, stepSize: Int, gamma: some ScalarConvertible = 0.1) {
        let gamma = gamma.scalarValue.doubleValue
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer)
    }
    /// `base · gamma^⌊epoch / stepSize⌋`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        base * pow(gamma, Double(epoch / stepSize))
    }
}

/// Multiplies the rate by `gamma` at each milestone epoch (`torch.optim.lr_scheduler.MultiStepLR`).
public final class MultiStepLR: LRScheduler {
    /// The epochs at which the rate decays.
    public let milestones: [Int]
    /// The decay factor.
    public let gamma: Double
    /// Creates the scheduler.
    public init(_ optimizer: Optimizer, milestones: [Int], gamma: some ScalarConvertible = 0.1) {
        let gamma = gamma.scalarValue.doubleValue
        self.milestones = milestones.sorted()
        self.gamma = gamma
        super.init(optimizer)
    }
    /// `base · gamma^(milestones passed)`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        base * pow(gamma, Double(milestones.filter { $0 <= epoch }.count))
    }
}

/// Multiplies the rate by `gamma` every epoch (`torch.optim.lr_scheduler.ExponentialLR`).
public final class ExponentialLR: LRScheduler {
    /// The decay factor.
    public let gamma: Double
    /// Creates the scheduler.
    public init(_ optimizer: Optimizer, gamma: some ScalarConvertible) {
        let gamma = gamma.scalarValue.doubleValue
        self.gamma = gamma
        super.init(optimizer)
    }
    /// `base · gamma^epoch`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double { base * pow(gamma, Double(epoch)) }
}

/// Half a cosine from the base rate down to `etaMin` over `tMax` epochs
/// (`torch.optim.lr_scheduler.CosineAnnealingLR`).
public final class CosineAnnealingLR: LRScheduler {
    /// Epochs of the half period.
    public let tMax: Int
    /// The lowest rate.
    public let etaMin: Double
    /// Creates the scheduler.
    public init(_ optimizer: Optimizer, tMax: Int, etaMin: some ScalarConvertible = 0) {
        let etaMin = etaMin.scalarValue.doubleValue
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(optimizer)
    }
    /// `etaMin + (base - etaMin)(1 + cos(π·epoch/tMax))/2`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(epoch) / Double(tMax))) / 2
    }
}

/// Cosine annealing restarted every `t0` epochs, each period `tMult` times longer (SGDR)
/// (`torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`).
public final class CosineAnnealingWarmRestarts: LRScheduler {
    /// The first period.
    public let t0: Int
    /// Growth of each period.
    public let tMult: Int
    /// The lowest rate.
    public let etaMin: Double
    /// Creates the scheduler.
    public init(_ optimizer: Optimizer, t0: Int, tMult: Int = 1, etaMin: some ScalarConvertible = 0) {
        let etaMin = etaMin.scalarValue.doubleValue
        guard t0 > 0, tMult >= 1 else { torchFatal("ValueError: Expected positive integer T_0 and integer T_mult >= 1") }
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        super.init(optimizer)
    }
    /// The cosine of the epoch's position in its period.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        var current = epoch, period = t0
        if tMult == 1 {
            current = epoch % t0
        } else {
            while current >= period {
                current -= period
                period *= tMult
            }
        }
        return etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(current) / Double(period))) / 2
    }
}

/// Scales the rate linearly from `startFactor` to `endFactor` over `totalIters` epochs
/// (`torch.optim.lr_scheduler.LinearLR`).
public final class LinearLR: LRScheduler {
    /// The first factor.
    public let startFactor: Double
    /// The last factor.
    public let endFactor: Double
    /// Epochs of the ramp.
    public let totalIters: Int
    /// Creates the scheduler with PyTorch's defaults (1/3 → 1 over 5 epochs).
    public init(_ optimizer: Optimizer, startFactor: some ScalarConvertible = 1.0 / 3,
                endFactor: some ScalarConvertible = 1, totalIters: Int = 5) {
        let startFactor = startFactor.scalarValue.doubleValue
        let endFactor = endFactor.scalarValue.doubleValue
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(optimizer)
    }
    /// `base · (start + (end - start)·min(epoch, total)/total)`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        base * (startFactor + (endFactor - startFactor) * Double(Swift.min(epoch, totalIters)) / Double(totalIters))
    }
}

/// `base · lambda(epoch)`, one function for every group (`torch.optim.lr_scheduler.LambdaLR`).
public final class LambdaLR: LRScheduler {
    private let factor: (Int) -> Double
    /// Creates the scheduler.
    public init(_ optimizer: Optimizer, lrLambda: @escaping (Int) -> Double) {
        factor = lrLambda
        super.init(optimizer)
    }
    /// `base · lrLambda(epoch)`.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double { base * factor(epoch) }
}

/// The 1cycle policy (per batch): the rate climbs from `maxLR/divFactor` to `maxLR` over
/// `pctStart` of the steps, then anneals to `initial/finalDivFactor`; momentum (or Adam's
/// β₁) cycles the other way between `maxMomentum` and `baseMomentum`
/// (`torch.optim.lr_scheduler.OneCycleLR`).
public final class OneCycleLR: LRScheduler {
    /// The peak rate.
    public let maxLR: Double
    /// Steps in the whole cycle.
    public let totalSteps: Int
    /// Fraction of the steps spent climbing.
    public let pctStart: Double
    /// `initial = maxLR / divFactor`.
    public let divFactor: Double
    /// `final = initial / finalDivFactor`.
    public let finalDivFactor: Double
    /// Whether momentum cycles.
    public let cycleMomentum: Bool
    /// The momentum at the peak rate.
    public let baseMomentum: Double
    /// The momentum at the start and end.
    public let maxMomentum: Double

    /// Creates the scheduler (cosine annealing, two phases, as PyTorch's defaults).
    public init(_ optimizer: Optimizer, maxLR: some ScalarConvertible, totalSteps: Int,
                pctStart: some ScalarConvertible = 0.3, divFactor: some ScalarConvertible = 25,
                finalDivFactor: some ScalarConvertible = 1e4, cycleMomentum: Bool = true,
                baseMomentum: some ScalarConvertible = 0.85, maxMomentum: some ScalarConvertible = 0.95) {
        let maxLR = maxLR.scalarValue.doubleValue
        let pctStart = pctStart.scalarValue.doubleValue
        let divFactor = divFactor.scalarValue.doubleValue
        let finalDivFactor = finalDivFactor.scalarValue.doubleValue
        let baseMomentum = baseMomentum.scalarValue.doubleValue
        let maxMomentum = maxMomentum.scalarValue.doubleValue
        self.maxLR = maxLR
        self.totalSteps = totalSteps
        self.pctStart = pctStart
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.cycleMomentum = cycleMomentum
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
        for i in optimizer.paramGroups.indices {
            optimizer.paramGroups[i]["initial_lr"] = maxLR / divFactor
            optimizer.paramGroups[i]["max_lr"] = maxLR
            optimizer.paramGroups[i]["min_lr"] = maxLR / divFactor / finalDivFactor
        }
        super.init(optimizer)
    }

    private static func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
    }

    private func phase(_ step: Int) -> (start: Double, end: Double, momentumStart: Double, momentumEnd: Double, pct: Double) {
        let climbEnd = pctStart * Double(totalSteps) - 1, last = Double(totalSteps - 1)
        let s = Double(step)
        if s <= climbEnd {
            return (0, 1, maxMomentum, baseMomentum, s / climbEnd)
        }
        return (1, 2, baseMomentum, maxMomentum, (s - climbEnd) / (last - climbEnd))
    }

    /// The annealed rate of the step's phase.
    public override func learningRate(epoch: Int, base: Double, group: Int) -> Double {
        guard epoch < totalSteps else {
            torchFatal("ValueError: Tried to step \(epoch) times. The specified number of total steps is \(totalSteps)")
        }
        let levels = [base, maxLR, base / finalDivFactor]
        let p = phase(epoch)
        return Self.anneal(levels[Int(p.start)], levels[Int(p.end)], p.pct)
    }

    /// Cycles `momentum` (SGD, RMSprop) or `beta1` (Adam) opposite to the rate.
    public override func didStep(epoch: Int) {
        guard cycleMomentum, epoch < totalSteps else { return }
        let p = phase(epoch)
        let m = Self.anneal(p.momentumStart, p.momentumEnd, p.pct)
        for i in optimizer.paramGroups.indices {
            if optimizer.paramGroups[i]["beta1"] != nil { optimizer.paramGroups[i]["beta1"] = m } else { optimizer.paramGroups[i]["momentum"] = m }
        }
    }
}

/// Runs schedulers one after another, switching at the milestone epochs
/// (`torch.optim.lr_scheduler.SequentialLR`).
public final class SequentialLR {
    /// The schedulers, in order.
    public let schedulers: [LRScheduler]
    /// The epochs at which the next scheduler takes over.
    public let milestones: [Int]
    /// The epoch last applied.
    public private(set) var lastEpoch = 0
    private let optimizer: Optimizer

    /// Chains `schedulers` (built on the same optimizer) at `milestones`.
    public init(_ optimizer: Optimizer, schedulers: [LRScheduler], milestones: [Int]) {
        guard milestones.count == schedulers.count - 1 else {
            torchFatal("ValueError: Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)")
        }
        self.optimizer = optimizer
        self.schedulers = schedulers
        self.milestones = milestones
        schedulers[0].step(epoch: 0)
    }

    /// Moves one epoch on, starting the next scheduler from its epoch 0 at a milestone.
    public func step() {
        lastEpoch += 1
        let index = milestones.filter { $0 <= lastEpoch }.count
        if index > 0 && milestones[index - 1] == lastEpoch {
            schedulers[index].step(epoch: 0)
        } else {
            schedulers[index].step()
        }
    }

    /// The current rates.
    public func getLastLR() -> [Double] { optimizer.paramGroups.map(\.lr) }

    /// The position of the chain and of each scheduler in it (`schedulers.<i>.last_epoch`).
    public func stateDict() -> [String: Double] {
        var d = ["last_epoch": Double(lastEpoch)]
        for (i, s) in schedulers.enumerated() { d["schedulers.\(i).last_epoch"] = s.stateDict()["last_epoch"] }
        return d
    }

    /// Resumes the chain where ``stateDict()`` left it.
    public func loadStateDict(_ state: [String: Double]) {
        if let e = state["last_epoch"] { lastEpoch = Int(e) }
        for (i, s) in schedulers.enumerated() {
            if let e = state["schedulers.\(i).last_epoch"] { s.loadStateDict(["last_epoch": e]) }
        }
    }
}

/// Cuts the rate by `factor` when a watched metric stops improving for `patience` epochs
/// (`torch.optim.lr_scheduler.ReduceLROnPlateau`).
public final class ReduceLROnPlateau {
    /// Whether lower (`min`) or higher (`max`) is better.
    public enum Mode: Sendable {
        /// Lower is better (a loss): reduce when the metric stops falling.
        case min
        /// Higher is better (an accuracy): reduce when the metric stops rising.
        case max
    }
    /// The optimizer adjusted.
    public let optimizer: Optimizer
    /// Whether lower or higher is better.
    public let mode: Mode
    /// The multiplier applied on a plateau.
    public let factor: Double
    /// Epochs without improvement tolerated.
    public let patience: Int
    /// The relative improvement that counts.
    public let threshold: Double
    /// Epochs to wait after a cut.
    public let cooldown: Int
    /// The floor for every group.
    public let minLR: Double
    /// Changes smaller than this are skipped.
    public let eps: Double
    /// The best metric so far.
    public private(set) var best: Double
    private var badEpochs = 0, cooldownCounter = 0

    /// Creates the scheduler with PyTorch's defaults (relative threshold).
    public init(_ optimizer: Optimizer, mode: Mode = .min, factor: some ScalarConvertible = 0.1, patience: Int = 10,
                threshold: some ScalarConvertible = 1e-4, cooldown: Int = 0, minLR: some ScalarConvertible = 0,
                eps: some ScalarConvertible = 1e-8) {
        let factor = factor.scalarValue.doubleValue
        let threshold = threshold.scalarValue.doubleValue
        let minLR = minLR.scalarValue.doubleValue
        let eps = eps.scalarValue.doubleValue
        guard factor < 1 else { torchFatal("ValueError: Factor should be < 1.0.") }
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.cooldown = cooldown
        self.minLR = minLR
        self.eps = eps
        best = mode == .min ? .infinity : -.infinity
    }

    /// Records this epoch's `metric` and cuts the rates after too long a plateau.
    public func step(_ metric: some ScalarConvertible) {
        let metric = metric.scalarValue.doubleValue
        let better = mode == .min ? metric < best * (1 - threshold) : metric > best * (1 + threshold)
        if better {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            for i in optimizer.paramGroups.indices {
                let old = optimizer.paramGroups[i].lr
                let new = Swift.max(old * factor, minLR)
                if old - new > eps { optimizer.paramGroups[i].lr = new }
            }
            cooldownCounter = cooldown
            badEpochs = 0
        }
    }

    /// The current rates.
    public func getLastLR() -> [Double] { optimizer.paramGroups.map(\.lr) }

    /// The plateau tracker's state: best metric, epochs without improvement, cooldown left.
    public func stateDict() -> [String: Double] {
        ["best": best, "num_bad_epochs": Double(badEpochs), "cooldown_counter": Double(cooldownCounter)]
    }

    /// Resumes tracking where ``stateDict()`` left it.
    public func loadStateDict(_ state: [String: Double]) {
        if let b = state["best"] { best = b }
        if let n = state["num_bad_epochs"] { badEpochs = Int(n) }
        if let c = state["cooldown_counter"] { cooldownCounter = Int(c) }
    }
}
