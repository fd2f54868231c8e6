// onnxscope-togglebench: how long the explorer's quantization loop takes from a toggle to new
// figures (Benchmarks/run_toggle.sh).
//
//   onnxscope-togglebench MODEL --calibration DIR --eval DIR [--ort PATH] [--toggles N]
//
// Drives the explorer's QuantizationJob (Workbench) as `Q` does: the first request calibrates
// and builds the all-int8 variant; then N times one more int8 Conv/MatMul/Gemm is switched to
// float. For each toggle it prints one JSON line: seconds from the request to the variant's
// figures (latency p50 and SQNR on the eval samples, integer kernels), and to the per-value
// errors measured after them. The range cache is off, so the first line includes calibration.
import Foundation
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Workbench

let args = CommandLine.arguments
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
guard args.count >= 2, !args[1].hasPrefix("-"), let calibration = option("--calibration"), let eval = option("--eval") else {
    FileHandle.standardError.write(Data("usage: onnxscope-togglebench MODEL --calibration DIR --eval DIR [--ort PATH] [--toggles N]\n".utf8))
    exit(2)
}
let toggles = option("--toggles").flatMap { Int($0) } ?? 5

/// The real stdout, taken before any job runs: while ORT runs on the job's thread,
/// NativeOutputCapture points fd 1 at its log pipe, and a line written to fd 1 then lands in
/// ORT's log (toggles went missing from the output that way).
let stdout = FileHandle(fileDescriptor: dup(1), closeOnDealloc: true)

func line(_ fields: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    stdout.write(data + Data("\n".utf8))
}

do {
    let library = try OrtLibrary.load(explicitPath: option("--ort"))
    var job = Quantizer.Job(model: try Model.load(path: args[1]))
    job.calibration = [calibration]
    job.evaluation = [eval]
    job.cachePath = ""
    let loop = QuantizationJob(job: job, library: library)

    /// Sends `request` and waits for the variant's figures, then for its per-value errors.
    func measure(_ request: PlanRequest, label: String) throws -> QuantizationJob.Snapshot {
        let before = loop.snapshot.generation
        let start = Date()
        loop.request(request)
        var figures: Double?, everySample: Double?, firstSQNR = 0.0
        while true {
            let s = loop.snapshot
            if case .failed(let m) = s.phase { throw QuantizationError(m) }
            if s.generation > before, s.phase == .ready, s.request == request, s.evaluation != nil {
                if figures == nil { figures = Date().timeIntervalSince(start); firstSQNR = s.evaluation!.sqnrDB }
                if everySample == nil, !s.evaluationIsPartial { everySample = Date().timeIntervalSince(start) }
                if !s.measuringErrors, everySample != nil {
                    let e = s.evaluation!
                    line(["step": label, "seconds_to_figures": figures!, "seconds_to_every_sample": everySample!, "first_sqnr_db": firstSQNR,
                          "seconds_to_errors": Date().timeIntervalSince(start),
                          "int8_p50_ms": e.int8LatencyMs, "float_p50_ms": e.floatLatencyMs, "sqnr_db": e.sqnrDB,
                          "int8_kernels": s.kernels.values.filter(\.ranInt8).count, "values_measured": s.layerErrors.count,
                          "build_steps": Dictionary(s.buildSteps.map { ($0.step, $0.seconds) }, uniquingKeysWith: +)])
                    return s
                }
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    var request = PlanRequest()
    let first = try measure(request, label: "calibrate + all int8")
    let candidates = (first.plan?.decisions ?? []).filter { ["Conv", "MatMul", "Gemm"].contains($0.opType) && $0.precision == .int8 }
    let step = max(1, candidates.count / max(1, toggles))
    for k in 0..<min(toggles, candidates.count) {
        let name = candidates[k * step].name
        request.exclude.insert(name)
        _ = try measure(request, label: "toggle \(name) to float")
    }
} catch {
    FileHandle.standardError.write(Data("onnxscope-togglebench: \(error)\n".utf8))
    exit(1)
}
