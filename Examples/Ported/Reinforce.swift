import Foundation
import Torch

// pytorch/examples reinforcement_learning/reinforce.py (BSD licence), ported line by line,
// on the Swift cart-pole in CartPole.swift.

/// The policy network: state to action probabilities.
final class Policy: Module {
    let affine1 = Linear(4, 128)
    let dropout = Dropout(p: 0.6)
    let affine2 = Linear(128, 2)
    var savedLogProbs: [Tensor] = []
    var rewards: [Double] = []

    override func forward(_ x: Tensor) -> Tensor {
        var x = affine1(x)
        x = dropout(x)
        x = relu(x)
        let actionScores = affine2(x)
        return softmax(actionScores, dim: 1)
    }
}

/// Runs REINFORCE for at most `episodes` episodes (or until solved).
func runReinforce(episodes: Int, gamma: Double = 0.99, seed: Int = 543, logInterval: Int = 10) -> PortedRun {
    var run = PortedRun()
    var env = CartPole()
    _ = env.reset(seed: UInt64(seed))
    manualSeed(seed)

    let policy = Policy()
    let optimizer = Adam(policy.parameters(), lr: 1e-2)
    let eps = Double(Float.ulpOfOne)

    func selectAction(_ state: [Float]) -> Int {
        let state = Tensor(state).float().unsqueeze(0)
        let probs = policy(state)
        let m = Categorical(probs: probs)
        let action = m.sample()
        policy.savedLogProbs.append(m.logProb(action))
        return Int(action.item())
    }

    func finishEpisode() {
        var R = 0.0
        var policyLoss: [Tensor] = []
        var returns: [Double] = []
        for r in policy.rewards.reversed() {
            R = r + gamma * R
            returns.insert(R, at: 0)
        }
        var returnsTensor = Tensor(returns.map { Float($0) })
        returnsTensor = (returnsTensor - returnsTensor.mean()) / (returnsTensor.std() + eps)
        for (logProb, R) in zip(policy.savedLogProbs, returnsTensor) {
            policyLoss.append(-logProb * R)
        }
        optimizer.zeroGrad()
        let loss = cat(policyLoss).sum()
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        policy.rewards.removeAll()
        policy.savedLogProbs.removeAll()
    }

    var runningReward = 10.0
    for iEpisode in 1... {
        var state = env.reset()
        var epReward = 0.0
        var t = 1
        while t < 10000 {
            let action = selectAction(state)
            let (next, reward, done) = env.step(action)
            state = next
            policy.rewards.append(reward)
            epReward += reward
            if done { break }
            t += 1
        }
        runningReward = 0.05 * epReward + (1 - 0.05) * runningReward
        finishEpisode()
        run.extras += [epReward, runningReward]
        if iEpisode % logInterval == 0 {
            run.lines.append("Episode \(iEpisode)\tLast reward: \(fixed(epReward, 2))\tAverage reward: \(fixed(runningReward, 2))")
        }
        if runningReward > CartPole.rewardThreshold {
            run.lines.append("Solved! Running reward is now \(runningReward) and the last episode runs to \(t) time steps!")
            break
        }
        if iEpisode >= episodes { break }
    }
    return run
}
