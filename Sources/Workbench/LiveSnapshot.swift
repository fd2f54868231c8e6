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
    /// Unprofiled runs timed since the session was created (after its warm-up runs).
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
    /// The newest profiled run's kernel events as ORT recorded them (a timeline to export).
    public var lastProfiledRun: ProfileTrace?
    /// Profiler cost on p50 latency, percent: p50 of ``profiledLatency`` against p50 of
    /// ``latency``.
    public var profilingOverheadPercent: Double?
    /// True while the settings changed and a new session is being made: the figures shown are
    /// the old session's.
    public var isStale = false
    /// How ``profile`` is measured for the current session; nil before a session exists.
    public var profilingMethod: LiveProfilingMethod?
    /// Profiled runs done since the session was created (never part of ``runs`` or ``latency``).
    public var profiledRuns = 0
    /// Wall time of the profiled runs behind ``profile``, profiler included, ms.
    public var profiledLatency: LatencyStats?
    /// Intra-op threads of the live session: the configuration's, or max(1, cores − 1).
    public var intraOpThreads: Int?
    /// ORT's placement as partitions: from its assignment report at session creation (ORT ≥
    /// 1.24), so available before any profile; else from the latest profile; nil until known.
    public var partitions: [ExecutionPartition]?
    /// Which model the figures are of: 0 for the model the runner was made with, then the
    /// number ``LiveRunner/update(model:)`` returned for the switch that made this session.
    /// Figures stay the old model's (stale) until the new session has its own.
    public var modelRevision = 0

    public init() {}
}
