import OnnxGraph
import OnnxModel
import Partition

/// Predicted placement on deployment targets for the document shown, computed on first use
/// per target and kept until the document changes (a `dim` rebinding makes a new one).
///
/// The explorer predicts on the model as written, so every prediction lands on a box of the
/// graph shown; `onnxscope partition` starts from ORT's optimized graph, which can differ
/// where ORT fuses or folds nodes. The views say so.
struct DeploymentCache {
    /// The dims the predictions were made with; another binding means another document.
    private var binding: [[String: Int64]]?
    private var predictions: [PartitionTarget: TargetPrediction] = [:]
    private var byNode: [PartitionTarget: [NodeKey: Int]] = [:]
    private var shapes: ShapeComputation?

    mutating func prediction(_ target: PartitionTarget, document: Document) -> TargetPrediction {
        refresh(for: document)
        if let p = predictions[target] { return p }
        let a = document.analysis
        let p = TargetPrediction.predict(target, model: document.model, index: a.index, shapes: a.shapes,
                                         fixedShapes: a.boundShapes, bindings: a.binding.values)
        predictions[target] = p
        var keys: [NodeKey: Int] = [:]
        for (i, n) in p.nodes.enumerated() { keys[NodeKey(scope: n.scope, node: n.node)] = i }
        byNode[target] = keys
        return p
    }

    /// The target's decision on one node.
    mutating func support(_ key: NodeKey, target: PartitionTarget, document: Document) -> NodeSupport? {
        let p = prediction(target, document: document)
        return byNode[target]?[key].map { p.nodes[$0] }
    }

    /// The run-time shape computations of the document.
    mutating func shapeComputation(document: Document) -> ShapeComputation {
        refresh(for: document)
        if let shapes { return shapes }
        let a = document.analysis
        let s = ShapeComputation.find(index: a.index, shapes: a.shapes,
                                      freeDims: Set(a.binding.dimensions.map(\.name)).subtracting(a.binding.userValues.keys))
        shapes = s
        return s
    }

    private mutating func refresh(for document: Document) {
        // The user's dims decide the shapes; all dims (hints too) the fixed-shape rerun.
        let current = [document.analysis.binding.userValues, document.analysis.binding.values]
        if binding != current {
            binding = current
            predictions = [:]
            byNode = [:]
            shapes = nil
        }
    }
}

extension ExplorerApp {
    /// The current deployment target's prediction.
    var deployPrediction: TargetPrediction { deployment.prediction(state.deployTarget, document: document) }

    /// The current deployment target's decision on `key`.
    func predictedSupport(_ key: NodeKey) -> NodeSupport? {
        deployment.support(key, target: state.deployTarget, document: document)
    }

    /// `T`: the next deployment target; the graph shows it when tinted by prediction.
    func cycleDeployTarget() {
        let all = PartitionTarget.allCases
        state.deployTarget = all[((all.firstIndex(of: state.deployTarget) ?? 0) + 1) % all.count]
        state.deployList = ScrollStateBox()
        announceDeployTarget()
    }

    /// `target NAME` from the palette.
    func chooseDeployTarget(_ args: [String]) {
        guard let name = args.first, let t = PartitionTarget(rawValue: name.lowercased()) else {
            state.message = StatusMessage("target: use one of \(PartitionTarget.allCases.map(\.rawValue).joined(separator: ", "))", kind: .error)
            return
        }
        state.deployTarget = t
        state.deployList = ScrollStateBox()
        if state.view == .graph { state.tint = .predicted }
        announceDeployTarget()
    }

    private func announceDeployTarget() {
        let c = deployPrediction.counts
        state.message = StatusMessage("target \(state.deployTarget.displayName): \(c.supportedNodes) of \(c.totalNodes) nodes in "
                                      + "\(c.partitions) partition\(c.partitions == 1 ? "" : "s"), \(c.verdict.rawValue) (predicted on the model as written)")
    }
}
