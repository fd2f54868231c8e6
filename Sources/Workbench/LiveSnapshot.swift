import OnnxRuntimeKit

/// What the live runner knows at one moment, published as an immutable value a few times a
/// second. The explorer reads the latest snapshot when it draws; it never calls ORT.
public struct LiveSnapshot: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Nothing started yet (`r` starts).
        case idle
        /// Loading ORT and creating the session(s).
        case starting
        /// Running continuously.
        case running
        /// Stopped by the user; the figures are those of the last window.
        case stopped
        /// The session or a run failed; the message is ORT's, escaped, in full.
        case failed(String)
    }

    public var phase: Phase = .idle
    /// Increases with every publication, so a view can tell a new snapshot from the old one.
    public var generation = 0
    /// One line: ORT version, providers, threads, optimization level, CPU fallback, dims.
    public var settings = ""
    /// Time to create the (unprofiled) session, ms.
    public var sessionCreateMs: Double?
    /// Unprofiled runs done since the start.
    public var runs = 0
    /// End-to-end latency over a rolling window of recent unprofiled runs, ms.
    public var latency: LatencyStats?
    /// The most recent unprofiled latencies, oldest first (for a sparkline), ms.
    public var recentLatencyMs: [Double] = []
    /// Unprofiled runs per second over the window.
    public var runsPerSecond: Double?
    /// Per-kernel and per-node timing, placement and partitions from the latest profiled
    /// window (nil until the first one completes).
    public var profile: RuntimeProfile?
    /// Profiler cost on p50 latency, percent.
    public var profilingOverheadPercent: Double?
    /// True while the settings changed and a new session is being made: the figures shown are
    /// the old session's.
    public var isStale = false

    public init() {}
}
