import Foundation
import Torch

// pytorch/examples super_resolution/model.py and main.py's training step, ported as a new
// user would write it. The BSDS300 download and PIL crops are replaced by tensors shaped as
// its batches: low-resolution luminance `(N, 1, h, w)` and the target `(N, 1, h·r, w·r)`.

/// The sub-pixel convolution network (ESPCN): three convolutions and a pixel shuffle.
final class SuperResolutionNet: Module {
    let relu = ReLU()
    let conv1: Conv2d
    let conv2: Conv2d
    let conv3: Conv2d
    let conv4: Conv2d
    let pixelShuffle: PixelShuffle

    init(upscaleFactor: Int) {
        conv1 = Conv2d(1, 64, [5, 5], [1, 1], [2, 2])
        conv2 = Conv2d(64, 64, [3, 3], [1, 1], [1, 1])
        conv3 = Conv2d(64, 32, [3, 3], [1, 1], [1, 1])
        conv4 = Conv2d(32, upscaleFactor * upscaleFactor, [3, 3], [1, 1], [1, 1])
        pixelShuffle = PixelShuffle(upscaleFactor)
        super.init()
        initializeWeights()
    }

    override func forward(_ x: Tensor) -> Tensor {
        var x = relu(conv1(x))
        x = relu(conv2(x))
        x = relu(conv3(x))
        x = pixelShuffle(conv4(x))
        return x
    }

    private func initializeWeights() {
        _ = orthogonal_(conv1.weight, calculateGain(.relu))
        _ = orthogonal_(conv2.weight, calculateGain(.relu))
        _ = orthogonal_(conv3.weight, calculateGain(.relu))
        _ = orthogonal_(conv4.weight)
    }
}

/// main.py's `train(epoch)` over `batches`; the losses and printed lines.
func trainSuperResolution(_ model: Module, _ batches: [(Tensor, Tensor)], _ optimizer: Optimizer,
                          epoch: Int) -> PortedRun {
    var run = PortedRun()
    let criterion = MSELoss()
    var epochLoss = 0.0
    for (iteration, batch) in zip(1..., batches) {
        let (input, target) = batch
        optimizer.zeroGrad()
        let loss = criterion(model(input), target)
        epochLoss += loss.item()
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        run.lines.append("===> Epoch[\(epoch)](\(iteration)/\(batches.count)): Loss: \(fixed(loss.item()))")
    }
    run.lines.append("===> Epoch \(epoch) Complete: Avg. Loss: \(fixed(epochLoss / Double(batches.count)))")
    return run
}

/// main.py with `--upscale_factor 3 --lr 0.01` (Adam, MSELoss, seed 123) for `steps` batches
/// of `batchSize` random `size`×`size` low-resolution images.
func runSuperResolution(steps: Int = 3, upscaleFactor: Int = 3, batchSize: Int = 4, size: Int = 17,
                        seed: Int = 123) -> PortedRun {
    manualSeed(seed)
    let batches = (0..<steps).map { _ in
        (Tensor.rand(batchSize, 1, size, size), Tensor.rand(batchSize, 1, size * upscaleFactor, size * upscaleFactor))
    }
    let model = SuperResolutionNet(upscaleFactor: upscaleFactor)
    let optimizer = Adam(model.parameters(), lr: 0.01)
    return trainSuperResolution(model, batches, optimizer, epoch: 1)
}
