import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// The last few profiled runs, mapped onto the model's nodes: per-node p50/p90 that follow the
/// live session instead of freezing on its first seconds.
///
/// Runs are kept as single-run traces and joined on one time line when a profile is asked for
/// (``ProfileTrace/concatenating(_:)``), so runs from different files (run-level profiling) or
/// different profiled sessions end up in one ``ProfileAttribution`` pass, exactly as
/// `onnxscope run` attributes its profiled runs. The profile is cached until a run arrives.
struct ProfileWindow {
    private let graph: Graph
    private var runs: RollingWindow<ProfiledRun>
    private var cached: RuntimeProfile?

    init(graph: Graph, capacity: Int) {
        self.graph = graph
        runs = RollingWindow(capacity: capacity)
    }

    mutating func add(_ new: [ProfiledRun]) {
        guard !new.isEmpty else { return }
        for r in new { runs.append(r) }
        cached = nil
    }

    /// The newest profiled run's own trace (for a timeline export).
    var lastRun: ProfileTrace? { runs.elements.last?.trace }

    /// Profiled runs recorded since the window was made.
    var totalRuns: Int { runs.totalAppended }

    /// Wall time of the kept profiled runs.
    var wallLatency: LatencyStats? {
        runs.isEmpty ? nil : LatencyStats(milliseconds: runs.elements.map(\.wallMs))
    }

    /// The kept runs' profile; nil before the first profiled run.
    mutating func profile(assignment: [AssignedSubgraph]?, optimizedGraph: Graph?) -> RuntimeProfile? {
        if let cached { return cached }
        guard !runs.isEmpty else { return nil }
        let trace = ProfileTrace.concatenating(runs.elements.map(\.trace))
        let p = ProfileAttribution.build(graph: graph, assignment: assignment, trace: trace, optimizedGraph: optimizedGraph)
        cached = p
        return p
    }
}
