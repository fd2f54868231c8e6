import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Keeps float the kinds of int8 node that run slower than float on this machine's ORT.
///
/// Whether an integer kernel pays depends on the CPU and on ORT's kernels, not on the model
/// alone: on an AVX2 host without VNNI, PP-OCR's depthwise QLinearConvs and its uint8 MaxPool
/// (150 µs against 12 µs float) made the int8 model no faster than float. So it is measured:
/// the int8 nodes are grouped by kind (op type; depthwise Conv apart from other Conv), and for
/// each kind, most nodes first, a variant with that kind float is timed against the current
/// model, interleaved on one sample. A kind stays float only when that variant is faster by
/// more than ``minimumGain``; the next kind is tried on top of what was kept.
public struct SpeedCheck {
    /// One variant timed against the current model.
    public struct Trial: Sendable, Equatable, Codable {
        /// "MaxPool", "Conv (depthwise)"…
        public var kind: String
        public var nodes: [String]
        /// p50 of the current model, and of the variant with this kind float.
        public var int8Ms: Double
        public var floatMs: Double
        public var kept: Bool
    }
    public struct Outcome: Sendable {
        /// Nodes kept float for speed, with the kind they belong to.
        public var floatNodes: [String: String]
        public var trials: [Trial]
        /// p50 before the check and after it, each from the last trial it took part in.
        public var startMs: Double
        public var endMs: Double
    }

    /// A variant must be at least this much faster (3 %) for its kind to stay float: less is
    /// within what interleaved timing on a shared machine can tell apart.
    public static let minimumGain = 0.03

    /// The int8 compute and data-movement nodes of `plan` by kind, the kinds with most nodes
    /// first. Folded Relu/Clip and rescales are not kinds of their own: the plan decides them
    /// from their neighbours.
    public static func kinds(plan: QuantizationPlan, analysis: GraphAnalysis) -> [(kind: String, nodes: [String])] {
        let scope = analysis.index.main
        var byKind: [String: [String]] = [:]
        for d in plan.decisions where d.precision == .int8 {
            switch d.role {
            case .compute, .sharedScale: break
            default: continue
            }
            byKind[kind(of: scope.node(d.node), scope: scope, analysis: analysis), default: []].append(d.name)
        }
        return byKind.map { ($0.key, $0.value) }.sorted { ($0.nodes.count, $1.kind) > ($1.nodes.count, $0.kind) }
    }

    /// The op type, with "(depthwise)" for a Conv whose groups equal its input channels.
    static func kind(of node: Node, scope: GraphScope, analysis: GraphAnalysis) -> String {
        guard node.opType == "Conv", let group = node.attribute("group")?.i, group > 1 else { return node.opType }
        if let dims = analysis.shapes.facts(node.inputs[0])?.dims, dims.count > 1, dims[1].intValue == group { return "Conv (depthwise)" }
        return "Conv (grouped)"
    }

    /// Runs the check. `build(floatNodes)` makes a session on the int8 model with those nodes
    /// float (on top of the plan's); `runsPerRound` adapts so each timing takes about `budget`.
    public static func run(kinds: [(kind: String, nodes: [String])], feeds: [String: HostTensor], rounds: Int = 5,
                           budgetSeconds: Double = 0.4, progress: ((Int, Int) -> Void)? = nil,
                           build: (Set<String>) throws -> Session) throws -> Outcome {
        var kept: [String: String] = [:]
        var current = try build([])
        // How many runs fit in the budget, from a few runs of the model as planned.
        let probe = try PreparedRun(session: current, feeds: feeds)
        let warm = try (0..<3).map { _ in try probe.timedRun() }.min() ?? 1_000_000
        let perRun = max(Double(warm) / 1e9, 1e-5)
        let runsPerRound = max(1, min(50, Int(budgetSeconds / (2 * Double(rounds) * perRun))))
        var trials: [Trial] = []
        var start: Double?, end: Double?
        for (k, entry) in kinds.enumerated() {
            progress?(k, kinds.count)
            let floatSet = Set(kept.keys).union(entry.nodes)
            let variant = try build(floatSet)
            let (a, b) = try QuantizationEvaluation.interleavedLatency(current, variant, feeds: feeds, rounds: rounds, runsPerRound: runsPerRound)
            if start == nil { start = a }
            let keep = b < a * (1 - minimumGain)
            trials.append(Trial(kind: entry.kind, nodes: entry.nodes, int8Ms: a, floatMs: b, kept: keep))
            if keep {
                for n in entry.nodes { kept[n] = entry.kind }
                current = variant
                end = b
            } else {
                end = a
            }
        }
        progress?(kinds.count, kinds.count)
        return Outcome(floatNodes: kept, trials: trials, startMs: start ?? 0, endMs: end ?? 0)
    }
}
