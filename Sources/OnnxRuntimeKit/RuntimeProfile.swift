/// How ORT executed an original model node.
public enum NodeExecution: Sendable, Equatable {
    /// Ran as its own kernel (possibly under another name, e.g. an NCHWc Conv named after its
    /// output); the kernel's time is this node's time.
    case kernel(String)
    /// Fused by ORT's optimizer into the kernel anchored at another node; its time is counted
    /// there (e.g. a Relu inside `FusedConv`).
    case fused(into: String, kernel: String)
    /// Part of a subgraph an EP compiled into one kernel (OpenVINO, TensorRT); the kernel's time
    /// covers the whole subgraph and is not split between its nodes.
    case compiled(kernel: String)
    /// Removed before execution (constant folding, Identity/Dropout elimination): no kernel.
    case eliminated
}

/// What the runtime learned about one original node: placement and time. Plain values so the
/// explorer can attach them to the node as annotations.
public struct NodeRuntimeAnnotation: Sendable, Equatable {
    /// Index in the model's top-level `graph.nodes`.
    public let index: Int
    /// Node name (may be empty in the model; see ``displayName``).
    public let name: String
    public let opType: String
    /// Provider ORT assigned, e.g. `CPUExecutionProvider`; nil for eliminated nodes.
    public let provider: String?
    /// Partition number, 1...k: the node's place among the maximal runs of one provider in
    /// topological order (see ``ExecutionPartition``); nil for nodes with no provider.
    public let partition: Int?
    /// Whether ``provider``/``partition`` came from ORT's assignment report (true) or from the
    /// profiler's `provider` field (false).
    public let assignmentFromORT: Bool
    public let execution: NodeExecution
    /// Kernel time attributed to this node, per run, in ms (zero for fused/eliminated nodes,
    /// whose time sits on the anchor node; compiled subgraphs put their time on their first
    /// node and mark the others `compiled`).
    public let time: LatencyStats?
    /// Share of the summed kernel time (mean), 0...1.
    public let share: Double
    /// Input shapes as the kernel saw them, e.g. `float[1,3,224,224], float[64,3,7,7]`.
    public let inputShapes: String

    /// A non-empty name for display: the node name or `<op>#<index>`.
    public var displayName: String { Self.displayName(name: name, opType: opType, index: index) }

    /// ``displayName`` for any node, annotated or not.
    static func displayName(name: String, opType: String, index: Int) -> String { name.isEmpty ? "\(opType)#\(index)" : name }
}

/// One kernel ORT actually executed (after fusion / layout changes / compilation) and the
/// original nodes it covers.
public struct KernelTiming: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Kernel of one original node.
        case node
        /// Kernel covering several original nodes fused by the optimizer.
        case fused
        /// A compiled EP subgraph.
        case compiled
        /// A kernel ORT inserted that has no original node (layout reorders, copies).
        case inserted
    }
    /// Kernel (event) name, without `_kernel_time`.
    public let kernel: String
    public let opName: String
    public let provider: String
    public let kind: Kind
    /// Original node indices covered, anchor first.
    public let nodes: [Int]
    /// Time per run (sum over executions within a run), ms.
    public let time: LatencyStats
    public let share: Double
}

/// Time summed over a category (op type, provider, partition).
public struct TimeBucket: Sendable, Equatable {
    public let key: String
    /// Mean ms per run.
    public let meanMs: Double
    public let share: Double
    /// Nodes (or kernels) in the bucket.
    public let count: Int
}

/// The profile of N runs mapped back to the original graph.
public struct RuntimeProfile: Sendable {
    /// Latency of each profiled `model_run` (ms).
    public let runLatency: LatencyStats
    /// Mean per run of the summed kernel times (ms).
    public let kernelTotalMeanMs: Double
    /// Mean per run of the time inside `model_run` outside kernels (executor, allocations).
    public var frameworkOverheadMeanMs: Double { runLatency.mean - kernelTotalMeanMs }
    public let kernels: [KernelTiming]
    /// One per original node, in graph order.
    public let nodes: [NodeRuntimeAnnotation]
    /// The runs of one provider along the graph that ``NodeRuntimeAnnotation/partition`` numbers.
    public let partitions: [ExecutionPartition]
    public let byOpType: [TimeBucket]
    public let byProvider: [TimeBucket]
    public let byPartition: [TimeBucket]
    /// True if placement came from ORT's assignment report.
    public let assignmentFromORT: Bool

    /// Sum of node times (mean): equals ``kernelTotalMeanMs`` minus inserted kernels' time,
    /// which are counted separately, so nothing is lost or double-counted.
    public var nodeTimeMeanMs: Double { nodes.compactMap { $0.time?.mean }.reduce(0, +) }
    public var insertedKernelMeanMs: Double { kernels.filter { $0.kind == .inserted }.map(\.time.mean).reduce(0, +) }
}
