"""pytorch/examples reinforcement_learning/reinforce.py on a cart-pole written here (gymnasium's
CartPole-v1 dynamics, with its own seeded start states): the PyTorch side of
`swifttorch example reinforce` (Examples/Ported/Reinforce.swift, Examples/Ported/CartPole.swift).

Kept as the original writes it: the policy (Linear 4-128, Dropout 0.6, ReLU, Linear 128-2,
softmax), Adam at 1e-2, Categorical sampling, discounted and normalised returns, the loss, the
running reward and the log line. Changed: the environment is the class below instead of
`gym.make('CartPole-v1')` (gymnasium is not a dependency here, and its start states come from
NumPy's generator, which the Swift side would have to reimplement), and an episode limit.

Usage: python3 scripts/examples/reinforce.py [--json OUT] [--episodes N]
"""
import argparse
import math
from collections import deque
from itertools import count

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.distributions import Categorical
from report import report

MASK = (1 << 64) - 1


class CartPole:
    """gymnasium's CartPole-v1: the same constants, Euler steps, termination and float32
    observations; start states uniform in [-0.05, 0.05) from a SplitMix64 stream."""
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    theta_threshold_radians = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    reward_threshold = 475.0

    def __init__(self):
        self.rng_state = 0
        self.state = None

    def _next_uniform(self, low, high):
        # SplitMix64, then the top 53 bits as a double in [0, 1).
        self.rng_state = (self.rng_state + 0x9E3779B97F4A7C15) & MASK
        z = self.rng_state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z = z ^ (z >> 31)
        return low + (high - low) * ((z >> 11) * 2.0 ** -53)

    def reset(self, seed=None):
        if seed is not None:
            self.rng_state = seed
        self.state = [self._next_uniform(-0.05, 0.05) for _ in range(4)]
        return np.array(self.state, dtype=np.float32), {}

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        temp = (force + self.polemass_length * theta_dot ** 2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta ** 2 / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * xacc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * thetaacc
        self.state = [x, x_dot, theta, theta_dot]
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        return np.array(self.state, dtype=np.float32), 1.0, terminated, False, {}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--gamma", type=float, default=0.99)
    parser.add_argument("--seed", type=int, default=543)
    parser.add_argument("--log-interval", type=int, default=10)
    args = parser.parse_args()

    env = CartPole()
    env.reset(seed=args.seed)
    torch.manual_seed(args.seed)

    class Policy(nn.Module):
        def __init__(self):
            super().__init__()
            self.affine1 = nn.Linear(4, 128)
            self.dropout = nn.Dropout(p=0.6)
            self.affine2 = nn.Linear(128, 2)
            self.saved_log_probs = []
            self.rewards = []

        def forward(self, x):
            x = self.affine1(x)
            x = self.dropout(x)
            x = F.relu(x)
            action_scores = self.affine2(x)
            return F.softmax(action_scores, dim=1)

    policy = Policy()
    optimizer = optim.Adam(policy.parameters(), lr=1e-2)
    eps = np.finfo(np.float32).eps.item()
    lines, losses, extras = [], [], []

    def select_action(state):
        state = torch.from_numpy(state).float().unsqueeze(0)
        probs = policy(state)
        m = Categorical(probs)
        action = m.sample()
        policy.saved_log_probs.append(m.log_prob(action))
        return action.item()

    def finish_episode():
        R = 0
        policy_loss = []
        returns = deque()
        for r in policy.rewards[::-1]:
            R = r + args.gamma * R
            returns.appendleft(R)
        returns = torch.tensor(returns)
        returns = (returns - returns.mean()) / (returns.std() + eps)
        for log_prob, R in zip(policy.saved_log_probs, returns):
            policy_loss.append(-log_prob * R)
        optimizer.zero_grad()
        policy_loss = torch.cat(policy_loss).sum()
        policy_loss.backward()
        optimizer.step()
        losses.append(policy_loss.item())
        del policy.rewards[:]
        del policy.saved_log_probs[:]

    running_reward = 10
    for i_episode in count(1):
        state, _ = env.reset()
        ep_reward = 0
        for t in range(1, 10000):
            action = select_action(state)
            state, reward, done, _, _ = env.step(action)
            policy.rewards.append(reward)
            ep_reward += reward
            if done:
                break
        running_reward = 0.05 * ep_reward + (1 - 0.05) * running_reward
        finish_episode()
        extras += [ep_reward, running_reward]
        if i_episode % args.log_interval == 0:
            lines.append("Episode {}\tLast reward: {:.2f}\tAverage reward: {:.2f}".format(
                i_episode, ep_reward, running_reward))
        if running_reward > env.reward_threshold:
            lines.append("Solved! Running reward is now {} and the last episode runs to {} time steps!".format(
                running_reward, t))
            break
        if i_episode >= args.episodes:
            break

    report(lines, args.json, losses, extras)


if __name__ == "__main__":
    main()
