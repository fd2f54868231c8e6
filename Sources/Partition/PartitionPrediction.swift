import OnnxGraph
import OnnxModel

/// Whether a target is worth trying, by the usability checker's rule: one partition covering
/// more than 75 % of the nodes is yes, more than 50 % maybe; two partitions over 75 % maybe;
/// anything else no (device copies would cost more than the accelerator saves).
public enum Verdict: String, Sendable, Codable, Comparable {
    case no, maybe, yes

    public init(supported: Int, total: Int, partitions: Int) {
        let share = total == 0 ? 0 : Double(supported) / Double(total) * 100
        switch partitions {
        case 1: self = share > 75 ? .yes : share > 50 ? .maybe : .no
        case 2: self = share > 75 ? .maybe : .no
        default: self = .no
        }
    }

    /// The verdict in words, as the report prints it.
    public var words: String {
        switch self {
        case .yes: return "YES, should work well"
        case .maybe: return "MAYBE, measure it"
        case .no: return "NO, likely slower than the CPU EP alone"
        }
    }

    /// The verdict for a target by how it places nodes: the checker's partition rule for EPs
    /// that compile partitions; the share of nodes alone for kernel-per-node EPs (their nodes
    /// share the CPU's memory, so a hand-off costs no device copy); and for the CPU EP, the
    /// fallback of all others, yes only when every node has a kernel (else the session fails).
    public init(supported: Int, total: Int, partitions: Int, target: PartitionTarget) {
        switch (target, target.catalog.placement) {
        case (.cpu, _): self = supported == total ? .yes : .no
        case (_, .kernelPerNode):
            let share = total == 0 ? 0 : Double(supported) / Double(total) * 100
            self = share > 75 ? .yes : share > 50 ? .maybe : .no
        case (_, .compiledPartitions): self.init(supported: supported, total: total, partitions: partitions)
        }
    }

    public static func < (a: Verdict, b: Verdict) -> Bool {
        let order: [Verdict] = [.no, .maybe, .yes]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}

/// A node of the analysed model, by scope and position.
public struct NodeRef: Sendable, Hashable {
    public var scope: Int
    public var node: Int
}

/// Partition counts for one way of deciding support.
public struct PartitionCounts: Sendable {
    public var totalNodes: Int
    public var supportedNodes: Int
    public var groups: [[NodeRef]]
    public var partitions: Int { groups.count }
    public var partitionSizes: [Int] { groups.map(\.count) }
    public var unsupportedOps: [String]
    /// Nodes held back by a dynamic input shape (they may also have other blockers).
    public var dynamicShapeNodes: Int
    public var unsupportedDueToOp: Int
    public var rankNodes: Int
    /// Sub-graphs analysed (merged into the totals, as the checker does).
    public var subgraphs: Int
    /// The target whose rule gives the verdict; nil for the usability checker's own rule.
    public var target: PartitionTarget?
    public var verdict: Verdict {
        guard let target else { return Verdict(supported: supportedNodes, total: totalNodes, partitions: partitions) }
        return Verdict(supported: supportedNodes, total: totalNodes, partitions: partitions, target: target)
    }

    /// `3 of 86 nodes in 1 partition [3]` (at most 12 sizes listed).
    public var coverage: String {
        if let target, target.catalog.placement == .kernelPerNode {
            // Each node is its own kernel: what matters is how many run there, not groups.
            return "\(supportedNodes) of \(totalNodes) nodes have \(target.displayName) kernels"
                + (supportedNodes == totalNodes || supportedNodes == 0 ? "" : " (\(partitions) stretch\(partitions == 1 ? "" : "es") of the graph)")
        }
        let sizes = partitionSizes.prefix(12).map(String.init).joined(separator: ", ") + (partitions > 12 ? ", …" : "")
        return "\(supportedNodes) of \(totalNodes) nodes in \(partitions) partition\(partitions == 1 ? "" : "s")"
            + (partitions > 0 ? " [\(sizes)]" : "")
    }
}

/// What one target would take of a model: per node, partitions, verdict; the usability
/// checker's numbers reproduced beside onnxscope's; and the same after fixing the dims.
public struct TargetPrediction: Sendable {
    public let target: PartitionTarget
    public let nodes: [NodeSupport]
    /// onnxscope's counts (every condition checked).
    public let counts: PartitionCounts
    /// The usability checker's counts for the same graph.
    public let checker: PartitionCounts
    /// Nodes where onnxscope and the checker decide differently, with the reason.
    public let checkerDifferences: [(node: String, reason: String)]
    /// With the dims fixed: onnxscope's (free dims bound) and the checker's (shapes ignored);
    /// nil when the checker would not rerun (verdict already yes, or no dynamic input).
    public let fixedShapes: (counts: PartitionCounts, checker: PartitionCounts, nodes: [NodeSupport], bindings: [String: Int64])?
    /// Why the EP would fail the whole session when it compiles what it was given (OpenVINO).
    public var compileRisks: [CompileRisk] = []
    /// What ORT did with the model on this machine (`partition --measure`), when asked.
    public var measured: MeasuredPlacement?

    /// The verdict, NO when the session is predicted to fail whatever the coverage.
    public var verdict: Verdict { compileRisks.isEmpty ? counts.verdict : .no }

    /// The verdict in words, saying why when it is the predicted session failure.
    public var verdictWords: String { compileRisks.isEmpty ? verdict.words : "NO, the session is predicted to fail" }

    /// Predicts `target` on `model`. `shapes` are inferred with the user's dims; `fixedShapes`
    /// with every free dim bound (used for the fixed-shape rerun); `checkerShapes` without value
    /// propagation, as onnx's shape inference gives them to the usability checker.
    public static func predict(_ target: PartitionTarget, model: Model, index: GraphIndex,
                               shapes: ShapeInferenceResult, fixedShapes: ShapeInferenceResult?,
                               checkerShapes: ShapeInferenceResult? = nil,
                               bindings: [String: Int64]) -> TargetPrediction {
        let opsets = NodeSupportChecker.opsets(of: model)
        let asIs = NodeSupportChecker(catalog: target.catalog, index: index, shapes: shapes, checkerShapes: checkerShapes, requireFixedShapes: true, opsets: opsets)
        let nodes = partition(decide(asIs, index: index), target: target, index: index, shapes: shapes)
        let counts = Self.counts(nodes, index: index, view: .onnxscope, target: target)
        let checker = Self.counts(nodes, index: index, view: .checker)
        var fixed: (PartitionCounts, PartitionCounts, [NodeSupport], [String: Int64])?
        if ((target.hasUsabilityChecker && checker.verdict != .yes) || counts.verdict != .yes) && hasDynamicInput(index: index, shapes: shapes) {
            let ours = NodeSupportChecker(catalog: target.catalog, index: index, shapes: fixedShapes ?? shapes, requireFixedShapes: true, opsets: opsets)
            let checkers = NodeSupportChecker(catalog: target.catalog, index: index, shapes: shapes, checkerShapes: checkerShapes, requireFixedShapes: false, opsets: opsets)
            let fixedNodes = partition(decide(ours, index: index), target: target, index: index, shapes: fixedShapes ?? shapes)
            let checkerNodes = decide(checkers, index: index)
            fixed = (Self.counts(fixedNodes, index: index, view: .onnxscope, target: target),
                     Self.counts(checkerNodes, index: index, view: .checker), fixedNodes, bindings)
        }
        return TargetPrediction(target: target, nodes: nodes, counts: counts, checker: checker,
                                checkerDifferences: target.hasUsabilityChecker ? differences(nodes, catalog: target.catalog) : [],
                                fixedShapes: fixed,
                                compileRisks: target == .openvino ? OpenVINOCompileRisks.find(nodes, index: index, shapes: shapes) : [])
    }

    /// Applies the target's own partitioning rules after the per-node decisions: nodes the EP
    /// supports but its clustering leaves out go back to the CPU EP.
    static func partition(_ nodes: [NodeSupport], target: PartitionTarget, index: GraphIndex, shapes: ShapeInferenceResult) -> [NodeSupport] {
        let decided = target.catalog.controlFlowNeedsWholeBodies ? ControlFlowBodies.requireWhole(nodes, index: index) : nodes
        switch target.catalog.partitioning {
        case .ortGroups: return decided
        case .openVINOClusters: return OpenVINOClustering.apply(decided, index: index, shapes: shapes)
        case .ortGroupsWithoutLoneQDQ: return dropLoneQDQ(decided, index: index)
        }
    }

    /// QNN: a partition of a single QuantizeLinear or DequantizeLinear stays on the CPU EP.
    static func dropLoneQDQ(_ nodes: [NodeSupport], index: GraphIndex) -> [NodeSupport] {
        let groups = counts(nodes, index: index, view: .onnxscope).groups
        var lone = Set<NodeRef>()
        for g in groups where g.count == 1 {
            let op = index.scopes[g[0].scope].node(g[0].node).opType
            if op == "QuantizeLinear" || op == "DequantizeLinear" { lone.insert(g[0]) }
        }
        guard !lone.isEmpty else { return nodes }
        return nodes.map { n in
            guard lone.contains(NodeRef(scope: n.scope, node: n.node)) else { return n }
            return n.with(blockers: [.partitionRule("it would be a partition of one \(n.op.replacingOccurrences(of: "ai.onnx:", with: "")) alone: the EP leaves those to the CPU EP")])
        }
    }

    /// The display name of a node of the analysed graph.
    public func name(of ref: NodeRef) -> String? { nodes.first { $0.scope == ref.scope && $0.node == ref.node }?.name }

    static func decide(_ checker: NodeSupportChecker, index: GraphIndex) -> [NodeSupport] {
        index.scopes.flatMap { scope in (0..<scope.nodeCount).map { checker.support(scope: scope.id, node: $0) } }
    }

    /// Whose decision to count: onnxscope's, or the usability checker's reproduced.
    enum View { case onnxscope, checker }

    /// Counts and partitions, scope by scope, summed like the checker sums sub-graphs.
    static func counts(_ nodes: [NodeSupport], index: GraphIndex, view: View, target: PartitionTarget? = nil) -> PartitionCounts {
        let supported: (NodeSupport) -> Bool = view == .checker ? { $0.checker.supported } : { $0.supported }
        var byScope: [Int: [Int: NodeSupport]] = [:]
        for n in nodes { byScope[n.scope, default: [:]][n.node] = n }
        var groups: [[NodeRef]] = []
        // OpenVINO compiles an If/Loop/Scan with its bodies: they are part of its partition.
        let bodiesGoWithNode = view == .onnxscope && (target?.catalog.compilesBodiesWithNode ?? false)
        for scope in depthFirstScopes(index) where !(bodiesGoWithNode && scope.id != 0) {
            let decided = byScope[scope.id] ?? [:]
            let ignored: (Int) -> Bool = view == .checker ? { _ in false } : { n in decided[n]?.isConstantNode ?? false }
            groups += PartitionGrouping.groups(scope: scope, ignored: ignored) { n in decided[n].map(supported) ?? false }
                .map { $0.map { NodeRef(scope: scope.id, node: $0) } }
        }
        if bodiesGoWithNode {
            groups = groups.map { g in g + g.flatMap { bodyNodes(of: $0, index: index, byScope: byScope) } }
        }
        // onnxscope leaves out Constant nodes (initializers once ORT loads the model).
        let nodes = view == .checker ? nodes : nodes.filter { !$0.isConstantNode }
        let unsupported = nodes.filter { !supported($0) }
        let opBlocked: [NodeSupport], dynamic: Int, rank: Int
        switch view {
        case .checker:
            // The checker counts each failed test separately, over all nodes.
            opBlocked = nodes.filter { !$0.checker.opListed }
            dynamic = nodes.filter { !$0.checker.shapesFixed }.count
            rank = nodes.filter { !$0.checker.rankSupported }.count
        case .onnxscope:
            opBlocked = unsupported.filter { $0.blockers.contains { $0.kind == "operator" } }
            dynamic = unsupported.filter { $0.blockers.contains { $0.kind == "dynamic shape" } }.count
            rank = unsupported.filter { $0.blockers.contains { $0.kind == "rank" } }.count
        }
        return PartitionCounts(totalNodes: nodes.count, supportedNodes: nodes.count - unsupported.count, groups: groups,
                               unsupportedOps: Set(opBlocked.map(\.op)).sorted(), dynamicShapeNodes: dynamic,
                               unsupportedDueToOp: opBlocked.count, rankNodes: rank, subgraphs: index.scopes.count - 1,
                               target: target)
    }

    /// The nodes inside `ref`'s sub-graphs, nested ones too (Constant nodes left out).
    static func bodyNodes(of ref: NodeRef, index: GraphIndex, byScope: [Int: [Int: NodeSupport]]) -> [NodeRef] {
        index.scopes[ref.scope].subgraphScopes(of: ref.node).flatMap { s in
            (0..<index.scopes[s].nodeCount).filter { !(byScope[s]?[$0]?.isConstantNode ?? false) }.flatMap { n in
                [NodeRef(scope: s, node: n)] + bodyNodes(of: NodeRef(scope: s, node: n), index: index, byScope: byScope)
            }
        }
    }

    /// Scopes in the order the checker walks them: a graph, then each node's sub-graphs in
    /// file order, depth first (so partitions are listed in the same order).
    static func depthFirstScopes(_ index: GraphIndex) -> [GraphScope] {
        var out: [GraphScope] = []
        var stack = [0]
        while let s = stack.popLast() {
            let scope = index.scopes[s]
            out.append(scope)
            let children = (0..<scope.nodeCount).flatMap { scope.subgraphScopes(of: $0) }
            stack.append(contentsOf: children.reversed())
        }
        return out
    }

    static func hasDynamicInput(index: GraphIndex, shapes: ShapeInferenceResult) -> Bool {
        index.main.graph.inputs.contains { input in
            guard index.main.initializer(named: input.name) == nil else { return false }
            guard let dims = shapes.facts(input.name)?.dims else { return true }
            return !dims.allSatisfy { ($0.intValue ?? 0) > 0 }
        }
    }

    static func differences(_ nodes: [NodeSupport], catalog: CapabilityCatalog) -> [(node: String, reason: String)] {
        nodes.compactMap { n in
            guard n.supported != n.checker.supported else { return nil }
            if n.supported {
                // The checker refuses what onnxscope takes.
                if !n.checker.opListed { return (n.name, "\(n.op): \(catalog.ops[n.op]?.checkerMisses ?? "not in the checker's table")") }
                if !n.checker.shapesFixed { return (n.name, "the checker counts a missing optional input or a value onnx's shape inference leaves untyped as a dynamic shape; every input is fixed") }
                return (n.name, "the checker's rank check refuses it")
            }
            let reason = n.blockers.map { b -> String in
                switch b {
                case .dynamicShape(let input, let dims) where dims.isEmpty:
                    return "input '\(input)' has an unknown rank, which the checker reads as a fixed scalar"
                case .condition: return "the checker does not check: " + b.description
                default: return b.description
                }
            }.joined(separator: "; ")
            return (n.name, reason)
        }
    }
}
