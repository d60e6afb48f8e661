import Testing
@testable import Torch

/// The backward pass numbers the nodes it reaches in its own address table
/// (`GraphNumbering`), which starts at 64 slots and grows: a graph of hundreds of nodes,
/// with one leaf reached from every step, must number each node once, find every node
/// again, and count the edges into each.
@Suite struct GraphNumberingTests {
    @Test func longGraphWithASharedLeafIsNumberedOnce() {
        let x = Tensor([0.25], dtype: .float64, requiresGrad: true)
        var y = x
        let steps = 300
        for _ in 0..<steps { y = y * 0.5 + x }
        let graph = GraphNumbering(roots: [y.gradientEdge()!])
        // A MulBackward and an AddBackward per step, and x's AccumulateGrad.
        #expect(graph.nodes.count == 2 * steps + 1)
        #expect(Set(graph.nodes.map { ObjectIdentifier($0) }).count == graph.nodes.count)
        for (i, node) in graph.nodes.enumerated() { #expect(graph.number(of: node) == i) }
        let leaf = graph.number(of: x.gradientEdge()!.node)!
        // Every add reaches x, and the first multiply too.
        #expect(graph.dependencies[leaf] == steps + 1)
        #expect(graph.dependencies.reduce(0, +) == 3 * steps)
        #expect(graph.number(of: Tensor([1.0], requiresGrad: true).gradientEdge()!.node) == nil)
        // y_n = 0.5·y_{n-1} + x, y_0 = x: dy_n/dx = 2 − 0.5ⁿ.
        y.backward()
        let halfToTheSteps = (0..<steps).reduce(1.0) { r, _ in r * 0.5 }
        #expect(abs(x.grad!.item() - (2 - halfToTheSteps)) < 1e-15)
    }
}
