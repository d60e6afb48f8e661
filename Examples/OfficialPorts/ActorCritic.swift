import Foundation
import Torch

// pytorch/examples reinforcement_learning/actor_critic.py, ported as a new user would write
// it, on the Swift cart-pole of Examples/Ported/CartPole.swift (gymnasium's CartPole-v1
// dynamics) instead of `gym.make('CartPole-v1')`.

/// `SavedAction = namedtuple('SavedAction', ['log_prob', 'value'])`.
struct SavedAction {
    let logProb: Tensor
    let value: Tensor
}

/// Implements both actor and critic in one model.
final class ActorCriticPolicy: Module {
    let affine1 = Linear(4, 128)
    // actor's layer
    let actionHead = Linear(128, 2)
    // critic's layer
    let valueHead = Linear(128, 1)

    // action & reward buffer
    var savedActions: [SavedAction] = []
    var rewards: [Double] = []

    /// Forward of both actor and critic: the action probabilities and the state's value.
    func callAsFunction(_ x: Tensor) -> (Tensor, Tensor) {
        let x = relu(affine1(x))

        // actor: choses action to take from state s_t
        // by returning probability of each action
        let actionProb = softmax(actionHead(x), dim: -1)

        // critic: evaluates being in the state s_t
        let stateValues = valueHead(x)

        // return values for both actor and critic as a tuple of 2 values:
        // 1. a list with the probability of each action over the action space
        // 2. the value from state s_t
        return (actionProb, stateValues)
    }
}

/// Runs actor-critic for `episodes` episodes (or until solved); one loss per episode.
func runActorCritic(episodes: Int = 3, gamma: Double = 0.99, seed: Int = 543, logInterval: Int = 10) -> PortedRun {
    var run = PortedRun()
    var env = CartPole()
    _ = env.reset(seed: UInt64(seed))
    manualSeed(seed)

    let model = ActorCriticPolicy()
    let optimizer = Adam(model.parameters(), lr: 3e-2)
    let eps = Double(Float.ulpOfOne)

    func selectAction(_ state: [Float]) -> Int {
        let state = Tensor(state).float()
        let (probs, stateValue) = model(state)

        // create a categorical distribution over the list of probabilities of actions
        let m = Categorical(probs: probs)

        // and sample an action using the distribution
        let action = m.sample()

        // save to action buffer
        model.savedActions.append(SavedAction(logProb: m.logProb(action), value: stateValue))

        // the action to take (left or right)
        return action.item(as: Int.self)
    }

    /// Training code. Calculates actor and critic loss and performs backprop.
    func finishEpisode() {
        var R = 0.0
        let savedActions = model.savedActions
        var policyLosses: [Tensor] = []   // list to save actor (policy) loss
        var valueLosses: [Tensor] = []    // list to save critic (value) loss
        var returns: [Double] = []        // list to save the true values

        // calculate the true value using rewards returned from the environment
        for r in model.rewards.reversed() {
            // calculate the discounted value
            R = r + gamma * R
            returns.insert(R, at: 0)
        }

        var returnsTensor = Tensor(returns.map { Float($0) })
        returnsTensor = (returnsTensor - returnsTensor.mean()) / (returnsTensor.std() + eps)

        for (saved, R) in zip(savedActions, returnsTensor) {
            let advantage = R - saved.value.item()

            // calculate actor (policy) loss
            policyLosses.append(-saved.logProb * advantage)

            // calculate critic (value) loss using L1 smooth loss
            valueLosses.append(smoothL1Loss(saved.value, Tensor([R.item(as: Float.self)])))
        }

        // reset gradients
        optimizer.zeroGrad()

        // sum up all the values of policy_losses and value_losses
        let loss = stack(policyLosses).sum() + stack(valueLosses).sum()

        // perform backprop
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())

        // reset rewards and action buffer
        model.rewards.removeAll()
        model.savedActions.removeAll()
    }

    var runningReward = 10.0

    // run infinitely many episodes
    for iEpisode in 1... {
        // reset environment and episode reward
        var state = env.reset()
        var epReward = 0.0

        // for each episode, only run 9999 steps so that we don't
        // infinite loop while learning
        var t = 1
        while t < 10000 {
            // select action from policy
            let action = selectAction(state)

            // take the action
            let (next, reward, terminated) = env.step(action)
            state = next

            model.rewards.append(reward)
            epReward += reward
            if terminated { break }
            t += 1
        }

        // update cumulative reward
        runningReward = 0.05 * epReward + (1 - 0.05) * runningReward

        // perform backprop
        finishEpisode()
        run.extras += [epReward, runningReward]

        // log results
        if iEpisode % logInterval == 0 {
            run.lines.append("Episode \(iEpisode)\tLast reward: \(fixed(epReward, 2))\tAverage reward: \(fixed(runningReward, 2))")
        }

        // check if we have "solved" the cart pole problem
        if runningReward > CartPole.rewardThreshold {
            run.lines.append("Solved! Running reward is now \(runningReward) and the last episode runs to \(t) time steps!")
            break
        }
        if iEpisode >= episodes { break }
    }
    return run
}
