/// `torch.autograd.functional`: Jacobians, Hessians and their products for functions of
/// tensors, built on ``gradients(of:wrt:gradOutputs:retainGraph:createGraph:allowUnused:)``.

/// The `torch.autograd` namespace: `autograd.functional.jacobian(f, x)`.
public enum autograd {
    /// `torch.autograd.functional`.
    public enum functional {
        /// The Jacobian of `f` at `x`, of shape `f(x).shape + x.shape`
        /// (`torch.autograd.functional.jacobian`).
        public static func jacobian(_ f: (Tensor) -> Tensor, _ x: Tensor, createGraph: Bool = false) -> Tensor {
            jacobian({ f($0[0]) }, [x], createGraph: createGraph)[0]
        }

        /// The Jacobian of `f` with respect to each of `inputs`, one tensor per input of
        /// shape `output.shape + input.shape`.
        public static func jacobian(_ f: ([Tensor]) -> Tensor, _ inputs: [Tensor], createGraph: Bool = false) -> [Tensor] {
            let xs = prepare(inputs, createGraph: createGraph)
            let y = enableGrad { f(xs) }
            var rows: [[Tensor]] = xs.map { _ in [] }
            for o in 0..<y.numel {
                var oneHot = [Double](repeating: 0, count: y.numel)
                oneHot[o] = 1
                let v = Tensor(shape: y.shape, scalars: oneHot).to(y.dtype)
                let grads: [Tensor?] = y.requiresGrad
                    ? enableGrad { gradients(of: [y], wrt: xs, gradOutputs: [v], retainGraph: true, createGraph: createGraph, allowUnused: true) }
                    : xs.map { _ in nil }
                for (k, g) in grads.enumerated() { rows[k].append(g ?? Tensor.zerosLike(xs[k])) }
            }
            return rows.enumerated().map { k, r in
                r.isEmpty ? Tensor.zeros(y.shape + xs[k].shape, dtype: xs[k].dtype)
                          : stack(r, dim: 0).reshape(y.shape + xs[k].shape)
            }
        }

        /// The Hessian of a scalar function `f` at `x`, of shape `x.shape + x.shape`
        /// (`torch.autograd.functional.hessian`).
        public static func hessian(_ f: (Tensor) -> Tensor, _ x: Tensor, createGraph: Bool = false) -> Tensor {
            let gradient: (Tensor) -> Tensor = { z in
                let y = f(z)
                checkScalarOutput(y, "hessian")
                return gradients(of: [y], wrt: [z], createGraph: true, allowUnused: true)[0] ?? Tensor.zerosLike(z)
            }
            return jacobian(gradient, x, createGraph: createGraph)
        }

        /// `f(x)` and the vector-Jacobian product `vᵀ·J` (`torch.autograd.functional.vjp`);
        /// `v` may be omitted for a one-element output.
        public static func vjp(_ f: (Tensor) -> Tensor, _ x: Tensor, v: Tensor? = nil, createGraph: Bool = false) -> (output: Tensor, vjp: Tensor) {
            let z = prepare([x], createGraph: createGraph)[0]
            let y = enableGrad { f(z) }
            guard y.requiresGrad else { return (y.detach(), Tensor.zerosLike(x)) }
            let g = enableGrad { gradients(of: [y], wrt: [z], gradOutputs: [v], createGraph: createGraph, allowUnused: true)[0] }
            return (createGraph ? y : y.detach(), g ?? Tensor.zerosLike(x))
        }

        /// `f(x)` and the Jacobian-vector product `J·v` (`torch.autograd.functional.jvp`),
        /// by differentiating a vector-Jacobian product with respect to its vector.
        public static func jvp(_ f: (Tensor) -> Tensor, _ x: Tensor, v: Tensor? = nil, createGraph: Bool = false) -> (output: Tensor, jvp: Tensor) {
            let z = prepare([x], createGraph: createGraph)[0]
            let tangent = v ?? Tensor.onesLike(x)
            return enableGrad {
                let y = f(z)
                guard y.requiresGrad else { return (y.detach(), Tensor.zerosLike(y)) }
                let u = Tensor.zerosLike(y).requiresGrad_()
                let vjpOfU = gradients(of: [y], wrt: [z], gradOutputs: [u], createGraph: true, allowUnused: true)[0]
                guard let vjpOfU, vjpOfU.requiresGrad else { return (y.detach(), Tensor.zerosLike(y)) }
                let jv = gradients(of: [vjpOfU], wrt: [u], gradOutputs: [tangent], createGraph: createGraph, allowUnused: true)[0]
                return (createGraph ? y : y.detach(), jv ?? Tensor.zerosLike(y))
            }
        }

        /// `f(x)` and the Hessian-vector product `H·v` of a scalar function
        /// (`torch.autograd.functional.hvp`).
        public static func hvp(_ f: (Tensor) -> Tensor, _ x: Tensor, v: Tensor, createGraph: Bool = false) -> (output: Tensor, hvp: Tensor) {
            let z = prepare([x], createGraph: createGraph)[0]
            return enableGrad {
                let y = f(z)
                checkScalarOutput(y, "hvp")
                guard let g = gradients(of: [y], wrt: [z], createGraph: true, allowUnused: true)[0], g.requiresGrad else {
                    return (y.detach(), Tensor.zerosLike(x))
                }
                let hv = gradients(of: [g], wrt: [z], gradOutputs: [v], createGraph: createGraph, allowUnused: true)[0]
                return (createGraph ? y : y.detach(), hv ?? Tensor.zerosLike(x))
            }
        }

        /// The inputs as tensors that require grad: detached copies unless the result must
        /// stay connected to the inputs' own history (`createGraph`).
        private static func prepare(_ inputs: [Tensor], createGraph: Bool) -> [Tensor] {
            inputs.map { x in
                if createGraph && x.requiresGrad { return x.view(x.shape) }
                return x.detach().requiresGrad_()
            }
        }

        private static func checkScalarOutput(_ y: Tensor, _ op: String) {
            guard y.numel == 1 else {
                torchFatal("RuntimeError: The Tensor returned by the function given to \(op) should contain a single element")
            }
        }
    }
}
