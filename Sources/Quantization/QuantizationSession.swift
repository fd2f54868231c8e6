import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// The part of a quantization that is done once per model and data: pre-processing, the
/// analysis, calibration (or its cache). Plans and int8 variants are then made from it as often
/// as wanted — by `quantize` (once, or once per fallback trial) and by the explorer's toggles —
/// without calibrating again.
public final class QuantizationSession: @unchecked Sendable {
    public let job: Quantizer.Job
    /// The pre-processed float model (normalisations and weight sub-graphs folded).
    public let prepared: Model
    public let analysis: GraphAnalysis
    public let folding: Preprocessing.Report
    public let calibration: CalibrationResult?
    public let calibrationFromCache: Bool
    public let cacheFile: String?
    /// Calibrated ranges for the job's method (empty in dynamic mode).
    public let ranges: [String: ValueRange]
    /// Nodes the ranges say to keep float, with why.
    public let rangeHazards: [String: String]
    public private(set) var notes: [String] = []
    public private(set) var timings: [(phase: String, seconds: Double)] = []

    public init(job: Quantizer.Job, library: OrtLibrary, progress: Quantizer.Progress? = nil) throws {
        self.job = job
        var clock = Date()
        var laps: [(String, Double)] = []
        func lap(_ phase: String) { laps.append((phase, Date().timeIntervalSince(clock))); clock = Date() }
        let (prepared, folding) = try Preprocessing.run(job.model)
        var model = prepared
        model.baseDirectory = job.model.baseDirectory
        self.prepared = model
        self.folding = folding
        analysis = GraphAnalysis(model: model)
        if !analysis.index.isValid { try analysis.index.validate() }
        lap("pre-process")

        var calibration: CalibrationResult?
        var fromCache = false
        var cacheFile: String?
        var notes: [String] = []
        var ranges: [String: ValueRange] = [:]
        if job.mode == .static {
            guard !job.calibration.isEmpty else {
                throw QuantizationError("static quantization needs calibration data: pass --calibration PATH (.npz per sample, a folder of them, test_data_set_N folders, or .npy for a single input); or use --mode dynamic")
            }
            let samples = try CalibrationSamples(paths: job.calibration, inputs: ModelInputSpec.inputs(of: model), imageOptions: job.imageOptions)
            let values = Calibrator.candidateValues(analysis: analysis)
            let key = try RangeCache.key(modelBytes: model.serialized(), samples: samples, values: values)
            if job.cachePath != "" {
                let cache = RangeCache(path: job.cachePath ?? RangeCache.defaultPath(key: key))
                cacheFile = cache.path
                if let hit = cache.load(key: key, needsBins: job.method != .minMax) { calibration = hit; fromCache = true }
            }
            if calibration == nil {
                var calibrator = Calibrator(model: model, values: values, configuration: job.configuration)
                calibrator.binned = job.method != .minMax
                calibration = try calibrator.run(samples: samples, library: library) { progress?("calibrating", $0, $1) }
                if let path = cacheFile {
                    do { try RangeCache(path: path).store(calibration!, key: key) }
                    catch { notes.append("could not write the range cache \(path): \(error)"); cacheFile = nil }
                }
            }
            lap(fromCache ? "ranges from cache" : "calibration")
            for s in calibration!.skipped { notes.append("skipped calibration sample \(s.sample): \(s.reason)") }
            ranges = calibration!.ranges(job.method)
        }
        self.calibration = calibration
        calibrationFromCache = fromCache
        self.cacheFile = cacheFile
        self.ranges = ranges
        // What the ranges reveal (mask constants, mismatched Concat inputs) keeps nodes float.
        rangeHazards = ranges.isEmpty ? [:] : QuantizationPlan.rangeHazards(analysis: analysis, ranges: ranges)
        self.notes = notes
        timings = laps
    }

    /// The plan for `request` (the session's range hazards added).
    public func plan(_ request: PlanRequest) throws -> QuantizationPlan {
        var r = request
        r.rangeHazards = rangeHazards
        return job.mode == .dynamic ? try DynamicWriter.plan(analysis: analysis, request: r) : try QuantizationPlan(analysis: analysis, request: r)
    }

    /// The int8 model a plan describes, with the arithmetic of its layers.
    public func build(_ plan: QuantizationPlan, settings: QuantizationSettings? = nil) throws -> QDQWriter.Output {
        let settings = settings ?? job.settings
        return job.mode == .static
            ? try QDQWriter(model: prepared, analysis: analysis, plan: plan, ranges: ranges, settings: settings).write()
            : try DynamicWriter(model: prepared, analysis: analysis, plan: plan, settings: settings).write()
    }
}
