/// `F.conv3d` over `(N, C, D, H, W)` or `(C, D, H, W)` inputs, composed of 2-D convolutions:
/// each output depth slice is the sum, over the kernel's depth taps, of a `conv2d` of the
/// input slice that tap reads (zero padding in depth becomes padded slices). Autograd goes
/// through the 2-D convolutions. It does `D_out · kd` 2-D convolutions, so it serves
/// correctness and small volumes (video and medical models want a direct kernel)
/// (`torch.nn.functional.conv3d`).
public func conv3d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
                   dilation: [Int] = [1], groups: Int = 1) -> Tensor {
    guard x.dim == 4 || x.dim == 5 else {
        torchFatal("RuntimeError: Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: \(Size(x.shape))")
    }
    guard weight.dim == 5 else {
        torchFatal("RuntimeError: weight should have 5 dimensions for conv3d, but got weight of size \(Size(weight.shape))")
    }
    func triple(_ v: [Int], _ name: String) -> [Int] {
        guard v.count == 1 || v.count == 3 else {
            torchFatal("RuntimeError: conv3d: expected \(name) to be a single integer value or a list of 3 values to match the convolution dimensions, but got \(name)=\(v)")
        }
        return v.count == 1 ? [v[0], v[0], v[0]] : v
    }
    let s = triple(stride, "stride"), p = triple(padding, "padding"), d = triple(dilation, "dilation")
    let input = x.dim == 5 ? x : x.unsqueeze(0)
    let depth = input.shape[2], kd = weight.shape[2]
    let paddedDepth = depth + 2 * p[0]
    let outDepth = (paddedDepth - d[0] * (kd - 1) - 1) / s[0] + 1
    guard outDepth > 0 else {
        torchFatal("RuntimeError: Calculated padded input size per channel: (\(paddedDepth) x \(input.shape[3] + 2 * p[1]) x \(input.shape[4] + 2 * p[2])). Kernel size: (\(kd) x \(weight.shape[3]) x \(weight.shape[4])). Kernel size can't be greater than actual input size")
    }
    let padded = p[0] > 0 ? pad(input, [0, 0, 0, 0, p[0], p[0]]) : input
    let taps = (0..<kd).map { weight.select(2, $0) }   // (out, in/groups, kh, kw) each
    var slices: [Tensor] = []
    for od in 0..<outDepth {
        var sum: Tensor? = nil
        for k in 0..<kd {
            let slice = padded.select(2, od * s[0] + k * d[0])
            let part = conv2d(slice, taps[k], k == 0 ? bias : nil, stride: [s[1], s[2]], padding: .explicit([p[1], p[2]]),
                              dilation: [d[1], d[2]], groups: groups)
            sum = sum.map { $0 + part } ?? part
        }
        slices.append(sum!)
    }
    let out = stack(slices, dim: 2)
    return x.dim == 5 ? out : out.squeeze(0)
}
