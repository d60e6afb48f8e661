/// The backward graph as Graphviz DOT text, like the seeds' `print_computationalgraph.py`
/// (torchviz): one box per node with PyTorch's name, saved tensors' shapes, and leaves
/// shown with their names (or shapes) in light blue.

/// DOT text of the graph that `backward()` on `root` would traverse (labels break lines
/// with DOT's `\n` escape). SwiftTorch only: PyTorch has no counterpart (the separate `torchviz`
/// package's `make_dot` draws the same graph).
///
/// Render it with `dot -Tpng graph.dot -o graph.png`.
public func graphviz(of root: Tensor) -> String {
    var lines = [
        "digraph {",
        "  graph [size=\"12,12\"]",
        "  node [align=left fontname=monospace fontsize=10 height=0.2 ranksep=0.1 shape=box style=filled]",
    ]
    var ids: [ObjectIdentifier: String] = [:]
    func id(_ node: Node) -> String {
        let key = ObjectIdentifier(node)
        if let existing = ids[key] { return existing }
        let name = "n\(ids.count)"
        ids[key] = name
        return name
    }
    func shapeText(_ shape: [Int]) -> String { parenthesized(shape) }

    let rootID = "out"
    lines.append("  \(rootID) [label=\"\(root.name ?? "output")\\n\(shapeText(root.shape))\" fillcolor=darkolivegreen1]")
    guard let start = root.gradientEdge()?.node else {
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
    var stack = [start]
    var visited = Set<ObjectIdentifier>()
    lines.append("  \(id(start)) -> \(rootID)")
    while let node = stack.popLast() {
        guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
        if let leaf = node.variable {
            let label = (leaf.name.map { "\($0)\\n" } ?? "") + shapeText(leaf.shape)
            lines.append("  \(id(node)) [label=\"\(label)\" fillcolor=lightblue]")
        } else {
            var label = node.name
            for shape in node.savedShapes { label += "\\n" + shapeText(shape) }
            lines.append("  \(id(node)) [label=\"\(label)\" fillcolor=lightgrey]")
        }
        for case let edge? in node.nextEdges {
            lines.append("  \(id(edge.node)) -> \(id(node))")
            stack.append(edge.node)
        }
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
}
