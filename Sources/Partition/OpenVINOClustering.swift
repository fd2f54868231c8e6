import OnnxGraph
import OnnxModel

/// The OpenVINO EP's own partitioning, applied after its per-node decision (ORT 1.24's
/// `ov_versions/capability.cc` and `utils.cc`). It does not use ORT's generic grouping:
///
/// - A graph whose every node is supported goes whole to OpenVINO, except tiny graphs (three
///   nodes or fewer that start with an op OpenVINO only takes inside models, a lone Reshape
///   whose shape is computed, a lone Expand) and graphs with no inputs (ORT folds those).
/// - Otherwise the unsupported nodes, plus every TopK and NonZero, cut the topological order
///   into runs; each run splits into its connected pieces (clusters). A one-node cluster is
///   never compiled alone: it joins the next cluster when an edge links them, else it stays
///   on the CPU EP. A cluster in which a Conv or Identity output leaves the cluster (read by a
///   node outside it) is dropped whole.
///
/// Nodes the EP supports but this leaves out get a ``Blocker/partitionRule(_:)`` reason.
/// Sub-graph bodies are not clustered on their own: they go with their If/Loop/Scan node.
enum OpenVINOClustering {
    /// `DataOps::InsertNode`: supported, yet always left to the CPU EP in a partitioned graph.
    static let splitOps: Set<String> = ["TopK", "NonZero"]
    /// `ops_supported_only_in_model`: ops OpenVINO does not take as (nearly) the whole graph.
    /// The source's list, less the ops the 1.24.1 wheel was measured to take as a one-node
    /// graph (Add, Concat, Exp, EyeLike, Identity, Not, Resize, Round, Shape, Split, Tile,
    /// Trilu); Cast, Celu, ConstantOfShape, Dropout, Einsum, Expand, GatherND,
    /// LayerNormalization, Pad, ReduceMin, Slice and TopK were measured refused.
    static let supportedOnlyInModel: Set<String> = [
        "Cast", "Celu", "ConstantOfShape", "DequantizeLinear", "Dropout", "Einsum", "Expand", "GatherElements",
        "GatherND", "GridSample", "LayerNormalization", "Loop", "LSTM", "NonMaxSuppression", "NonZero", "OneHot",
        "Pad", "QuantizeLinear", "RandomNormalLike", "Range", "ReduceMin", "Slice", "TopK",
    ]

    static func apply(_ nodes: [NodeSupport], index: GraphIndex, shapes: ShapeInferenceResult) -> [NodeSupport] {
        var position: [Int: Int] = [:]
        for (i, n) in nodes.enumerated() where n.scope == 0 { position[n.node] = i }
        let scope = index.main
        // ORT turns Constant nodes into initializers at load: the EP never sees them.
        let members = scope.topologicalOrder.filter { n in position[n].map { !nodes[$0].isConstantNode } ?? false }
        let supported = Set(members.filter { nodes[position[$0]!].supported })
        let reasons = supported.count == members.count
            ? wholeGraphReasons(members, scope: scope, index: index, shapes: shapes)
            : partialGraphReasons(members, supported: supported, scope: scope)
        var out = nodes
        for (node, why) in reasons { out[position[node]!] = nodes[position[node]!].with(blockers: [.partitionRule(why)]) }
        return inheritBodies(out, index: index)
    }

    /// Nodes inside If/Loop/Scan bodies go where their node goes: OpenVINO compiles the
    /// control-flow node with its bodies, and checks only the node's own op.
    static func inheritBodies(_ nodes: [NodeSupport], index: GraphIndex) -> [NodeSupport] {
        var at: [NodeRef: Int] = [:]
        for (i, n) in nodes.enumerated() { at[NodeRef(scope: n.scope, node: n.node)] = i }
        var out = nodes
        // Scopes are indexed parents first, so a body's node is settled before the body.
        for scope in index.scopes where scope.id != 0 {
            guard let link = scope.parent, let p = at[NodeRef(scope: link.scope, node: link.node)] else { continue }
            let parent = out[p]
            for n in 0..<scope.nodeCount {
                guard let i = at[NodeRef(scope: scope.id, node: n)] else { continue }
                let blockers: [Blocker] = parent.supported ? []
                    : [.partitionRule("it is in a body of \(parent.op.replacingOccurrences(of: "ai.onnx:", with: "")) '\(parent.name)', which stays on the CPU EP")]
                out[i] = out[i].with(blockers: blockers)
            }
        }
        return out
    }

    /// Every node supported: the graph goes whole, unless it is one of the tiny cases.
    static func wholeGraphReasons(_ members: [Int], scope: GraphScope, index: GraphIndex, shapes: ShapeInferenceResult) -> [Int: String] {
        guard let first = members.first else { return [:] }
        let initializers = Set(scope.initializerNames)
        let all = { (why: String) in Dictionary(uniqueKeysWithValues: members.map { ($0, why) }) }
        if !scope.graph.inputs.contains(where: { !initializers.contains($0.name) }) {
            return all("the graph has no inputs: ORT folds it at load, the OpenVINO EP takes nothing")
        }
        let op = scope.node(first).opType
        if members.count <= 3, supportedOnlyInModel.contains(op) {
            return all("a graph of \(members.count) node\(members.count == 1 ? "" : "s") starting with \(op): the OpenVINO EP takes \(op) only inside larger models")
        }
        if members.count == 1 {
            let node = scope.node(first)
            if op == "Reshape", node.inputs.count > 1, !initializers.contains(node.inputs[1]) {
                return all("a lone Reshape whose shape is computed: the OpenVINO EP does not take it")
            }
            if op == "Expand", let out = node.outputs.first, shapes.facts(out, scope: 0)?.elementType != .float16 {
                return all("a lone Expand (not float16): the OpenVINO EP does not take it")
            }
        }
        return [:]
    }

    /// Some node unsupported: clusters between the cuts, and the rules that drop clusters.
    static func partialGraphReasons(_ members: [Int], supported: Set<Int>, scope: GraphScope) -> [Int: String] {
        var reasons: [Int: String] = [:]
        var runs: [[Int]] = [[]]
        for n in members {
            if supported.contains(n) && !splitOps.contains(scope.node(n).opType) {
                runs[runs.count - 1].append(n)
            } else {
                if supported.contains(n) {
                    reasons[n] = "the OpenVINO EP leaves every \(scope.node(n).opType) to the CPU EP when it splits a graph"
                }
                runs.append([])
            }
        }
        var clusters = runs.flatMap { connectedPieces(of: $0, scope: scope) }
        var i = 0
        while i < clusters.count {
            let cluster = clusters[i]
            defer { i += 1 }
            if cluster.count == 1, scope.node(cluster[0]).opType != "EPContext", i < clusters.count - 1 {
                let node = cluster[0]
                if !neighbours(of: node, scope: scope).isDisjoint(with: clusters[i + 1]) {
                    clusters[i + 1].append(node)
                } else {
                    reasons[node] = "it would be a one-node cluster: the OpenVINO EP leaves those to the CPU EP"
                }
                continue
            }
            if let why = droppedCluster(cluster, scope: scope) {
                for n in cluster { reasons[n] = why }
            }
        }
        return reasons
    }

    /// Why the EP drops a whole cluster, if it does: a Conv or Identity whose output is read
    /// outside the cluster (OpenVINO's "omit_subgraph" check).
    static func droppedCluster(_ cluster: [Int], scope: GraphScope) -> String? {
        let inside = Set(cluster)
        for n in cluster {
            let node = scope.node(n)
            guard node.opType == "Conv" || node.opType == "Identity", let out = node.outputs.first, !out.isEmpty else { continue }
            let readers = scope.consumers(of: out)
            if readers.contains(where: { !inside.contains($0) }) {
                return "its cluster is dropped: \(node.opType) '\(scope.displayName(n))' inside it feeds a node outside it, and the OpenVINO EP omits such clusters"
            }
        }
        return nil
    }

    /// Splits a run into connected pieces, each found from its first remaining node.
    static func connectedPieces(of run: [Int], scope: GraphScope) -> [[Int]] {
        var left = run
        var pieces: [[Int]] = []
        while let start = left.first {
            var remaining = Set(left)
            var piece: [Int] = []
            var stack = [start]
            remaining.remove(start)
            while let n = stack.popLast() {
                piece.append(n)
                for m in neighbours(of: n, scope: scope) where remaining.contains(m) {
                    remaining.remove(m)
                    stack.append(m)
                }
            }
            let taken = Set(piece)
            left.removeAll { taken.contains($0) }
            pieces.append(piece)
        }
        return pieces
    }

    /// Nodes linked to `n` by an edge either way (sub-graph reads included).
    static func neighbours(of n: Int, scope: GraphScope) -> Set<Int> {
        let node = scope.node(n)
        var out = Set<Int>()
        for value in node.inputs + scope.implicitInputs(of: n) where !value.isEmpty {
            if let p = scope.producerNode(of: value), p != n { out.insert(p) }
        }
        for value in node.outputs where !value.isEmpty {
            for c in scope.consumers(of: value) where c != n { out.insert(c) }
        }
        return out
    }
}
