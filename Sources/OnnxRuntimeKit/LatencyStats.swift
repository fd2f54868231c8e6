/// Summary of a set of durations, in milliseconds.
public struct LatencyStats: Sendable, Equatable, Codable {
    public let count: Int
    public let mean: Double
    public let min: Double
    public let p50: Double
    public let p90: Double
    public let p99: Double
    public let max: Double

    /// Statistics of `samples` (milliseconds). Percentiles use linear interpolation between
    /// order statistics, as numpy's default `percentile` does, so they line up with the Python
    /// side of the benchmark.
    public init(milliseconds samples: [Double]) {
        let s = samples.sorted()
        count = s.count
        guard !s.isEmpty else { mean = 0; min = 0; p50 = 0; p90 = 0; p99 = 0; max = 0; return }
        mean = s.reduce(0, +) / Double(s.count)
        min = s[0]
        max = s[s.count - 1]
        func pct(_ q: Double) -> Double {
            let pos = q / 100 * Double(s.count - 1)
            let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
            return s[lo] + (s[hi] - s[lo]) * (pos - Double(lo))
        }
        p50 = pct(50); p90 = pct(90); p99 = pct(99)
    }

    /// Runs per second at the mean latency.
    public var throughput: Double { mean > 0 ? 1000 / mean : 0 }
}
