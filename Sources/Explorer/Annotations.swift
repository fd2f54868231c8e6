/// What the runtime, the profiler and the quantizer learned about one node.
///
/// Views only read annotations; later stages (sessions, profiling, quantization plans) fill
/// them in, so the explorer never calls the runtime itself and never waits for it.
public struct NodeAnnotation: Hashable, Sendable {
    /// Execution provider running the node (`CPUExecutionProvider`, `OpenVINOExecutionProvider`…).
    public var provider: String?
    /// True when the provider is predicted from a capability catalog rather than reported by ORT.
    public var providerIsPredicted = false
    /// Partition (fused sub-graph) the provider compiled the node into.
    public var partition: Int?
    /// Median kernel time in microseconds, over profiled runs.
    public var kernelTimeMicroseconds: Double?
    /// Quantization state to show ("int8 per-channel", "float (kept)").
    public var quantization: String?
    /// Anything else worth telling (fused by ORT, unsupported on a target…).
    public var notes: [String] = []
    /// 90th percentile kernel time in microseconds.
    public var kernelTimeP90Microseconds: Double?
    /// Share of the summed kernel time, 0...1.
    public var share: Double?
    /// Nodes in the node's partition.
    public var partitionSize: Int?
    /// Input shapes as the kernel saw them at run time.
    public var inputShapes: String?
    /// The kernels ORT ran that cover this node (its own, a fused one, a compiled subgraph).
    public var kernels: [Kernel] = []
    /// How ORT executed the node when not as its own kernel.
    public var execution: Execution?

    /// One kernel ORT executed, with the original nodes it covers (anchor first).
    public struct Kernel: Hashable, Sendable {
        public var name: String
        public var op: String
        public var provider: String
        public var nodes: [Int]
        public init(name: String, op: String, provider: String, nodes: [Int]) {
            self.name = name; self.op = op; self.provider = provider; self.nodes = nodes
        }
    }

    /// Not run as a kernel of its own.
    public enum Execution: Hashable, Sendable {
        /// Fused by ORT's optimizer into the kernel anchored at another node (by name).
        case fused(into: String)
        /// Inside a subgraph an EP compiled into one kernel.
        case compiled(kernel: String)
        /// Removed before execution (constant folding, Identity elimination).
        case eliminated

        public var description: String {
            switch self {
            case .fused(let into): return "fused into \(into)"
            case .compiled(let kernel): return "compiled into \(kernel)"
            case .eliminated: return "eliminated by ORT (constant-folded or removed)"
            }
        }
    }

    public init(provider: String? = nil, providerIsPredicted: Bool = false, partition: Int? = nil,
                kernelTimeMicroseconds: Double? = nil, quantization: String? = nil, notes: [String] = []) {
        self.provider = provider
        self.providerIsPredicted = providerIsPredicted
        self.partition = partition
        self.kernelTimeMicroseconds = kernelTimeMicroseconds
        self.quantization = quantization
        self.notes = notes
    }

    public var isEmpty: Bool {
        provider == nil && partition == nil && kernelTimeMicroseconds == nil && quantization == nil && notes.isEmpty && execution == nil
    }
}

/// Annotations of every node that has any, plus a note of where they came from.
public struct Annotations: Hashable, Sendable {
    public private(set) var byNode: [NodeKey: NodeAnnotation] = [:]
    /// Where the annotations come from ("ORT 1.24 CPU, 50 runs"); nil until a run fills them.
    public var source: String?

    public init() {}

    public subscript(key: NodeKey) -> NodeAnnotation? {
        get { byNode[key] }
        set { byNode[key] = newValue }
    }

    public var isEmpty: Bool { byNode.isEmpty }

    /// Whether any node carries a kernel time (the ops table then offers the time column).
    public var hasTimes: Bool { byNode.values.contains { $0.kernelTimeMicroseconds != nil } }
}
