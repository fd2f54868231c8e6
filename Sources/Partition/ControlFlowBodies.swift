import OnnxGraph

/// EPs that compile an If/Loop/Scan with its bodies take it only when they take every node of
/// every body (TensorRT's `GetCapability`: a control-flow node whose subgraph nodes are not all
/// assigned to it is dropped).
enum ControlFlowBodies {
    static func requireWhole(_ nodes: [NodeSupport], index: GraphIndex) -> [NodeSupport] {
        var at: [NodeRef: Int] = [:]
        for (i, n) in nodes.enumerated() { at[NodeRef(scope: n.scope, node: n.node)] = i }
        var out = nodes
        // Deepest scopes first, so a nested If is settled before the If around it.
        for scope in index.scopes.sorted(by: { $0.depth > $1.depth }) {
            for n in 0..<scope.nodeCount {
                let bodies = scope.subgraphScopes(of: n)
                guard !bodies.isEmpty, let i = at[NodeRef(scope: scope.id, node: n)], out[i].supported else { continue }
                let refused = bodies.lazy.flatMap { b in (0..<index.scopes[b].nodeCount).map { NodeRef(scope: b, node: $0) } }
                    .compactMap { at[$0].map { out[$0] } }
                    .first { !$0.supported && !$0.isConstantNode }
                guard let refused else { continue }
                out[i] = out[i].with(blockers: [.partitionRule("its body node '\(refused.name)' (\(refused.op)) is not taken, and the EP takes a control-flow node only with its whole bodies")])
            }
        }
        return out
    }
}
