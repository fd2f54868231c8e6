import OnnxRuntimeKit

/// One profiled run: its events, and the wall time of the `Run` call that recorded them (the
/// profiler's own cost included, which is what ``LiveSnapshot/profilingOverheadPercent`` measures).
struct ProfiledRun: Sendable {
    let trace: ProfileTrace
    let wallMs: Double
}
