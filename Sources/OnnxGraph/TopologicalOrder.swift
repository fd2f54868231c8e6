/// Kahn's algorithm over node ids with a deterministic tie-break, plus cycle extraction.
///
/// Among the nodes that are ready, the one that comes first in the file goes first, so a
/// graph whose file order is already topological comes back unchanged, and any other graph
/// gets the order closest to the file's. That keeps layouts and listings stable across runs.
public enum TopologicalOrder {
    /// The graph has a cycle; `nodes` is one actual cycle, each node feeding the next and the
    /// last feeding the first.
    public struct CycleError: Error, Sendable, Hashable, CustomStringConvertible {
        public var nodes: [Int]
        /// Nodes that could not be ordered (on a cycle or downstream of one).
        public var unordered: [Int]
        public var description: String { "cycle through nodes \(nodes.map(String.init).joined(separator: " → "))" }
    }

    /// Outcome of a sort that tolerates cycles: `order` holds every node exactly once, the
    /// sortable ones first, then the stuck ones in file order.
    public struct Result: Sendable, Hashable {
        public var order: [Int]
        public var cycle: CycleError?
    }

    /// Sorts nodes `0..<predecessors.count`, where `predecessors[n]` lists the nodes whose
    /// outputs `n` reads (duplicates allowed). Throws when there is a cycle.
    public static func sorted(predecessors: [[Int]]) throws(CycleError) -> [Int] {
        let r = sort(predecessors: predecessors)
        if let c = r.cycle { throw c }
        return r.order
    }

    /// Like ``sorted(predecessors:)`` but never fails: see ``Result``.
    public static func sort(predecessors: [[Int]]) -> Result {
        let n = predecessors.count
        var indegree = [Int](repeating: 0, count: n)
        var successors = [[Int]](repeating: [], count: n)
        for v in 0..<n {
            for p in predecessors[v] where p >= 0 && p < n {
                indegree[v] += 1
                successors[p].append(v)
            }
        }
        var heap = MinHeap()
        for v in 0..<n where indegree[v] == 0 { heap.push(v) }
        var order: [Int] = []
        order.reserveCapacity(n)
        while let v = heap.pop() {
            order.append(v)
            for s in successors[v] {
                indegree[s] -= 1
                if indegree[s] == 0 { heap.push(s) }
            }
        }
        guard order.count < n else { return Result(order: order, cycle: nil) }

        // Every stuck node still has a stuck predecessor (otherwise its in-degree would have
        // reached zero), so walking stuck predecessors from any stuck node must revisit a node:
        // the walk from that node's first visit is a cycle. Iterative, O(n).
        let stuck = (0..<n).filter { indegree[$0] > 0 }
        var position = [Int: Int]()
        var path: [Int] = []
        var v = stuck[0]
        while position[v] == nil {
            position[v] = path.count
            path.append(v)
            guard let p = predecessors[v].first(where: { $0 >= 0 && $0 < n && indegree[$0] > 0 }) else { break }
            v = p
        }
        var cycle = Array(path[(position[v] ?? 0)...])
        cycle.reverse()  // the walk followed edges backwards
        // Start the cycle at its first node in file order so the message is deterministic.
        if let m = cycle.indices.min(by: { cycle[$0] < cycle[$1] }) {
            cycle = Array(cycle[m...] + cycle[..<m])
        }
        order.append(contentsOf: stuck)
        return Result(order: order, cycle: CycleError(nodes: cycle, unordered: stuck))
    }
}

/// Binary min-heap of node ids (the ready set of Kahn's algorithm).
struct MinHeap {
    private var items: [Int] = []
    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ x: Int) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && items[l] < items[m] { m = l }
                if r < items.count && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(m, i)
                i = m
            }
        }
        return top
    }
}
