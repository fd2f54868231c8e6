import OnnxRuntimeKit

/// End-to-end latency of the most recent unprofiled runs: the live figures that mean what a
/// deployment would see.
///
/// Statistics cover the last ``statisticsRuns`` runs, so they follow a change (a throttled CPU,
/// another process) within a window instead of averaging it away over the whole session; the
/// sparkline shows the last ``sparklineRuns``.
public struct LatencyWindow: Sendable {
    /// One run: its `Run` latency and the time since the previous run ended (the latency plus
    /// the loop's own work between runs), both in ms.
    struct Sample: Sendable {
        let latencyMs: Double
        let cycleMs: Double
    }

    /// Runs behind ``stats`` and ``runsPerSecond``.
    public let statisticsRuns: Int
    /// Runs behind ``recentMs``.
    public let sparklineRuns: Int
    private var samples: RollingWindow<Sample>

    /// An empty window (both sizes at least 1).
    public init(statisticsRuns: Int = 100, sparklineRuns: Int = 60) {
        self.statisticsRuns = max(1, statisticsRuns)
        self.sparklineRuns = max(1, sparklineRuns)
        samples = RollingWindow(capacity: max(self.statisticsRuns, self.sparklineRuns))
    }

    /// Adds one run. `cycleMs` is the wall time from the end of the previous back-to-back run
    /// to the end of this one; pass the latency itself when the run did not follow another
    /// (first run, after a profiled run or a pause), so pauses never lower the rate.
    public mutating func record(latencyMs: Double, cycleMs: Double? = nil) {
        samples.append(Sample(latencyMs: latencyMs, cycleMs: max(latencyMs, cycleMs ?? latencyMs)))
    }

    /// Runs recorded since the window was made.
    public var totalRuns: Int { samples.totalAppended }

    private var statisticsSamples: [Sample] { samples.suffix(statisticsRuns) }

    /// Latency over the last ``statisticsRuns`` runs; nil before the first.
    public var stats: LatencyStats? {
        let s = statisticsSamples
        return s.isEmpty ? nil : LatencyStats(milliseconds: s.map(\.latencyMs))
    }

    /// The last ``sparklineRuns`` latencies, oldest first, ms.
    public var recentMs: [Double] { samples.suffix(sparklineRuns).map(\.latencyMs) }

    /// Back-to-back runs per second over the statistics window: runs divided by the wall time
    /// they took end to end, so the loop's own overhead counts but pauses and profiled runs do
    /// not. Nil before the first run.
    public var runsPerSecond: Double? {
        let s = statisticsSamples
        let total = s.map(\.cycleMs).reduce(0, +)
        return s.isEmpty || total <= 0 ? nil : Double(s.count) * 1000 / total
    }
}
