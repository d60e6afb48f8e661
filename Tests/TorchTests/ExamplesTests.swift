import Testing
import TorchExamples

/// The seed documents ported to Swift print what the seeds show (for the cells whose output
/// is deterministic), checked against text copied from the seed documents.
@Suite struct ExamplesTests {
    func output(_ name: String) -> String { SeedExample.all.first { $0.name == name }!.run() }

    @Test func everySeedHasAnExample() {
        #expect(SeedExample.all.map(\.source) == ["01-quick-intro-uio.md", "02-notebook-tensors-autograd.md",
                                                  "03-handwritten-basics.md", "04-module2-tensors-autodiff.md",
                                                  "05-intro-slides-ucla.md"])
    }

    /// The notebook's printed cells, in order (random inputs replaced by the values it printed).
    @Test func tensorsAndAutogradPrintsTheNotebooksOutput() {
        let text = output("tensors-autograd")
        let expected = [
            "cuda not available",
            "tensor([[1., 2., 3.],\n        [4., 5., 6.]])\ntorch.Size([2, 3])",
            "tensor([[[ 1.,  2.,  3.],\n         [ 4.,  5.,  6.]],\n\n        [[ 7.,  8.,  9.],\n         [10., 11., 12.]]])\ntorch.Size([2, 2, 3])\ntensor(4.)",
            "tensor([[[15., 25.],\n         [20., 10.]],\n\n        [[ 5., 20.],\n         [45.,  0.]],\n\n        [[20., 35.],\n         [20., 20.]]], dtype=torch.float64)",
            "tensor([[[36., 30.],\n         [45.,  7.]],\n\n        [[30., 32.],\n         [63., 15.]],\n\n        [[21., 21.],\n         [ 0., 36.]]], dtype=torch.float64)",
            "tensor([[16., 22.,  9., 28.],\n        [13., 17., 27., 21.],\n        [47., 65., 18., 83.]], dtype=torch.float64)",
            "torch.Size([5, 3, 4])\ntorch.Size([10, 5, 3, 2, 10])",
            "tensor([1, 2, 3])\ntensor([1, 2])\ntensor([[1, 2],\n        [2, 4],\n        [3, 6]])",
            "tensor([2., 3., 5., 7.])",
            "tensor([-0.0646,  0.0498,  0.1184])",
            "tensor([-0.3466, -1.3864, -9.3580])\ntensor([0.1911, 0.7645, 5.1603])",
            "tensor([ 0.8069, -0.5974,  0.0394])\ntensor([ 0.1533, -0.3137, -0.9506])",
        ]
        var rest = Substring(text)
        for block in expected {
            guard let range = rest.range(of: block) else {
                Issue.record("missing, in order: \(block)")
                return
            }
            rest = rest[range.upperBound...]
        }
    }

    @Test func quickIntroShowsSizesDtypesAndViews() {
        let text = output("quick-intro")
        #expect(text.hasPrefix("torch.Size([2, 3])\ntorch.float32\ncpu\nTrue\nTrue\nTrue\ncuda not available\n"))
        #expect(text.contains("tensor([7., 1., 1., 1., 1., 1., 1., 1., 1., 1.])"))
    }

    @Test func handwrittenBasicsPrintsTheNotesResults() {
        let text = output("handwritten-basics")
        #expect(text.contains("tensor([[6., 6.],\n        [6., 6.],\n        [6., 6.]], grad_fn=<AddBackward0>)"))
        #expect(text.contains("tensor([[12., 12.],\n        [12., 12.],\n        [12., 12.]])"))   // dt/dx = 2y = 12
        #expect(text.hasSuffix("3.0000 -2.0000\n"))                                             // w, b of y = 3x - 2
    }

    @Test func module2BroadcastsAndSharesMemory() {
        let text = output("module2")
        #expect(text.contains("tensor([[ 6., -4.,  6., -4.,  6.],\n        [ 7., -3.,  7., -3.,  7.],\n        [ 8., -2.,  8., -2.,  8.],\n        [ 9., -1.,  9., -1.,  9.]])"))
        #expect(text.contains("tensor([1., 1., 0., 1., 1.], dtype=torch.float64)\n[1.0, 1.0, 0.0, 5.0, 1.0]"))
        #expect(text.contains("torch.FloatTensor torch.Size([4, 3, 32, 32]) True True\n0.0\n"))
        #expect(text.hasSuffix("tensor(14., grad_fn=<SumBackward0>)\ntensor([2., 4., 6.])\n"))
    }

    @Test func slidesGradientsMatchTheHandDerivationAndTheMLPLearnsXor() {
        let lines = output("slides").split(separator: "\n")
        #expect(lines[0].dropFirst(8) == lines[1].dropFirst(8))
        #expect(lines[2] == "tensor([False,  True,  True, False])")
    }
}
