import OnnxGraph

/// Groups the supported nodes of one graph scope into the partitions ORT's partitioner would
/// hand an EP (`CreateSupportedPartitionNodeGroups` in `partitioning_utils.cc`, as the usability
/// checker replicates it).
///
/// Nodes are visited in topological order, ready nodes first-in first-out. A supported node
/// joins the open group and puts its consumers on the group's border. An unsupported node on the
/// border cannot join the group without making it depend on itself through a CPU node, so it
/// waits for the next group; when nothing is ready, the group closes and the waiting nodes run.
public enum PartitionGrouping {
    /// Groups (node ids in the order they joined) for the nodes of `scope` where `supported` is true.
    /// Nodes where `ignored` is true are not there for the EP (Constant nodes in the model as
    /// written, which ORT turns into initializers at load): they join nothing and split nothing.
    public static func groups(scope: GraphScope, ignored: (Int) -> Bool = { _ in false }, supported: (Int) -> Bool) -> [[Int]] {
        let count = scope.nodeCount
        var producers = [[Int]](repeating: [], count: count)
        var consumers = [[Int]](repeating: [], count: count)
        for n in 0..<count {
            let node = scope.node(n)
            var seen = Set<Int>()
            // A node also depends on what its sub-graphs read from this scope.
            for value in node.inputs + scope.implicitInputs(of: n) where !value.isEmpty {
                guard let p = scope.producerNode(of: value), p != n, seen.insert(p).inserted else { continue }
                producers[n].append(p)
            }
            for p in producers[n] { consumers[p].append(n) }
        }
        var inDegree = producers.map(\.count)
        var ready: [Int] = (0..<count).filter { inDegree[$0] == 0 }
        var readyHead = 0
        var waiting: [Int] = []
        var groups: [[Int]] = []
        var group: [Int] = []
        var border = Set<Int>()

        func closeGroup() {
            if !group.isEmpty { groups.append(group) }
            group.removeAll()
            border.removeAll()
        }

        while readyHead < ready.count || !waiting.isEmpty {
            if readyHead == ready.count {
                closeGroup()
                ready = waiting
                readyHead = 0
                waiting = []
                continue
            }
            let n = ready[readyHead]
            readyHead += 1
            if ignored(n) {
                // Processed at once: releases its consumers without touching the group or border.
            } else if supported(n) {
                group.append(n)
                border.remove(n)
                for c in consumers[n] { border.insert(c) }
            } else if border.contains(n) {
                waiting.append(n)
                continue
            }
            for c in consumers[n] {
                inDegree[c] -= 1
                if inDegree[c] == 0 { ready.append(c) }
            }
        }
        closeGroup()
        return groups
    }
}
