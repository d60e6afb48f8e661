import Foundation
import Torch

// pytorch/examples dcgan/main.py (BSD licence), ported line by line. Run on the bundled
// digits upsampled to 64×64 at small widths; scripts/examples/dcgan.py is the PyTorch side
// at the same sizes.

/// The two networks of main.py (in a namespace: `Generator` is also Torch's random generator).
enum DCGAN {
    /// DCGAN's generator: noise `(N, nz, 1, 1)` up to an image `(N, nc, 64, 64)` in [-1, 1].
    final class Generator: Module {
        let main: Sequential
        init(nz: Int, ngf: Int, nc: Int) {
            main = Sequential(
                // input is Z, going into a convolution
                ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias: false),
                BatchNorm2d(ngf * 8),
                ReLU(true),
                // state size. (ngf*8) x 4 x 4
                ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias: false),
                BatchNorm2d(ngf * 4),
                ReLU(true),
                // state size. (ngf*4) x 8 x 8
                ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias: false),
                BatchNorm2d(ngf * 2),
                ReLU(true),
                // state size. (ngf*2) x 16 x 16
                ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias: false),
                BatchNorm2d(ngf),
                ReLU(true),
                // state size. (ngf) x 32 x 32
                ConvTranspose2d(ngf, nc, 4, 2, 1, bias: false),
                Tanh()
                // state size. (nc) x 64 x 64
            )
            super.init()
        }
        override func forward(_ input: Tensor) -> Tensor { main(input) }
    }

    /// DCGAN's discriminator: an image to the probability that it is real.
    final class Discriminator: Module {
        let main: Sequential
        init(ndf: Int, nc: Int) {
            main = Sequential(
                // input is (nc) x 64 x 64
                Conv2d(nc, ndf, 4, 2, 1, bias: false),
                LeakyReLU(0.2, inplace: true),
                // state size. (ndf) x 32 x 32
                Conv2d(ndf, ndf * 2, 4, 2, 1, bias: false),
                BatchNorm2d(ndf * 2),
                LeakyReLU(0.2, inplace: true),
                // state size. (ndf*2) x 16 x 16
                Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias: false),
                BatchNorm2d(ndf * 4),
                LeakyReLU(0.2, inplace: true),
                // state size. (ndf*4) x 8 x 8
                Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias: false),
                BatchNorm2d(ndf * 8),
                LeakyReLU(0.2, inplace: true),
                // state size. (ndf*8) x 4 x 4
                Conv2d(ndf * 8, 1, 4, 1, 0, bias: false),
                Sigmoid()
            )
            super.init()
        }
        override func forward(_ input: Tensor) -> Tensor {
            let output = main(input)
            return output.view(-1, 1).squeeze(1)
        }
    }
}

/// Custom weights initialisation called on netG and netD: N(0, 0.02) convolutions, N(1, 0.02)
/// batch-norm scales, zero shifts (main.py matches on the class name; so does this).
func weightsInit(_ m: Module) {
    let classname = String(describing: type(of: m))
    if classname.contains("Conv") {
        normal_((m as! ConvolutionLayer).weight, mean: 0.0, std: 0.02)
    } else if classname.contains("BatchNorm") {
        let bn = m as! BatchNorm2d
        normal_(bn.weight!, mean: 1.0, std: 0.02)
        zeros_(bn.bias!)
    }
}

/// Trains DCGAN for `steps` batches of the first epoch, in `dtype` (float32 as main.py; the
/// test also runs float64, where rounding does not drive the GAN's chaotic dynamics).
func runDCGAN(steps: Int, dtype: DType = .float32) -> PortedRun {
    var run = PortedRun()
    let (batchSize, imageSize, nz, ngf, ndf, niter, lr, beta1, manualSeed) = (16, 64, 16, 8, 8, 1, 0.0002, 0.5, 999)
    run.lines.append("Random Seed:  \(manualSeed)")
    Torch.manualSeed(manualSeed)

    let digits = Digits(train: true)
    var images = interpolate(digits.images, size: [imageSize, imageSize], mode: .bilinear, alignCorners: false)
    images = ((images - 0.5) / 0.5).to(dtype)
    let dataset = TensorDataset(images, digits.labels)
    let nc = 1
    let dataloader = DataLoader(dataset, batchSize: batchSize, shuffle: true)

    let netG = DCGAN.Generator(nz: nz, ngf: ngf, nc: nc)
    netG.apply(weightsInit)
    netG.to(dtype)
    run.lines += netG.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    let netD = DCGAN.Discriminator(ndf: ndf, nc: nc)
    netD.apply(weightsInit)
    netD.to(dtype)
    run.lines += netD.description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    let criterion = BCELoss()
    _ = Tensor.randn([batchSize, nz, 1, 1], dtype: dtype)   // fixed_noise: drawn, as main.py draws it, for the image dumps
    let (realLabel, fakeLabel) = (1, 0)
    let optimizerD = Adam(netD.parameters(), lr: lr, betas: (beta1, 0.999))
    let optimizerG = Adam(netG.parameters(), lr: lr, betas: (beta1, 0.999))

    for epoch in 0..<niter {
        for (i, data) in dataloader.enumerated() {
            // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
            // train with real
            netD.zeroGrad()
            let realCPU = data.0
            let batchSize = realCPU.size(0)
            let label = Tensor.full([batchSize], realLabel, dtype: realCPU.dtype)
            var output = netD(realCPU)
            let errDReal = criterion(output, label)
            errDReal.backward()
            let dX = output.mean().item()

            // train with fake
            let noise = Tensor.randn([batchSize, nz, 1, 1], dtype: dtype)
            let fake = netG(noise)
            label.fill_(fakeLabel)
            output = netD(fake.detach())
            let errDFake = criterion(output, label)
            errDFake.backward()
            let dGZ1 = output.mean().item()
            let errD = errDReal + errDFake
            optimizerD.step()

            // (2) Update G network: maximize log(D(G(z)))
            netG.zeroGrad()
            label.fill_(realLabel)   // fake labels are real for generator cost
            output = netD(fake)
            let errG = criterion(output, label)
            errG.backward()
            let dGZ2 = output.mean().item()
            optimizerG.step()

            run.lines.append("[\(epoch)/\(niter)][\(i)/\(dataloader.count)] Loss_D: \(fixed(errD.item())) "
                             + "Loss_G: \(fixed(errG.item())) D(x): \(fixed(dX)) D(G(z)): \(fixed(dGZ1)) / \(fixed(dGZ2))")
            run.losses += [errD.item(), errG.item()]
            run.extras += [dX, dGZ1, dGZ2]
            if i + 1 >= steps { break }
        }
    }
    return run
}
