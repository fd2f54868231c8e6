// onnxscope-livebench: the live runner's side of Benchmarks/run_live.sh.
//
//   onnxscope-livebench MODEL [--ort PATH] [--threads N] [--runs N] [--seconds S]
//                             [--profiling auto|run-level|separate|off]
//
// Runs the explorer's LiveRunner (Workbench) on MODEL until N unprofiled runs are timed
// (N <= its 100-run window, default 100) and at least S seconds have passed, then prints the snapshot's figures as one JSON line:
// the latency the explorer would show, the profiled runs' wall time and the profiler's cost,
// and how long the first per-kernel figures took to appear.
// Inputs are generated as `onnxscope run` generates them (seeded, seed 0).
import Foundation
import OnnxRuntimeKit
import Workbench

let args = CommandLine.arguments
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
guard args.count >= 2, !args[1].hasPrefix("-") else {
    FileHandle.standardError.write(Data("usage: onnxscope-livebench MODEL [--ort PATH] [--threads N] [--runs N] [--seconds S] [--profiling auto|run-level|separate|off]\n".utf8))
    exit(2)
}
let model = args[1]
let runs = min(100, max(1, option("--runs").flatMap { Int($0) } ?? 100))
let seconds = option("--seconds").flatMap { Double($0) } ?? 0
var schedule = LiveSchedule()
schedule.latencyWindow = runs
switch option("--profiling") ?? "auto" {
case "auto": schedule.profiling = nil
case "run-level": schedule.profiling = .runLevel
case "separate": schedule.profiling = .separateSession
case "off": schedule.profiling = .off
case let other:
    FileHandle.standardError.write(Data("unknown --profiling \(other)\n".utf8))
    exit(2)
}
var configuration = SessionConfiguration()
configuration.intraOpThreads = option("--threads").flatMap { Int($0) }

do {
    let library = try OrtLibrary.load(explicitPath: option("--ort"))
    let runner = LiveRunner(model: .path(model), library: library, configuration: configuration,
                            inputs: .generated(InputGenerator(seed: 0)), schedule: schedule)
    let started = Date()
    runner.start()
    var s = runner.snapshot
    var firstProfile: Double?
    while true {
        s = runner.snapshot
        if firstProfile == nil, s.profile != nil { firstProfile = Date().timeIntervalSince(started) }
        if case .failed(let message) = s.phase {
            FileHandle.standardError.write(Data("onnxscope-livebench: \(message)\n".utf8))
            exit(1)
        }
        if s.runs >= runs && Date().timeIntervalSince(started) >= seconds { break }
        usleep(20_000)
    }
    runner.stop()
    runner.waitUntilStopped(timeout: 60)
    func stats(_ l: LatencyStats?) -> Any {
        guard let l else { return NSNull() }
        return ["p50": l.p50, "p90": l.p90, "p99": l.p99, "mean": l.mean, "min": l.min, "count": l.count]
    }
    let out: [String: Any] = [
        "tool": "onnxscope-live", "ort": library.version, "threads": s.intraOpThreads ?? 0,
        "profiling": s.profilingMethod?.rawValue ?? "none", "latency_ms": stats(s.latency),
        "profiled_latency_ms": stats(s.profiledLatency), "profiled_runs": s.profiledRuns, "runs": s.runs,
        // ORT's own `model_run` events of the profiled runs: the profiler's cost inside Run,
        // without writing the file (run-level) that the wall time includes.
        "profiled_model_run_ms": stats(s.profile?.runLatency), "first_profile_s": firstProfile ?? NSNull(),
        "profiling_overhead_percent": s.profilingOverheadPercent ?? NSNull(), "runs_per_second": s.runsPerSecond ?? 0,
        "session_create_ms": s.sessionCreateMs ?? 0, "wall_s": Date().timeIntervalSince(started),
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("onnxscope-livebench: \(error)\n".utf8))
    exit(2)
}
