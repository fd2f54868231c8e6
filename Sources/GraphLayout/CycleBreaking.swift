/// Makes the graph acyclic by reversing DFS back edges, so layering always terminates even when
/// a caller hands us an accidental cycle.
enum CycleBreaking {
    /// Returns, per edge, whether it closes a cycle and must be laid out reversed.
    ///
    /// DFS starts from sources first (in node order) so that, in a mostly acyclic graph, only
    /// the genuinely backward edges are picked rather than edges out of an arbitrary start node.
    /// Self-loops must have been removed by the caller.
    static func backEdges(nodeCount n: Int, from: [Int], to: [Int]) -> [Bool] {
        let m = from.count
        let adjacency = OutgoingAdjacency(nodeCount: n, from: from, to: to)
        let (outStart, outEdges, indegree) = (adjacency.start, adjacency.edges, adjacency.indegree)

        // 0 = unvisited, 1 = on the DFS stack, 2 = finished.
        var state = [UInt8](repeating: 0, count: n)
        var isBack = [Bool](repeating: false, count: m)
        var stackNode: [Int] = []
        var stackNext: [Int] = []

        var roots: [Int] = []
        roots.reserveCapacity(n)
        for v in 0..<n where indegree[v] == 0 { roots.append(v) }
        for v in 0..<n where indegree[v] != 0 { roots.append(v) }

        for root in roots where state[root] == 0 {
            state[root] = 1
            stackNode.append(root)
            stackNext.append(outStart[root])
            while let top = stackNode.last {
                let i = stackNext.count - 1
                let next = stackNext[i]
                if next < outStart[top + 1] {
                    stackNext[i] = next + 1
                    let e = outEdges[next]
                    let w = to[e]
                    if state[w] == 0 {
                        state[w] = 1
                        stackNode.append(w)
                        stackNext.append(outStart[w])
                    } else if state[w] == 1 {
                        isBack[e] = true
                    }
                } else {
                    state[top] = 2
                    stackNode.removeLast()
                    stackNext.removeLast()
                }
            }
        }
        return isBack
    }
}
