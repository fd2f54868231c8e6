import OnnxModel

/// What one execution provider can take of one op: the conditions (rules) it puts on the node.
public struct OpCapability: Sendable {
    /// `ai.onnx` or `com.microsoft`.
    public let domain: String
    public let op: String
    public let rules: [CapabilityRule]
    /// Set when the reference table lists this op in a form ORT's usability checker cannot
    /// match, so the checker never counts it as supported; the text says why.
    public let checkerMisses: String?

    public init(_ op: String, domain: String = "ai.onnx", _ rules: [CapabilityRule] = [], checkerMisses: String? = nil) {
        self.op = op; self.domain = domain; self.rules = rules; self.checkerMisses = checkerMisses
    }

    /// `domain:op`, the key the usability checker uses.
    public var key: String { domain + ":" + op }
}

/// The ops a target takes and under which conditions, with the ORT release it describes and
/// where each fact comes from.
public struct CapabilityCatalog: Sendable {
    public let target: PartitionTarget
    /// The ORT release the facts were taken from.
    public let ortRelease: String
    /// Where the facts come from (file in the wheel, EP source file).
    public let source: String
    /// Highest input rank the EP accepts, if it has a limit.
    public let maxRank: Int?
    /// Whether every input of a node must have a fixed shape for the EP to take it.
    public let requiresFixedShapes: Bool
    /// Why nodes inside If/Loop/Scan bodies are not taken, when they are not.
    public let subgraphLimitation: String?
    public let ops: [String: OpCapability]
    /// The same ops by bare name, for an EP that ignores domains.
    let opsByName: [String: OpCapability]
    /// Conditions the EP puts on every node it takes, whatever the op (element types it
    /// handles, for one); checked after the op's own rules.
    public let commonRules: [CapabilityRule]
    /// How the EP's nodes become partitions.
    public let placement: Placement
    /// How the EP turns its supported nodes into partitions.
    public let partitioning: Partitioning
    /// The EP compiles an If/Loop/Scan together with its bodies (OpenVINO, TensorRT): body
    /// nodes count in the control-flow node's partition, not as partitions of their own.
    public let compilesBodiesWithNode: Bool
    /// The EP takes an If/Loop/Scan only when it takes every node of its bodies (TensorRT).
    public let controlFlowNeedsWholeBodies: Bool
    /// The EP matches ops by name alone, whatever their domain (OpenVINO's `data_ops.cc` list
    /// holds `Gelu`, `FusedMatMul`, `QLinearAdd`… and takes them from ai.onnx or com.microsoft).
    public let matchesOpNameInAnyDomain: Bool

    /// How an EP turns the nodes it can take into what ORT assigns to it.
    public enum Placement: Sendable, Hashable {
        /// The EP compiles connected groups of supported nodes into one fused node each
        /// (NNAPI, CoreML, QNN, TensorRT, OpenVINO): partitions are what it costs.
        case compiledPartitions
        /// The EP registers a kernel per op (the CPU EP, XNNPACK): each node is placed on its
        /// own; "partitions" only count where the graph leaves the EP.
        case kernelPerNode
    }

    /// The rules that turn supported nodes into partitions.
    public enum Partitioning: Sendable, Hashable {
        /// ORT's generic grouping (`CreateSupportedPartitions`), every group kept.
        case ortGroups
        /// The OpenVINO EP's own clustering (`capability.cc`): see ``OpenVINOClustering``.
        case openVINOClusters
        /// ORT's grouping, less partitions that are one lone QuantizeLinear or DequantizeLinear
        /// (QNN's `GetCapabilityImpl` drops those: a Q or DQ alone on the NPU only adds a copy).
        case ortGroupsWithoutLoneQDQ
    }

    public init(target: PartitionTarget, ortRelease: String, source: String, maxRank: Int? = nil,
                requiresFixedShapes: Bool, subgraphLimitation: String?, placement: Placement = .compiledPartitions,
                partitioning: Partitioning = .ortGroups, matchesOpNameInAnyDomain: Bool = false,
                compilesBodiesWithNode: Bool = false, controlFlowNeedsWholeBodies: Bool = false,
                commonRules: [CapabilityRule] = [], ops: [OpCapability]) {
        self.target = target; self.ortRelease = ortRelease; self.source = source; self.maxRank = maxRank
        self.requiresFixedShapes = requiresFixedShapes; self.subgraphLimitation = subgraphLimitation
        self.placement = placement; self.partitioning = partitioning; self.commonRules = commonRules
        self.matchesOpNameInAnyDomain = matchesOpNameInAnyDomain
        self.compilesBodiesWithNode = compilesBodiesWithNode; self.controlFlowNeedsWholeBodies = controlFlowNeedsWholeBodies
        var byKey: [String: OpCapability] = [:]
        for o in ops { byKey[o.key] = o }
        self.ops = byKey
        var byName: [String: OpCapability] = [:]
        for o in ops { byName[o.op] = o }
        self.opsByName = byName
    }

    /// The capability for `node`'s op, if the target has one.
    public func capability(for node: Node) -> OpCapability? {
        if matchesOpNameInAnyDomain { return opsByName[node.opType] }
        return ops[(node.domain.isEmpty ? "ai.onnx" : node.domain) + ":" + node.opType]
    }

}

extension CapabilityRule {
    static let pool2D = CapabilityRule.rank(of: 0, in: [4], "Only 2D Pool is supported.")
}
