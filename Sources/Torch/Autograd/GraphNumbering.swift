/// The nodes a backward pass reaches from its roots, numbered `0..<nodes.count` in the
/// order first met, with every edge as the number of the node it leads to: the engine
/// then works on arrays indexed by number, with no lookup per gradient.
///
/// For node `i`, ``target(of:edge:)`` gives the number its edge `k` leads to (-1 for a
/// missing edge) and `dependencies[i]` counts the edges that lead to it.
struct GraphNumbering {
    /// The reachable nodes, by number.
    private(set) var nodes: [Node] = []
    /// How many edges lead to each node; the engine counts them down as nodes run.
    var dependencies: [Int] = []
    /// Where each node's edges start in `targets`.
    private var edgeStart: [Int] = []
    /// The number each edge leads to, node after node.
    private var targets: [Int] = []
    /// Node identity → number.
    private var table = NodeTable()

    /// Numbers every node reachable from `roots` (depth first, each node once).
    init(roots: [Edge]) {
        // A small graph (an MLP step, a few ops) then needs no reallocation while growing.
        nodes.reserveCapacity(32)
        dependencies.reserveCapacity(32)
        edgeStart.reserveCapacity(32)
        targets.reserveCapacity(64)
        var stack: [Int] = []
        for edge in roots where add(edge.node) == nil { stack.append(nodes.count - 1) }
        while let i = stack.popLast() {
            edgeStart[i] = targets.count
            for e in nodes[i].nextEdges {
                guard let e else { targets.append(-1); continue }
                let t: Int
                if let known = add(e.node) {
                    t = known
                } else {
                    t = nodes.count - 1
                    stack.append(t)
                }
                dependencies[t] += 1
                targets.append(t)
            }
        }
    }

    /// `node`'s number, or `nil` when the pass does not reach it.
    func number(of node: Node) -> Int? {
        table.find(UInt(bitPattern: ObjectIdentifier(node)))
    }

    /// The number of the node that edge `k` of node `i` leads to (-1 for a missing edge).
    @inline(__always)
    func target(of i: Int, edge k: Int) -> Int { targets[edgeStart[i] + k] }

    /// `n`'s number if it has one; else numbers it and returns `nil` (it is new).
    private mutating func add(_ n: Node) -> Int? {
        let key = UInt(bitPattern: ObjectIdentifier(n))
        if let i = table.find(key) { return i }
        table.insert(key, number: nodes.count)
        nodes.append(n)
        dependencies.append(0)
        edgeStart.append(0)
        return nil
    }
}

/// An open-addressing table from node addresses to numbers. Written here rather than a
/// `Dictionary<ObjectIdentifier, Int>`: Swift's dictionary hashes each key with SipHash
/// (about 100 instructions) and grew by rehashing: 23 of the 343 million instructions of
/// 2,000 backward passes of `autograd_10_op_graph` (callgrind); an address needs only a
/// multiply.
private struct NodeTable {
    private struct Slot {
        /// The node's address; 0 marks an empty slot (no object lives at address 0).
        var key: UInt
        var number: Int
    }

    private var slots = [Slot](repeating: Slot(key: 0, number: 0), count: 64)
    private var count = 0

    /// The slot where `key` is, or the empty slot where it would go (linear probing).
    @inline(__always)
    private func position(of key: UInt) -> Int {
        let mask = slots.count - 1
        // Fibonacci hashing of the address without its always-zero low bits; the high half
        // of the product mixes every bit of the address.
        var p = Int(truncatingIfNeeded: ((key >> 4) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while slots[p].key != 0 && slots[p].key != key { p = (p + 1) & mask }
        return p
    }

    func find(_ key: UInt) -> Int? {
        let p = position(of: key)
        return slots[p].key == key ? slots[p].number : nil
    }

    /// Adds `key` (which must be absent); keeps the table at most half full.
    mutating func insert(_ key: UInt, number: Int) {
        if 2 * (count + 1) > slots.count {
            let old = slots
            slots = [Slot](repeating: Slot(key: 0, number: 0), count: 2 * old.count)
            for slot in old where slot.key != 0 { slots[position(of: slot.key)] = slot }
        }
        slots[position(of: key)] = Slot(key: key, number: number)
        count += 1
    }
}
