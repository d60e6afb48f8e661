import CTorchSIMD
import Testing

/// The C Adadelta loop (`torch_optim.c`) against the update written out in Swift in PyTorch's
/// op order (`square_avg.mul_(ρ).addcmul_(g, g, 1-ρ)`, `sqrt(acc + ε) / sqrt(sq + ε) · g`,
/// `acc.mul_(ρ).addcmul_(δ, δ, 1-ρ)`, `p.add_(δ, alpha: -lr)`), one rounding per op: bit for
/// bit at every width, for both element types, with and without weight decay and maximize.
@Suite(.serialized) struct AdadeltaLoopTests {
    static func reference<T: BinaryFloatingPoint>(_ p: inout [T], _ g: [T], _ sq: inout [T], _ acc: inout [T],
                                                  lr: T, rho: T, eps: T, weightDecay: T, maximize: Bool) {
        let rhoComplement = 1 - rho
        for i in p.indices {
            var d = maximize ? -g[i] : g[i]
            if weightDecay != 0 { d = d + weightDecay * p[i] }
            let s = sq[i] * rho + rhoComplement * d * d
            sq[i] = s
            let delta = (acc[i] + eps).squareRoot() / (s + eps).squareRoot() * d
            acc[i] = acc[i] * rho + rhoComplement * delta * delta
            p[i] = p[i] + (-lr) * delta
        }
    }

    static func values<T: BinaryFloatingPoint>(_ n: Int, _ k: Int, _ scale: T) -> [T] {
        (0..<n).map { T(($0 * k) % 97) * scale - T(40) * scale }
    }

    func check<T: BinaryFloatingPoint>(_: T.Type, width: Int32, weightDecay: T, maximize: Bool,
                                       _ loop: (inout [T], [T], inout [T], inout [T], Int, T, T, T, T, T, Bool) -> Void) {
        let n = 1000 + 13  // a tail after the vector steps at every width
        var p: [T] = Self.values(n, 7, 0.031), sq: [T] = Self.values(n, 5, 0.002).map { abs($0) }
        var acc: [T] = Self.values(n, 3, 0.004).map { abs($0) }
        let g: [T] = Self.values(n, 11, 0.017)
        var (rp, rsq, racc) = (p, sq, acc)
        let (lr, rho, eps): (T, T, T) = (0.7, 0.9, 1e-6)
        for _ in 0..<3 {
            loop(&p, g, &sq, &acc, n, lr, rho, 1 - rho, eps, weightDecay, maximize)
            Self.reference(&rp, g, &rsq, &racc, lr: lr, rho: rho, eps: eps, weightDecay: weightDecay, maximize: maximize)
        }
        #expect(p == rp && sq == rsq && acc == racc, "\(T.self) width \(width) wd \(weightDecay) maximize \(maximize)")
    }

    @Test(arguments: [512, 256, 0])
    func loopMatchesPyTorchsOpOrderBitForBit(width: Int32) {
        st_simd_force_width_on_this_thread(width)
        defer { st_simd_force_width_on_this_thread(-1) }
        for (wd, maximize) in [(0.0, false), (0.01, true)] {
            check(Float.self, width: width, weightDecay: Float(wd), maximize: maximize) {
                torch_adadelta_f32(&$0, $1, &$2, &$3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0)
            }
            check(Double.self, width: width, weightDecay: wd, maximize: maximize) {
                torch_adadelta_f64(&$0, $1, &$2, &$3, $4, $5, $6, $7, $8, $9, $10 ? 1 : 0)
            }
        }
    }
}
