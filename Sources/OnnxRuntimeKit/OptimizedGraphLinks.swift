import OnnxModel

/// Which nodes of the model each node of ORT's optimized graph stands for, and back.
///
/// ORT's optimizer keeps a fused node's name (`FusedConv /conv1/Conv` computes Conv, its
/// BatchNormalization and Relu), names an NCHWc node after the tensor it replaces
/// (`<tensor>_nchwc`), and inserts nodes of its own (`ReorderInput`, `ReorderOutput`). The rules:
/// 1. An optimized node is anchored at the model's node of the same name, or, for
///    `<tensor>_nchwc`, at the node producing `<tensor>`; it is listed first unless a covered
///    node has the optimized node's op (the Conv of an NCHWc Conv named after its Relu's tensor).
/// 2. From its anchor's outputs (or its own outputs, when no anchor) it also covers the model's
///    nodes upstream, back to a tensor that still exists in the optimized graph, a graph input,
///    an initializer, or another optimized node's anchor.
/// 3. A model node covered by no optimized node was constant-folded (it computes only from
///    constants, ORT stored its output as an initializer, or it feeds only such nodes) or
///    removed (Identity, Dropout, a Cast to its own type…).
public struct OptimizedGraphLinks: Sendable, Equatable {
    /// For each optimized node (by index), the model's nodes it covers, anchor first.
    public let covered: [[Int]]
    /// For each model node, the optimized node covering it, if any.
    public let coveringNode: [Int: Int]
    /// Model nodes that compute only from constants and are covered by nothing: ORT folded them.
    public let constantFolded: Set<Int>

    public init(source: Graph, optimized: Graph) {
        let nodes = source.nodes
        var byName: [String: Int] = [:]
        var producer: [String: Int] = [:]
        for (i, n) in nodes.enumerated() {
            if !n.name.isEmpty, byName[n.name] == nil { byName[n.name] = i }
            for o in n.outputs where !o.isEmpty { producer[o] = i }
        }
        var optimizedTensors = Set<String>()
        for n in optimized.nodes { optimizedTensors.formUnion(n.inputs); optimizedTensors.formUnion(n.outputs) }
        optimizedTensors.formUnion(optimized.inputs.map(\.name))
        let stops = Set(source.initializers.map(\.name)).union(source.inputs.map(\.name))

        // Rule 1: anchors.
        var anchor: [Int?] = optimized.nodes.map { n in
            if let i = byName[n.name] { return i }
            if n.name.hasSuffix("_nchwc"), let i = producer[String(n.name.dropLast("_nchwc".count))] { return i }
            return nil
        }
        var owner: [Int: Int] = [:]
        for (o, a) in anchor.enumerated() {
            guard let a else { continue }
            if owner[a] == nil { owner[a] = o } else { anchor[o] = nil }
        }
        // Rule 2: upstream until a boundary.
        var covered: [[Int]] = anchor.map { $0.map { [$0] } ?? [] }
        for (o, n) in optimized.nodes.enumerated() {
            // Start from what the node writes (a fused node keeps the last tensor of its chain)
            // and, for a renamed node, from its anchor's outputs.
            let starts = Set(n.outputs + (anchor[o].map { nodes[$0].outputs } ?? []))
            var frontier = Array(starts)
            var seen = Set<String>()
            while let t = frontier.popLast() {
                guard !t.isEmpty, seen.insert(t).inserted, !stops.contains(t),
                      starts.contains(t) || !optimizedTensors.contains(t), let p = producer[t] else { continue }
                switch owner[p] {
                case nil:
                    owner[p] = o
                    covered[o].append(p)
                case o?:
                    break
                default:
                    continue
                }
                frontier.append(contentsOf: nodes[p].inputs)
            }
            // The node standing first: the one it is named after, else one of its own op (an
            // NCHWc Conv is named after the Relu's tensor but is the Conv), else the first in
            // graph order.
            let rest = covered[o].sorted()
            let first = rest.first { !n.name.isEmpty && nodes[$0].name == n.name } ?? rest.first { nodes[$0].opType == n.opType }
                ?? (anchor[o] ?? rest.first)
            if let first { covered[o] = [first] + rest.filter { $0 != first } }
        }
        // Rule 3: what nothing covers and computes only from constants, or whose output ORT
        // stored as an initializer (it also folds Shape of a fixed-shape value and what is
        // computed from it, as exporters' shape arithmetic), and what feeds only folded nodes.
        var constants = Set(source.initializers.map(\.name))
        let storedByORT = Set(optimized.initializers.map(\.name))
        var folded = Set<Int>()
        for (i, n) in nodes.enumerated() where owner[i] == nil {
            if n.inputs.allSatisfy({ $0.isEmpty || constants.contains($0) }) || n.outputs.contains(where: storedByORT.contains) {
                constants.formUnion(n.outputs)
                folded.insert(i)
            }
        }
        var consumers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() { for t in n.inputs where !t.isEmpty { consumers[t, default: []].append(i) } }
        let outputs = Set(source.outputs.map(\.name))
        var changed = true
        while changed {
            changed = false
            for (i, n) in nodes.enumerated() where owner[i] == nil && !folded.contains(i) {
                let readers = n.outputs.flatMap { consumers[$0] ?? [] }
                guard !readers.isEmpty, readers.allSatisfy(folded.contains), !n.outputs.contains(where: outputs.contains) else { continue }
                folded.insert(i)
                changed = true
            }
        }
        self.covered = covered
        self.coveringNode = owner
        self.constantFolded = folded
    }
}
