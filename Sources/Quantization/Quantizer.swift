import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// The whole `quantize` job: pre-process, plan, calibrate (or reuse cached ranges), rewrite,
/// check what ORT built, evaluate. The CLI and the explorer both run this.
public struct Quantizer {
    public enum Mode: String, Sendable, Codable { case `static`, dynamic }

    public struct Job: Sendable {
        public var model: Model
        public var mode: Mode = .static
        public var settings = QuantizationSettings()
        public var method: CalibrationMethod = .minMax
        public var request = PlanRequest()
        public var calibration: [String] = []
        public var evaluation: [String] = []
        /// nil: the default cache path; "" disables the cache.
        public var cachePath: String?
        public var configuration = SessionConfiguration()
        public init(model: Model) { self.model = model }
    }

    public struct Result: Sendable {
        public var model: Model
        public var bytes: [UInt8]
        public var plan: QuantizationPlan
        public var layers: [LayerArithmetic]
        public var folded: [(node: String, into: String)]
        public var calibration: CalibrationResult?
        public var calibrationFromCache: Bool
        public var cacheFile: String?
        public var kernels: IntegerKernelCheck?
        public var evaluation: QuantizationEvaluation?
        public var notes: [String]
        /// Seconds spent in each phase.
        public var timings: [(phase: String, seconds: Double)]
    }

    public typealias Progress = (_ phase: String, _ done: Int, _ total: Int) -> Void

    public static func run(_ job: Job, library: OrtLibrary, progress: Progress? = nil) throws -> Result {
        var timings: [(String, Double)] = []
        var clock = Date()
        func lap(_ phase: String) { timings.append((phase, Date().timeIntervalSince(clock))); clock = Date() }
        var notes: [String] = []

        let (prepared, folding) = try Preprocessing.run(job.model)
        var preparedModel = prepared
        preparedModel.baseDirectory = job.model.baseDirectory
        let analysis = GraphAnalysis(model: preparedModel)
        if !analysis.index.isValid { try analysis.index.validate() }
        lap("pre-process")

        let plan = job.mode == .dynamic ? try DynamicWriter.plan(analysis: analysis, request: job.request)
            : try QuantizationPlan(analysis: analysis, request: job.request)
        var calibration: CalibrationResult?
        var fromCache = false
        var cacheFile: String?
        let output: QDQWriter.Output
        switch job.mode {
        case .static:
            guard !job.calibration.isEmpty else {
                throw QuantizationError("static quantization needs calibration data: pass --calibration PATH (.npz per sample, a folder of them, test_data_set_N folders, or .npy for a single input); or use --mode dynamic")
            }
            let samples = try CalibrationSamples(paths: job.calibration, inputs: ModelInputSpec.inputs(of: preparedModel))
            let values = Calibrator.candidateValues(analysis: analysis)
            let bytes = preparedModel.serialized()
            let key = try RangeCache.key(modelBytes: bytes, samples: samples, values: values)
            if job.cachePath != "" {
                let cache = RangeCache(path: job.cachePath ?? RangeCache.defaultPath(key: key))
                cacheFile = cache.path
                if let hit = cache.load(key: key) { calibration = hit; fromCache = true }
            }
            if calibration == nil {
                let calibrator = Calibrator(model: preparedModel, values: values, configuration: job.configuration)
                calibration = try calibrator.run(samples: samples, library: library) { progress?("calibrating", $0, $1) }
                if let path = cacheFile {
                    do { try RangeCache(path: path).store(calibration!, key: key) }
                    catch { notes.append("could not write the range cache \(path): \(error)"); cacheFile = nil }
                }
            }
            lap(fromCache ? "ranges from cache" : "calibration")
            for s in calibration!.skipped { notes.append("skipped calibration sample \(s.sample): \(s.reason)") }
            output = try QDQWriter(model: preparedModel, analysis: analysis, plan: plan,
                                   ranges: calibration!.ranges(job.method), settings: job.settings).write()
        case .dynamic:
            output = try DynamicWriter(model: preparedModel, analysis: analysis, plan: plan, settings: job.settings).write()
        }
        notes += output.notes
        let bytes = output.model.serialized()
        lap("rewrite")

        progress?("checking ORT's kernels", 0, 1)
        let kernels = try IntegerKernelCheck.run(modelBytes: bytes, layers: output.layers, settings: job.settings,
                                                 library: library, configuration: job.configuration)
        lap("kernel check")

        var evaluation: QuantizationEvaluation?
        if !job.evaluation.isEmpty {
            let samples = try CalibrationSamples(paths: job.evaluation, inputs: ModelInputSpec.inputs(of: job.model))
            let floatBytes = job.model.serialized()
            var config = job.configuration
            if let base = job.model.baseDirectory {
                config.configEntries.append(("session.model_external_initializers_file_folder_path", base))
            }
            let f = try Session(modelBytes: floatBytes, configuration: config, library: library)
            let q = try Session(modelBytes: bytes, configuration: job.configuration, library: library)
            evaluation = try QuantizationEvaluation.run(float: f, int8: q, samples: samples, floatBytes: floatBytes.count,
                                                        int8Bytes: bytes.count) { progress?("evaluating", $0, $1) }
            lap("evaluation")
        }
        return Result(model: output.model, bytes: bytes, plan: plan, layers: output.layers, folded: folding.folded,
                      calibration: calibration, calibrationFromCache: fromCache, cacheFile: cacheFile, kernels: kernels,
                      evaluation: evaluation, notes: notes, timings: timings)
    }

    /// `auto` activations: what ORT runs fast on this machine. ORT's CPU EP fuses
    /// Conv/MatMul groups with int8 activations only where MLAS has signed-activation kernels
    /// (ARM); on x86 they stay float between Q/DQ (measured: ResNet-50 32 ms int8 vs 8.8 ms uint8).
    public static func automaticActivations() -> (QuantizedType, String) {
        #if arch(x86_64)
        return (.uint8, "uint8 activations: on x86 ORT's CPU EP fuses Conv/MatMul into integer kernels only for uint8 activations (u8s8, VNNI where present)")
        #else
        return (.int8, "int8 activations: ORT's CPU EP on ARM has signed-activation integer kernels")
        #endif
    }
}
