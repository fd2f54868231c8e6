/// Outgoing edges of every node in compressed (CSR) form: the edges leaving node `u` are
/// `edges[start[u]..<start[u + 1]]`, in input order, as edge indices. Built in O(n + m) with
/// no per-node arrays, which is what keeps the layout phases linear on 30k-node graphs.
struct OutgoingAdjacency {
    let start: [Int]
    let edges: [Int]
    /// Number of incoming edges of each node.
    let indegree: [Int]

    init(nodeCount n: Int, from: [Int], to: [Int]) {
        let m = from.count
        var start = [Int](repeating: 0, count: n + 1)
        var indegree = [Int](repeating: 0, count: n)
        for e in 0..<m {
            start[from[e] + 1] += 1
            indegree[to[e]] += 1
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var edges = [Int](repeating: 0, count: m)
        var fill = start
        for e in 0..<m {
            edges[fill[from[e]]] = e
            fill[from[e]] += 1
        }
        self.start = start
        self.edges = edges
        self.indegree = indegree
    }
}
