import Foundation
import OnnxModel

/// Maps the kernels ORT's profiler timed back onto the model's original nodes.
///
/// ORT reports placement on original nodes but times the kernels it built, which differ:
/// `FusedConv` named after the Conv (level 2), an NCHWc Conv named `<output>_nchwc` plus
/// `ReorderInput/ReorderOutput` (level 3/99), one `<EP>-subgraph_k` kernel per compiled EP
/// subgraph. The rules, in order:
/// 1. a kernel named like an original node covers that node (ORT names the kernel of an unnamed
///    node `<Op>_<node_index>`);
/// 2. `<tensor>_nchwc` covers the node producing `<tensor>`;
/// 3. `<Provider>_<EP>-subgraph_<k>_<i>` covers the i-th subgraph ORT assigned to that provider;
/// 4. any other kernel was inserted by ORT and covers no node (kept as its own row).
/// Then nodes with no kernel join an adjacent fused kernel (one whose op differs from its
/// node's op, so something was folded into it); the rest were eliminated.
public enum ProfileAttribution {
    /// Builds the profile. `skipRuns` leading runs (warm-up) are ignored.
    ///
    /// `optimizedGraph` is the model ORT wrote after optimization (not available with compiling
    /// EPs). With it, a kernel's coverage is exact: the original nodes between the kernel's
    /// inputs and outputs, bounded by tensors that still exist after optimization.
    public static func build(graph: Graph, assignment: [AssignedSubgraph]?, trace: ProfileTrace,
                             skipRuns: Int = 0, optimizedGraph: Graph? = nil) -> RuntimeProfile {
        let nodes = graph.nodes
        var byName: [String: Int] = [:]
        var producer: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        for (i, n) in nodes.enumerated() {
            if !n.name.isEmpty, byName[n.name] == nil { byName[n.name] = i }
            for o in n.outputs where !o.isEmpty { producer[o] = i }
            for t in n.inputs where !t.isEmpty { consumers[t, default: []].append(i) }
        }

        // Placement from ORT's report.
        let assignedProvider = assignment.map { ExecutionPartition.providers(from: $0, graph: graph) } ?? [:]
        var subgraphsByProvider: [String: [AssignedSubgraph]] = [:]
        for sg in assignment ?? [] { subgraphsByProvider[sg.provider, default: []].append(sg) }

        // Group kernel events per kernel, summing within each kept run.
        let keptRuns = Array(trace.runs.indices.dropFirst(skipRuns))
        let runSlot = Dictionary(uniqueKeysWithValues: keptRuns.enumerated().map { ($1, $0) })
        struct Group { var kernel: String; var opName: String; var provider: String; var perRun: [Double]; var order: Int; var shapes: String; var nodeIndex: Int? }
        var groups: [Group] = []
        var groupIndex: [String: Int] = [:]
        for e in trace.kernels {
            guard let r = e.run, let slot = runSlot[r] else { continue }
            // Unnamed nodes all produce `_kernel_time`; ORT's node index tells them apart.
            let key = e.provider + "\u{0}" + e.kernel + (e.kernel.isEmpty ? "#\(e.nodeIndex ?? -1)" : "")
            let g: Int
            if let existing = groupIndex[key] { g = existing } else {
                g = groups.count
                groupIndex[key] = g
                groups.append(Group(kernel: e.kernel, opName: e.opName, provider: e.provider,
                                    perRun: Array(repeating: 0, count: keptRuns.count), order: g, shapes: e.inputShapes,
                                    nodeIndex: e.nodeIndex))
            }
            groups[g].perRun[slot] += Double(e.duration) / 1000
        }

        // Which nodes each kernel covers.
        var covered: [[Int]] = Array(repeating: [], count: groups.count)
        var kinds: [KernelTiming.Kind] = Array(repeating: .inserted, count: groups.count)
        var owner: [Int: Int] = [:]  // node -> group
        var layoutNamed = Set<Int>()  // groups matched by `<tensor>_nchwc`
        for (g, grp) in groups.enumerated() {
            if let i = byName[grp.kernel], owner[i] == nil {
                covered[g] = [i]; kinds[g] = .node
            } else if let i = grp.nodeIndex, i >= 0, i < nodes.count, nodes[i].name.isEmpty, owner[i] == nil,
                      grp.kernel.isEmpty || grp.kernel == "\(nodes[i].opType)_\(i)", nodes[i].opType == grp.opName {
                // ORT names the kernel of an unnamed node `<Op>_<node index>`.
                covered[g] = [i]; kinds[g] = .node
            } else if grp.kernel.hasSuffix("_nchwc"), let i = producer[String(grp.kernel.dropLast("_nchwc".count))], owner[i] == nil {
                covered[g] = [i]; kinds[g] = .node
                layoutNamed.insert(g)
            } else if grp.opName.contains("-subgraph_") {
                // `<Provider>_<EP>-subgraph_<k>_<i>`: k counts subgraphs across the whole process,
                // i is the subgraph's index within this session's compiled subgraphs for the
                // provider, which is the order ORT's assignment report lists them in.
                kinds[g] = .compiled
                let i = grp.kernel.split(separator: "_").last.flatMap { Int($0) }
                if let list = subgraphsByProvider[grp.provider], let i, i >= 0, i < list.count {
                    covered[g] = list[i].nodes.compactMap { byName[$0.name] }.filter { owner[$0] == nil }
                }
            }
            for i in covered[g] { owner[i] = g }
        }

        // Nodes computing only from constants are folded away by ORT, never fused.
        var constants = Set(graph.initializers.map(\.name))
        var foldable = Set<Int>()
        for (i, n) in nodes.enumerated() where n.inputs.allSatisfy({ $0.isEmpty || constants.contains($0) }) {
            foldable.insert(i)
            constants.formUnion(n.outputs)
        }

        // An NCHWc kernel is named after the output of the node it was built from after
        // earlier fusions (Conv+BatchNormalization+Relu ends at the Relu's output), so it covers
        // the chain upstream of the matched node, back to the node of the kernel's own op.
        for g in layoutNamed {
            guard let anchor = covered[g].first, nodes[anchor].opType != groups[g].opName else { continue }
            var cur = anchor
            while let first = nodes[cur].inputs.first, let p = producer[first], owner[p] == nil {
                covered[g].append(p)
                owner[p] = g
                cur = p
                if nodes[p].opType == groups[g].opName { break }
            }
            if covered[g].count > 1 { kinds[g] = .fused }
        }

        // Exact coverage from the optimized model: walk back from each kernel's outputs through
        // original nodes until reaching a tensor that survived optimization (another kernel's
        // boundary), a graph input or an initializer.
        if let opt = optimizedGraph {
            var optNodes: [String: Node] = [:]
            var unnamedByOp: [String: [Node]] = [:]
            var optTensors = Set<String>()
            for n in opt.nodes {
                if !n.name.isEmpty { optNodes[n.name] = n } else { unnamedByOp[n.opType, default: []].append(n) }
                optTensors.formUnion(n.inputs)
                optTensors.formUnion(n.outputs)
            }
            // Unnamed nodes ORT created (`FusedConv_12`) have no name in the written model: pair
            // them by op type, kernels in execution order with nodes in the file's topological order.
            for g in groups.indices.sorted(by: { groups[$0].order < groups[$1].order })
            where optNodes[groups[g].kernel] == nil && covered[g].isEmpty {
                let op = groups[g].opName
                guard groups[g].kernel.hasPrefix(op + "_"), Int(groups[g].kernel.dropFirst(op.count + 1)) != nil,
                      var queue = unnamedByOp[op], !queue.isEmpty else { continue }
                optNodes[groups[g].kernel] = queue.removeFirst()
                unnamedByOp[op] = queue
            }
            let initializerNames = Set(graph.initializers.map(\.name))
            let graphInputs = Set(graph.inputs.map(\.name))
            for (g, grp) in groups.enumerated() where kinds[g] != .compiled {
                guard let on = optNodes[grp.kernel] else { continue }
                let stop = Set(on.inputs)
                var claimed: [Int] = []
                var frontier = on.outputs.filter { producer[$0] != nil }
                var seen = Set<String>()
                while let t = frontier.popLast() {
                    guard seen.insert(t).inserted, let p = producer[t], !foldable.contains(p) else { continue }
                    if let o = owner[p], o != g { continue }
                    if !covered[g].contains(p) && !claimed.contains(p) { claimed.append(p) }
                    for u in nodes[p].inputs where !u.isEmpty && !stop.contains(u) && !initializerNames.contains(u)
                        && !graphInputs.contains(u) && !optTensors.contains(u) {
                        frontier.append(u)
                    }
                }
                guard !claimed.isEmpty else { continue }
                for i in claimed { owner[i] = g }
                covered[g] += claimed
                if kinds[g] == .inserted || covered[g].count > 1 { kinds[g] = covered[g].count > 1 ? .fused : .node }
            }
        }

        // Fusion: an uncovered node joins a neighbouring kernel whose op differs from its
        // anchor node's op (so the optimizer folded something into it). Iterate so chains like
        // Conv+Add+Relu collapse fully.
        let neverFused: Set<String> = ["Constant", "ConstantOfShape", "Identity", "Dropout"]
        func isFusedKernel(_ g: Int) -> Bool {
            guard kinds[g] != .compiled, kinds[g] != .inserted, let anchor = covered[g].first else { return false }
            return groups[g].opName != nodes[anchor].opType || covered[g].count > 1
        }
        var changed = true
        while changed {
            changed = false
            // Nodes missing from ORT's assignment report were rewritten before partitioning
            // (level-1 fusions such as Conv+BatchNormalization), so they may still be fused.
            for (i, n) in nodes.enumerated() where owner[i] == nil && !neverFused.contains(n.opType) && !foldable.contains(i) {
                let producers = n.inputs.compactMap { producer[$0] }
                let users = n.outputs.flatMap { consumers[$0] ?? [] }
                let candidate = (producers + users).compactMap { owner[$0] }.first { g in
                    isFusedKernel(g) && (assignedProvider[i] == nil || assignedProvider[i] == groups[g].provider)
                }
                if let g = candidate {
                    covered[g].append(i)
                    owner[i] = g
                    kinds[g] = .fused
                    changed = true
                }
            }
        }
        // Anchor: the covered node the kernel is named after (ORT names a QDQ group's
        // QLinearConv after its Conv, which the DequantizeLinear before it would otherwise
        // precede), else the one whose op matches the kernel's, else the first in graph order.
        for g in groups.indices where covered[g].count > 1 && kinds[g] != .compiled {
            let sorted = covered[g].sorted()
            let anchor = sorted.first { !nodes[$0].name.isEmpty && nodes[$0].name == groups[g].kernel }
                ?? sorted.first { nodes[$0].opType == groups[g].opName } ?? sorted[0]
            covered[g] = [anchor] + sorted.filter { $0 != anchor }
        }

        // Totals.
        let stats = groups.map { LatencyStats(milliseconds: $0.perRun) }
        let kernelTotal = stats.map(\.mean).reduce(0, +)
        func share(_ ms: Double) -> Double { kernelTotal > 0 ? ms / kernelTotal : 0 }

        // Provider per node: ORT's report, else the profiler's provider of the covering kernel.
        // Partitions are the runs of one provider along the graph (see ExecutionPartition).
        var nodeProvider: [Int: String] = [:]
        for i in nodes.indices { nodeProvider[i] = assignedProvider[i] ?? owner[i].map { groups[$0].provider } }
        let partitions = ExecutionPartition.runs(in: graph, providers: nodeProvider)
        let partitionOf = ExecutionPartition.numbers(of: partitions)

        var annotations: [NodeRuntimeAnnotation] = []
        for (i, n) in nodes.enumerated() {
            let g = owner[i]
            let provider = nodeProvider[i]
            let partition = partitionOf[i]
            let execution: NodeExecution
            var time: LatencyStats? = nil
            if let g {
                let isAnchor = covered[g].first == i
                switch kinds[g] {
                case .compiled: execution = .compiled(kernel: groups[g].kernel)
                case .fused where !isAnchor:
                    let anchor = covered[g][0]
                    execution = .fused(into: NodeRuntimeAnnotation.displayName(name: nodes[anchor].name, opType: nodes[anchor].opType, index: anchor),
                                       kernel: groups[g].kernel)
                default: execution = .kernel(groups[g].kernel)
                }
                if isAnchor { time = stats[g] }
            } else {
                execution = .eliminated
            }
            annotations.append(NodeRuntimeAnnotation(
                index: i, name: n.name, opType: n.opType, provider: provider, partition: partition,
                assignmentFromORT: assignedProvider[i] != nil, execution: execution, time: time,
                share: share(time?.mean ?? 0), inputShapes: g.map { groups[$0].shapes } ?? ""))
        }

        let kernels = groups.indices.map { g in
            KernelTiming(kernel: groups[g].kernel, opName: groups[g].opName, provider: groups[g].provider,
                         kind: kinds[g], nodes: covered[g], time: stats[g], share: share(stats[g].mean))
        }

        func buckets(_ key: (Int) -> String?) -> [TimeBucket] {
            var sum: [String: (Double, Int)] = [:]
            for g in groups.indices {
                guard let k = key(g) else { continue }
                let cur = sum[k] ?? (0, 0)
                sum[k] = (cur.0 + stats[g].mean, cur.1 + 1)
            }
            return sum.map { TimeBucket(key: $0.key, meanMs: $0.value.0, share: share($0.value.0), count: $0.value.1) }
                .sorted { $0.meanMs > $1.meanMs || ($0.meanMs == $1.meanMs && $0.key < $1.key) }
        }
        let byOp = buckets { g in
            switch kinds[g] {
            case .compiled: return groups[g].opName.components(separatedBy: "-subgraph_").first.map { "\($0) subgraph" }
            case .inserted: return groups[g].opName
            default: return covered[g].first.map { nodes[$0].opType }
            }
        }
        let byProvider = buckets { groups[$0].provider }
        let byPartition = buckets { g -> String? in
            if let p = covered[g].first.flatMap({ partitionOf[$0] }) { return "\(p) \(groups[g].provider)" }
            return "\(kinds[g] == .inserted ? "(inserted)" : "(no node)") \(groups[g].provider)"
        }
        let runs = keptRuns.map { Double(trace.runs[$0].duration) / 1000 }
        return RuntimeProfile(runLatency: LatencyStats(milliseconds: runs), kernelTotalMeanMs: kernelTotal,
                              kernels: kernels, nodes: annotations, partitions: partitions, byOpType: byOp,
                              byProvider: byProvider, byPartition: byPartition, assignmentFromORT: assignment != nil)
    }
}
