/// Assigns each node of an acyclic graph to a layer (row band), top to bottom.
enum LayerAssignment {
    /// Longest path from the sources, optionally followed by a pass that sinks nodes whose
    /// outputs outnumber their inputs, then renumbering so no layer is empty.
    ///
    /// Longest path is linear and gives the minimum number of layers, but it parks every source
    /// (constants, shape computations) in layer 0, which creates very long edges in model graphs.
    /// Moving a node down by d changes the total edge length by d·(in − out), so sinking pays
    /// exactly when out > in; processing in reverse topological order makes one pass enough.
    ///
    /// - Parameters: `from`/`to` must describe an acyclic graph without self-loops.
    static func assign(nodeCount n: Int, from: [Int], to: [Int], shortenEdges: Bool) -> (layer: [Int], layerCount: Int) {
        guard n > 0 else { return ([], 0) }
        let adjacency = OutgoingAdjacency(nodeCount: n, from: from, to: to)
        let (outStart, indegree) = (adjacency.start, adjacency.indegree)
        let out = adjacency.edges.map { to[$0] }

        // Kahn's algorithm with a FIFO keeps the result independent of hashing: deterministic.
        var topo: [Int] = []
        topo.reserveCapacity(n)
        var remaining = indegree
        for v in 0..<n where remaining[v] == 0 { topo.append(v) }
        var head = 0
        var layer = [Int](repeating: 0, count: n)
        while head < topo.count {
            let u = topo[head]
            head += 1
            let next = layer[u] + 1
            for k in outStart[u]..<outStart[u + 1] {
                let w = out[k]
                if layer[w] < next { layer[w] = next }
                remaining[w] -= 1
                if remaining[w] == 0 { topo.append(w) }
            }
        }
        precondition(topo.count == n, "LayerAssignment requires an acyclic graph")

        if shortenEdges {
            for u in topo.reversed() {
                let outdegree = outStart[u + 1] - outStart[u]
                guard outdegree > 0, outdegree > indegree[u] else { continue }
                var lowest = Int.max
                for k in outStart[u]..<outStart[u + 1] { lowest = min(lowest, layer[out[k]]) }
                if lowest - 1 > layer[u] { layer[u] = lowest - 1 }
            }
        }

        let maxLayer = layer.max() ?? 0
        var used = [Bool](repeating: false, count: maxLayer + 1)
        for l in layer { used[l] = true }
        var renumber = [Int](repeating: 0, count: maxLayer + 1)
        var count = 0
        for l in 0...maxLayer where used[l] {
            renumber[l] = count
            count += 1
        }
        for v in 0..<n { layer[v] = renumber[layer[v]] }
        return (layer, count)
    }
}
