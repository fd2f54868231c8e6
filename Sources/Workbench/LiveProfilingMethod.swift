/// Where the live runner's per-kernel times come from.
///
/// ORT's profiler makes every profiled run slower (an event per kernel, then a JSON file), so
/// profiled runs never enter the latency figures; the question is only how to get them.
///
/// - ``runLevel`` — ORT ≥ 1.25 (`RunOptionsEnableProfiling`, C API slots 415/416): the one
///   live session profiles single runs, every k-th one. ORT 1.32 writes one file per profiled
///   run, `<prefix>_<YYYY-MM-DD_HH-MM-SS_mmm>.json`, holding that run only: its `model_run`,
///   `SequentialExecutor::Execute` and one `_kernel_time` event per kernel (no session-init
///   events), the clock starting at zero for each file. Two runs in the same millisecond get
///   the same name and the second overwrites the first, so each profiled run gets a prefix of
///   its own. Costs: no second session (no second copy of the weights, no session creation per
///   window); each profiled run pays the profiler and a file write (tens of µs on a tiny model,
///   where that dwarfs the run; single-digit percent on ResNet50, see Benchmarks/RESULTS.md),
///   and neighbouring unprofiled runs are unaffected. Used whenever the loaded ORT has it.
/// - ``separateSession`` — older ORT (the OpenVINO 1.24.1 build): session-level profiling cannot
///   be switched off again (`SessionEndProfiling` ends it for good, and the live session must
///   not be profiled), so each window creates a second, profiled session, warms it up, profiles
///   a few runs, ends profiling and releases it. Costs: a session creation per window (ResNet50:
///   ~0.2–0.6 s) and, during the window, a second copy of the weights; windows are spaced so
///   profiling takes a bounded share of the wall time (``LiveSchedule/profilingShare``), which
///   makes per-kernel figures refresh less often than with ``runLevel``.
/// - ``off`` — no per-kernel times (asked for, or profiling failed; the reason is in ORT's log).
public enum LiveProfilingMethod: String, Sendable, Equatable, CaseIterable {
    case runLevel = "run-level"
    case separateSession = "separate session"
    case off
}
