import Foundation

/// The cart-pole of gymnasium's `CartPole-v1`, written in Swift for the REINFORCE port: the
/// same constants, Euler steps, termination test and float32 observations. Start states are
/// uniform in [-0.05, 0.05) from a SplitMix64 stream (gymnasium draws them from NumPy's
/// generator); `scripts/examples/reinforce.py` holds the identical Python environment.
struct CartPole {
    static let gravity = 9.8, masscart = 1.0, masspole = 0.1, length = 0.5, forceMag = 10.0, tau = 0.02
    static let totalMass = masspole + masscart
    static let polemassLength = masspole * length
    static let thetaThresholdRadians = 12 * 2 * Double.pi / 360
    static let xThreshold = 2.4
    /// The running reward at which the task counts as solved.
    static let rewardThreshold = 475.0

    private var rngState: UInt64 = 0
    /// Position, velocity, angle and angular velocity, kept in double precision.
    private(set) var state: [Double] = []

    private mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        // SplitMix64, then the top 53 bits as a double in [0, 1).
        rngState &+= 0x9E37_79B9_7F4A_7C15
        var z = rngState
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return low + (high - low) * (Double(z >> 11) * 0x1p-53)
    }

    /// Starts an episode (reseeding the start-state stream when `seed` is given) and returns
    /// the first observation.
    mutating func reset(seed: UInt64? = nil) -> [Float] {
        if let seed { rngState = seed }
        state = (0..<4).map { _ in nextUniform(-0.05, 0.05) }
        return state.map { Float($0) }
    }

    /// Pushes the cart left (0) or right (1); returns the observation, the reward and
    /// whether the pole fell or the cart left the track.
    mutating func step(_ action: Int) -> (observation: [Float], reward: Double, terminated: Bool) {
        var (x, xDot, theta, thetaDot) = (state[0], state[1], state[2], state[3])
        let force = action == 1 ? Self.forceMag : -Self.forceMag
        let costheta = cos(theta), sintheta = sin(theta)
        let temp = (force + Self.polemassLength * (thetaDot * thetaDot) * sintheta) / Self.totalMass
        let thetaacc = (Self.gravity * sintheta - costheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.masspole * (costheta * costheta) / Self.totalMass))
        let xacc = temp - Self.polemassLength * thetaacc * costheta / Self.totalMass
        x = x + Self.tau * xDot
        xDot = xDot + Self.tau * xacc
        theta = theta + Self.tau * thetaDot
        thetaDot = thetaDot + Self.tau * thetaacc
        state = [x, xDot, theta, thetaDot]
        let terminated = x < -Self.xThreshold || x > Self.xThreshold
            || theta < -Self.thetaThresholdRadians || theta > Self.thetaThresholdRadians
        return (state.map { Float($0) }, 1.0, terminated)
    }
}
