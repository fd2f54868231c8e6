import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Workbench

/// The live run as the views show it: plain values made from a ``LiveSnapshot`` once per
/// publication, so drawing a frame never touches the runner and tests can inject figures.
public struct RuntimeFigures: Sendable, Equatable {
    /// Time summed over one op type, provider or partition.
    public struct Bucket: Sendable, Equatable {
        public var key: String
        /// Mean ms per run.
        public var ms: Double
        /// 0...1 of the summed kernel time.
        public var share: Double
        public var count: Int
        public init(key: String, ms: Double, share: Double, count: Int) {
            self.key = key; self.ms = ms; self.share = share; self.count = count
        }
    }

    /// A maximal run of one provider in topological order.
    public struct Partition: Sendable, Equatable {
        public var number: Int
        public var provider: String
        /// Main-graph node ids.
        public var nodes: [Int]
        public init(number: Int, provider: String, nodes: [Int]) { self.number = number; self.provider = provider; self.nodes = nodes }
    }

    public var phase: LiveSnapshot.Phase = .idle
    public var generation = 0
    public var settings = ""
    public var sessionCreateMs: Double?
    public var runs = 0
    public var latency: LatencyStats?
    public var recentLatencyMs: [Double] = []
    public var runsPerSecond: Double?
    public var profilingOverheadPercent: Double?
    public var isStale = false
    /// The ``Workbench/LiveSnapshot/modelRevision`` of the model these figures are of.
    public var modelRevision = 0
    /// The newest profiled run's kernel events (for `export PATH.trace.json`).
    public var lastProfiledRun: ProfileTrace?
    /// Summed kernel time per run, ms (the base of every share).
    public var kernelTotalMs: Double?
    public var byOpType: [Bucket] = []
    public var byProvider: [Bucket] = []
    public var byPartition: [Bucket] = []
    public var partitions: [Partition] = []
    /// Providers in the order they first run along the graph (their tint order).
    public var providers: [String] = []

    public init() {}

    /// Whether anything has been measured.
    public var hasProfile: Bool { kernelTotalMs != nil }

    /// The one-line truth about placement when the chosen EPs did not take every node:
    /// "OpenVINO runs 3 of 4 nodes in 2 partitions; 1 fell back to CPU: Unique". Nil when one
    /// provider runs everything or CPU is the only one.
    public func fallbackBanner(document: Document) -> String? {
        let nonCPU = partitions.filter { $0.provider != "CPUExecutionProvider" }
        let cpu = partitions.filter { $0.provider == "CPUExecutionProvider" }
        guard !nonCPU.isEmpty, !cpu.isEmpty else { return nil }
        let placed = partitions.reduce(0) { $0 + $1.nodes.count }
        var parts: [String] = []
        for provider in providers where provider != "CPUExecutionProvider" {
            let runs = nonCPU.filter { $0.provider == provider }
            let n = runs.reduce(0) { $0 + $1.nodes.count }
            parts.append("\(Self.short(provider)) runs \(n) of \(placed) nodes in \(runs.count) partition\(runs.count == 1 ? "" : "s")")
        }
        let fell = cpu.flatMap(\.nodes)
        var ops: [String] = []
        for n in fell {
            let op = document.scope(0).node(n).opType.escapedForDisplay
            if !ops.contains(op) { ops.append(op) }
        }
        let shown = ops.prefix(6).joined(separator: ", ") + (ops.count > 6 ? ", …" : "")
        return parts.joined(separator: "; ") + "; \(fell.count) fell back to CPU: " + shown
    }

    /// `OpenVINO` for `OpenVINOExecutionProvider`.
    public static func short(_ provider: String) -> String {
        provider.hasSuffix("ExecutionProvider") ? String(provider.dropLast("ExecutionProvider".count)) : provider
    }
}

extension RuntimeFigures {
    /// Figures and per-node annotations of a snapshot. Node annotations cover the main graph
    /// (ORT profiles the top-level nodes; sub-graph bodies run inside their If/Loop kernel).
    /// - Parameter variant: the live model is another model than the document's (an int8 or
    ///   dequantized variant): its nodes are matched to the document's by name (ORT keeps a
    ///   fused QDQ group's name on its integer kernel); nodes the document lacks (Q/DQ) are left out.
    public static func make(from s: LiveSnapshot, document: Document, variant: Bool = false) -> (RuntimeFigures, Annotations) {
        var f = RuntimeFigures()
        f.phase = s.phase
        f.generation = s.generation
        f.settings = s.settings
        f.sessionCreateMs = s.sessionCreateMs
        f.runs = s.runs
        f.latency = s.latency
        f.recentLatencyMs = s.recentLatencyMs
        f.runsPerSecond = s.runsPerSecond
        f.profilingOverheadPercent = s.profilingOverheadPercent
        f.isStale = s.isStale
        f.modelRevision = s.modelRevision
        f.lastProfiledRun = s.lastProfiledRun
        var annotations = Annotations()
        guard let p = s.profile else { return (f, annotations) }
        f.kernelTotalMs = p.kernelTotalMeanMs
        func buckets(_ b: [TimeBucket]) -> [Bucket] { b.map { Bucket(key: $0.key, ms: $0.meanMs, share: $0.share, count: $0.count) } }
        f.byOpType = buckets(p.byOpType)
        f.byProvider = buckets(p.byProvider)
        f.byPartition = buckets(p.byPartition)
        let main = document.scope(0)
        // The document's node for a node of the live model.
        var byName: [String: Int] = [:]
        if variant { for i in 0..<main.nodeCount where !main.node(i).name.isEmpty { byName[main.node(i).name] = i } }
        var variantNode: [Int: Int] = [:]
        for n in p.nodes { if let d = byName[n.name] { variantNode[n.index] = d } }
        func documentNode(_ i: Int) -> Int? { variant ? variantNode[i] : (i < main.nodeCount ? i : nil) }
        f.partitions = p.partitions.map { Partition(number: $0.number, provider: $0.provider, nodes: $0.nodes.compactMap(documentNode)) }
        for part in f.partitions where !f.providers.contains(part.provider) { f.providers.append(part.provider) }
        let size = Dictionary(f.partitions.map { ($0.number, $0.nodes.count) }, uniquingKeysWith: { a, _ in a })
        // Kernels by the nodes they cover, for the inspector's "kernels" lines and fused links.
        var kernelsOf: [Int: [KernelTiming]] = [:]
        for k in p.kernels { for n in k.nodes { if let d = documentNode(n) { kernelsOf[d, default: []].append(k) } } }
        for n in p.nodes {
            guard let d = documentNode(n.index) else { continue }
            var a = NodeAnnotation(provider: n.provider, partition: n.partition, kernelTimeMicroseconds: n.time.map { $0.p50 * 1000 })
            a.kernelTimeP90Microseconds = n.time.map { $0.p90 * 1000 }
            a.share = n.share
            a.partitionSize = n.partition.flatMap { size[$0] }
            a.inputShapes = n.inputShapes.isEmpty ? nil : n.inputShapes
            a.kernels = (kernelsOf[d] ?? []).map { k in
                NodeAnnotation.Kernel(name: k.kernel, op: k.opName, provider: k.provider, nodes: k.nodes.compactMap(documentNode))
            }
            switch n.execution {
            case .kernel: break
            case .fused(let into, _): a.execution = .fused(into: into)
            case .compiled(let kernel): a.execution = .compiled(kernel: kernel)
            case .eliminated: a.execution = .eliminated
            }
            annotations[NodeKey(scope: 0, node: d)] = a
        }
        // A node of the document named like a kernel (ORT's own graph: `<tensor>_nchwc`,
        // `ReorderInput`…) that no live node matched takes that kernel's time.
        if variant {
            for k in p.kernels where k.kind != .compiled {
                guard let d = byName[k.kernel], annotations[NodeKey(scope: 0, node: d)] == nil else { continue }
                var a = NodeAnnotation(provider: k.provider, kernelTimeMicroseconds: k.time.p50 * 1000)
                a.kernelTimeP90Microseconds = k.time.p90 * 1000
                a.share = k.share
                a.kernels = [NodeAnnotation.Kernel(name: k.kernel, op: k.opName, provider: k.provider, nodes: [d])]
                annotations[NodeKey(scope: 0, node: d)] = a
            }
        }
        annotations.source = s.settings
        return (f, annotations)
    }
}
