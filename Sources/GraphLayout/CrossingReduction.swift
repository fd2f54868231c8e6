/// Orders the vertices inside each layer to reduce edge crossings.
enum CrossingReduction {
    /// The seed order per layer.
    static func initialOrder(_ g: ProperGraph, mode: InitialOrder) -> [[Int]] {
        var order = [[Int]](repeating: [], count: g.layerCount)
        switch mode {
        case .inputOrder:
            for v in 0..<g.vertexCount { order[g.layer[v]].append(v) }
        case .depthFirst:
            // Preorder DFS along lower neighbours keeps each chain contiguous and puts the
            // branches of a fork next to each other, which is most of the work on model graphs.
            var seen = [Bool](repeating: false, count: g.vertexCount)
            var stack: [Int] = []
            func visit(_ root: Int) {
                stack.append(root)
                while let v = stack.popLast() {
                    if seen[v] { continue }
                    seen[v] = true
                    order[g.layer[v]].append(v)
                    // Push in reverse so the first lower neighbour is visited first.
                    for k in g.downRange(v).reversed() where !seen[g.down[k]] {
                        stack.append(g.down[k])
                    }
                }
            }
            for v in 0..<g.realCount where g.upRange(v).isEmpty && !seen[v] { visit(v) }
            for v in 0..<g.vertexCount where !seen[v] { visit(v) }
        }
        return order
    }

    /// Total crossings of an ordering, summed over adjacent layer pairs.
    static func totalCrossings(_ g: ProperGraph, order: [[Int]], position: [Int]) -> Int {
        guard order.count > 1 else { return 0 }
        let widest = order.map(\.count).max() ?? 0
        var tree = [Int](repeating: 0, count: widest + 1)
        var lowers: [Int] = []
        var scratch: [Int] = []
        var total = 0
        for i in 0..<(order.count - 1) {
            lowers.removeAll(keepingCapacity: true)
            for u in order[i] {
                scratch.removeAll(keepingCapacity: true)
                for k in g.downRange(u) { scratch.append(position[g.down[k]]) }
                if scratch.count > 1 { scratch.sort() }
                lowers.append(contentsOf: scratch)
            }
            total += CrossingCounter.countSorted(lowerPositions: lowers, tree: &tree)
        }
        return total
    }

    /// Barycenter sweeps, alternately downwards and upwards, keeping the best ordering seen.
    ///
    /// Each sweep is O(E log E); the number of sweeps is bounded by `iterations` and stops early
    /// once two rounds bring no improvement, so big graphs stay near-linear. Vertices without
    /// neighbours on the reference side keep their slot, which stops isolated nodes drifting.
    /// Ties keep the current relative order, making the result deterministic.
    ///
    /// - Returns: crossings before and after reduction.
    static func reduce(_ g: ProperGraph, order: inout [[Int]], iterations: Int) -> (before: Int, after: Int) {
        var position = [Int](repeating: 0, count: g.vertexCount)
        for layer in order {
            for (k, v) in layer.enumerated() { position[v] = k }
        }
        let before = totalCrossings(g, order: order, position: position)
        var best = before
        guard best > 0, iterations > 0, order.count > 1 else { return (before, before) }
        var bestOrder = order
        var stale = 0

        var movable: [(key: Double, slot: Int, v: Int)] = []
        var fixed: [Bool] = []
        func sweepLayer(_ i: Int, useUpper: Bool) {
            let layer = order[i]
            movable.removeAll(keepingCapacity: true)
            fixed.removeAll(keepingCapacity: true)
            for (slot, v) in layer.enumerated() {
                let range = useUpper ? g.upRange(v) : g.downRange(v)
                if range.isEmpty {
                    fixed.append(true)
                    continue
                }
                var sum = 0
                for k in range { sum += position[useUpper ? g.up[k] : g.down[k]] }
                fixed.append(false)
                movable.append((Double(sum) / Double(range.count), slot, v))
            }
            movable.sort { $0.key < $1.key || ($0.key == $1.key && $0.slot < $1.slot) }
            var next = 0
            var result = layer
            for slot in 0..<layer.count where !fixed[slot] {
                result[slot] = movable[next].v
                next += 1
            }
            for (k, v) in result.enumerated() { position[v] = k }
            order[i] = result
        }

        for _ in 0..<iterations {
            for i in 1..<order.count { sweepLayer(i, useUpper: true) }
            for i in stride(from: order.count - 2, through: 0, by: -1) { sweepLayer(i, useUpper: false) }
            let c = totalCrossings(g, order: order, position: position)
            if c < best {
                best = c
                bestOrder = order
                stale = 0
            } else {
                stale += 1
            }
            if best == 0 || stale >= 2 { break }
        }
        order = bestOrder
        return (before, best)
    }
}
