import Foundation

/// The live loop's rhythm: window sizes, how often it publishes and profiles. The defaults
/// suit the explorer; tests and benchmarks shorten or force them.
public struct LiveSchedule: Sendable {
    /// Unprofiled runs behind the latency statistics and runs/s.
    public var latencyWindow = 100
    /// Latencies kept for the sparkline.
    public var sparklineRuns = 60
    /// Runs after each session creation that are not counted (first runs allocate and warm
    /// caches), as `onnxscope run --warmup 3` does.
    public var warmupRuns = 3
    /// Least time between two publications, seconds (the UI redraws at most this often).
    public var publishInterval = 0.25
    /// How per-kernel times are measured; nil picks ``LiveProfilingMethod/runLevel`` when the
    /// loaded ORT has it and ``LiveProfilingMethod/separateSession`` otherwise. Asking for
    /// run-level profiling on an older ORT falls back to a separate session.
    public var profiling: LiveProfilingMethod?
    /// Run-level profiling: profile every k-th run...
    public var profileEvery = 10
    /// ...but at most once per this many seconds, so a model that runs in microseconds does
    /// not turn the loop into a profile-file writer.
    public var minProfileInterval = 0.2
    /// Profiled runs behind the per-node p50/p90.
    public var profiledRunsWindow = 20
    /// Separate-session profiling: warm-up runs of each new profiled session (not kept).
    public var sessionWindowWarmup = 1
    /// Separate-session profiling: profiled runs per window.
    public var sessionWindowRuns = 5
    /// Separate-session profiling: the most of the wall time windows may take, 0...1; the gap
    /// after a window is its cost × (1 − share) / share.
    public var profilingShare = 0.2

    public init() {}
}
