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
        /// How image files in `calibration`/`evaluation` become tensors.
        public var imageOptions = ImageOptions()
        /// nil: the default cache path; "" disables the cache.
        public var cachePath: String?
        public var configuration = SessionConfiguration()
        /// Keep nodes float until the eval samples meet this (needs `evaluation`).
        public var target: AccuracyTarget?
        /// Per-layer local and propagated error on the eval samples.
        public var layerErrors = true
        /// Tensors in an external-data file even below protobuf's 2 GB (`--external-data`).
        public var externalData = false
        /// The largest inline tensor data the int8 model may hold before it goes to external data.
        var imageLimit: Int { externalData ? 0 : ModelImage.protobufLimit - ModelImage.structureAllowance }
        public init(model: Model) { self.model = model }
    }

    public struct Result: Sendable {
        public var model: Model
        /// The int8 model as written: bytes, or a file with external data past 2 GB.
        public var image: ModelImage
        public var plan: QuantizationPlan
        public var layers: [LayerArithmetic]
        public var folded: [(node: String, into: String)]
        /// Constant sub-graph nodes (Cast, Transpose, DequantizeLinear… of weights) folded away.
        public var constantsFolded: [String] = []
        public var calibration: CalibrationResult?
        public var calibrationFromCache: Bool
        public var cacheFile: String?
        public var kernels: IntegerKernelCheck?
        public var evaluation: QuantizationEvaluation?
        /// Per int8 layer with a quantized output, the worst first.
        public var layerErrors: [LayerError]
        /// The fallback search, when a target was given.
        public var fallback: FallbackSearch.Outcome?
        public var notes: [String]
        /// Seconds spent in each phase.
        public var timings: [(phase: String, seconds: Double)]
    }

    public typealias Progress = (_ phase: String, _ done: Int, _ total: Int) -> Void

    public static func run(_ job: Job, library: OrtLibrary, progress: Progress? = nil) throws -> Result {
        var job = job
        var timings: [(String, Double)] = []
        var clock = Date()
        func lap(_ phase: String) { timings.append((phase, Date().timeIntervalSince(clock))); clock = Date() }
        var notes: [String] = []

        if job.target != nil && job.evaluation.isEmpty {
            throw QuantizationError("--target-sqnr/--target-top1 are measured on held-out samples: pass --eval PATH")
        }
        let session = try QuantizationSession(job: job, library: library, progress: progress)
        for (phase, seconds) in session.timings { timings.append((phase, seconds)) }
        clock = Date()
        notes += session.notes
        job.request.rangeHazards = session.rangeHazards
        let analysis = session.analysis, preparedModel = session.prepared, folding = session.folding
        let calibration = session.calibration, fromCache = session.calibrationFromCache, cacheFile = session.cacheFile
        func makePlan(_ request: PlanRequest) throws -> QuantizationPlan { try session.plan(request) }
        func build(_ plan: QuantizationPlan) throws -> QDQWriter.Output { try session.build(plan) }
        var plan = try makePlan(job.request)
        var output = try build(plan)
        var image = try ModelImage(output.model, limit: job.imageLimit)
        lap("rewrite")

        var evaluation: QuantizationEvaluation?
        var layerErrors: [LayerError] = []
        var fallback: FallbackSearch.Outcome?
        if !job.evaluation.isEmpty {
            let samples = try CalibrationSamples(paths: job.evaluation, inputs: ModelInputSpec.inputs(of: job.model), imageOptions: job.imageOptions)
            var floatConfig = job.configuration
            if let base = job.model.baseDirectory {
                floatConfig.configEntries.append(("session.model_external_initializers_file_folder_path", base))
            }
            let floatBytes = job.model.serialized()
            let floatSession = try Session(modelBytes: floatBytes, configuration: floatConfig, library: library)
            let reference = try EvaluationReference(session: floatSession, samples: samples) { progress?("float reference", $0, $1) }
            if job.layerErrors || job.target != nil {
                let values = LayerError.quantizedValues(plan: plan, analysis: analysis, activations: output.activations)
                layerErrors = try LayerError.measure(floatModel: preparedModel, int8Model: output.model, values: values, samples: samples,
                                                     library: library, configuration: job.configuration)
                    .sorted { ($0.localSQNR ?? .infinity, $0.propagatedSQNR, $0.tensor) < ($1.localSQNR ?? .infinity, $1.propagatedSQNR, $1.tensor) }
                lap("layer errors")
            }
            if let target = job.target {
                // Sensitivity order: the value with the worst local error first; keeping it float
                // means keeping every int8 node tied to it float.
                let ranked = FallbackSearch.ranking(errors: layerErrors, plan: plan)
                var trialCount = 0
                let outcome = try FallbackSearch.run(target: target, ranked: ranked) { floatNodes in
                    trialCount += 1
                    progress?("fallback search, trial", trialCount, trialCount)
                    var request = job.request
                    request.fallback = floatNodes
                    let variant = try ModelImage(try build(try makePlan(request)).model, limit: job.imageLimit)
                    let r = try reference.compare(try variant.session(configuration: job.configuration, library: library))
                    return (r.sqnr, r.top1)
                }
                fallback = outcome
                var request = job.request
                request.fallback = Set(outcome.floatNodes)
                plan = try makePlan(request)
                output = try build(plan)
                image = try ModelImage(output.model, limit: job.imageLimit)
                if !outcome.met { notes.append("the target (\(target)) was not reached even with \(outcome.floatNodes.count) nodes float; the model written keeps them float") }
                lap("fallback search")
            }
            let q = try image.session(configuration: job.configuration, library: library)
            evaluation = try reference.evaluation(int8: q, floatBytes: floatBytes.count, int8Bytes: image.byteCount)
            lap("evaluation")
        }
        notes += output.notes

        progress?("checking ORT's kernels", 0, 1)
        let kernels = try IntegerKernelCheck.run(model: image.source, layers: output.layers, settings: job.settings,
                                                 library: library, configuration: job.configuration)
        lap("kernel check")
        return Result(model: output.model, image: image, plan: plan, layers: output.layers, folded: folding.folded, constantsFolded: folding.constantsFolded,
                      calibration: calibration, calibrationFromCache: fromCache, cacheFile: cacheFile, kernels: kernels,
                      evaluation: evaluation, layerErrors: layerErrors, fallback: fallback, notes: notes, timings: timings)
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
