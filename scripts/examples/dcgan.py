"""pytorch/examples dcgan/main.py, run on SwiftTorch's bundled digits upsampled to 64x64 at
small widths: the PyTorch side of `swifttorch example dcgan` (Examples/Ported/DCGAN.swift).

Kept as the original writes it: the Generator and Discriminator stacks, weights_init, BCELoss,
the two Adam optimizers, the real/fake/generator steps and the progress line. Changed: the
dataset (the bundled digits, training split, bilinearly upsampled to imageSize and normalised
to [-1, 1], in place of MNIST through PIL), the sizes (nz 16, ngf 8, ndf 8, batch 16), a step
limit, workers 0, no image files written, and `--double`.

Why `--double`: this GAN is chaotic at float32. PyTorch's own float32 runs on one and on two
threads already differ by 2e-4 (relative) at step 8 and by 5e-3 at step 20, because rounding
differences of 1e-7 grow step by step (Adam turns near-zero gradients into full-size steps).
In float64 rounding starts at 1e-16, so a comparison over 20 steps measures the port and not
the rounding; the float32 run is compared over its first steps only.

Usage: python3 scripts/examples/dcgan.py [--json OUT] [--steps N]
"""
import argparse
import gzip
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from report import report

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def digits_train():
    """SwiftTorch's Digits(train: true): 1437 images in the order of randperm(1797) seeded 0."""
    rows = [list(map(int, line.split(","))) for line in
            gzip.open(os.path.join(ROOT, "Sources/Torch/Resources/digits.csv.gz"), "rt").read().splitlines() if line]
    data = torch.tensor(rows)
    images = (data[:, :64].float() / 16).reshape(-1, 1, 8, 8)
    labels = data[:, 64]
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(0))[:1437]
    return images[order], labels[order]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batchSize", type=int, default=16)
    parser.add_argument("--nz", type=int, default=16)
    parser.add_argument("--ngf", type=int, default=8)
    parser.add_argument("--ndf", type=int, default=8)
    parser.add_argument("--double", action="store_true",
                        help="train in float64 (the networks, the data and the noise)")
    args = parser.parse_args()
    batchSize, imageSize, nz, ngf, ndf, niter, lr, beta1, manualSeed = args.batchSize, 64, args.nz, args.ngf, args.ndf, 1, 0.0002, 0.5, 999
    lines = [f"Random Seed:  {manualSeed}"]
    torch.manual_seed(manualSeed)

    images, labels = digits_train()
    images = F.interpolate(images, size=imageSize, mode="bilinear", align_corners=False)
    images = (images - 0.5) / 0.5
    dtype = torch.float64 if args.double else torch.float32
    images = images.to(dtype)
    dataset = torch.utils.data.TensorDataset(images, labels)
    nc = 1
    dataloader = torch.utils.data.DataLoader(dataset, batch_size=batchSize, shuffle=True, num_workers=0)

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            torch.nn.init.normal_(m.weight, 0.0, 0.02)
        elif classname.find("BatchNorm") != -1:
            torch.nn.init.normal_(m.weight, 1.0, 0.02)
            torch.nn.init.zeros_(m.bias)

    class Generator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
                nn.BatchNorm2d(ngf * 8),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 4),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf * 2),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ngf),
                nn.ReLU(True),
                nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
                nn.Tanh()
            )

        def forward(self, input):
            return self.main(input)

    netG = Generator()
    netG.apply(weights_init)
    netG.to(dtype)
    lines += str(netG).split("\n")

    class Discriminator(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 2),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 4),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, bias=False),
                nn.BatchNorm2d(ndf * 8),
                nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 8, 1, 4, 1, 0, bias=False),
                nn.Sigmoid()
            )

        def forward(self, input):
            output = self.main(input)
            return output.view(-1, 1).squeeze(1)

    netD = Discriminator()
    netD.apply(weights_init)
    netD.to(dtype)
    lines += str(netD).split("\n")

    criterion = nn.BCELoss()
    fixed_noise = torch.randn(batchSize, nz, 1, 1, dtype=dtype)
    real_label = 1
    fake_label = 0
    optimizerD = optim.Adam(netD.parameters(), lr=lr, betas=(beta1, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=lr, betas=(beta1, 0.999))

    losses, extras = [], []
    for epoch in range(niter):
        for i, data in enumerate(dataloader, 0):
            netD.zero_grad()
            real_cpu = data[0]
            batch_size = real_cpu.size(0)
            label = torch.full((batch_size,), real_label, dtype=real_cpu.dtype)
            output = netD(real_cpu)
            errD_real = criterion(output, label)
            errD_real.backward()
            D_x = output.mean().item()

            noise = torch.randn(batch_size, nz, 1, 1, dtype=dtype)
            fake = netG(noise)
            label.fill_(fake_label)
            output = netD(fake.detach())
            errD_fake = criterion(output, label)
            errD_fake.backward()
            D_G_z1 = output.mean().item()
            errD = errD_real + errD_fake
            optimizerD.step()

            netG.zero_grad()
            label.fill_(real_label)
            output = netD(fake)
            errG = criterion(output, label)
            errG.backward()
            D_G_z2 = output.mean().item()
            optimizerG.step()

            lines.append('[%d/%d][%d/%d] Loss_D: %.4f Loss_G: %.4f D(x): %.4f D(G(z)): %.4f / %.4f'
                         % (epoch, niter, i, len(dataloader), errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
            losses += [errD.item(), errG.item()]
            extras += [D_x, D_G_z1, D_G_z2]
            if i + 1 >= args.steps:
                break

    report(lines, args.json, losses, extras)


if __name__ == "__main__":
    main()
