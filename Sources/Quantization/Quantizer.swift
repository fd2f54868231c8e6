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
        /// Pick the weight bits (``WeightBits``) giving the best output SQNR on the eval samples,
        /// among all three; without eval samples `settings.weightBits` stands.
        public var measureWeightBits = false
        /// Keep float the kinds of int8 node that measure slower than float here (``SpeedCheck``).
        public var speedCheck = false
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
        /// The speed check, when asked for.
        public var speedCheck: SpeedCheck.Outcome?
        /// Output SQNR per weight-bit choice, when they were measured (``Job/measureWeightBits``).
        public var weightBitsMeasured: [(bits: WeightBits, sqnrDB: Double)] = []
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
        var settings = job.settings
        func makePlan(_ request: PlanRequest) throws -> QuantizationPlan { try session.plan(request) }
        func build(_ plan: QuantizationPlan) throws -> QDQWriter.Output { try session.build(plan, settings: settings) }
        // A variant (weight bits, fallback and speed trials) as ORT opens it: bytes, or a file past 2 GB.
        func openVariant(_ model: Model) throws -> Session {
            try ModelImage(model, limit: job.imageLimit).session(configuration: job.configuration, library: library)
        }
        var plan = try makePlan(job.request)
        var output = try build(plan)
        var image = try ModelImage(output.model, limit: job.imageLimit)
        lap("rewrite")

        var evaluation: QuantizationEvaluation?
        var layerErrors: [LayerError] = []
        var fallback: FallbackSearch.Outcome?
        var speed: SpeedCheck.Outcome?
        var request = job.request
        func rebuild() throws {
            plan = try makePlan(request)
            output = try build(plan)
            image = try ModelImage(output.model, limit: job.imageLimit)
        }
        var reference: EvaluationReference?
        var weightBitsMeasured: [(bits: WeightBits, sqnrDB: Double)] = []
        var evalSamples: CalibrationSamples?
        func measureLayerErrors() throws {
            guard let samples = evalSamples, job.layerErrors || job.target != nil else { return }
            let values = LayerError.quantizedValues(plan: plan, analysis: analysis, activations: output.activations)
            layerErrors = try LayerError.measure(floatModel: preparedModel, int8Model: output.model, values: values, samples: samples,
                                                 library: library, configuration: job.configuration)
                .sorted { ($0.localSQNR ?? .infinity, $0.propagatedSQNR, $0.tensor) < ($1.localSQNR ?? .infinity, $1.propagatedSQNR, $1.tensor) }
            lap("layer errors")
        }
        var floatBytes: [UInt8] = []
        if !job.evaluation.isEmpty {
            let samples = try CalibrationSamples(paths: job.evaluation, inputs: ModelInputSpec.inputs(of: job.model), imageOptions: job.imageOptions)
            evalSamples = samples
            var floatConfig = job.configuration
            if let base = job.model.baseDirectory {
                floatConfig.configEntries.append(("session.model_external_initializers_file_folder_path", base))
            }
            floatBytes = job.model.serialized()
            let floatSession = try Session(modelBytes: floatBytes, configuration: floatConfig, library: library)
            let ref = try EvaluationReference(session: floatSession, samples: samples) { progress?("float reference", $0, $1) }
            reference = ref
            if job.measureWeightBits && job.mode == .static {
                var tried: [(WeightBits, Double)] = []
                for (k, bits) in WeightBits.allCases.enumerated() {
                    progress?("weight bits", k, WeightBits.allCases.count)
                    var s = settings
                    s.weightBits = bits
                    tried.append((bits, try ref.compare(try openVariant(try session.build(plan, settings: s).model)).sqnr))
                }
                weightBitsMeasured = tried
                let best = tried.max { $0.1 < $1.1 }!   // the first of equals: fewer 7-bit layers
                settings.weightBits = best.0
                notes.append("\(best.0.description): the best output SQNR on --eval here (" + tried.map { String(format: "%@ %.1f dB", $0.0.rawValue, $0.1) }.joined(separator: ", ") + ")")
                try rebuild()
                lap("weight bits")
            }
            try measureLayerErrors()
            if let target = job.target {
                // Sensitivity order: the value with the worst local error first; keeping it float
                // means keeping every int8 node tied to it float.
                let ranked = FallbackSearch.ranking(errors: layerErrors, plan: plan)
                var trialCount = 0
                let outcome = try FallbackSearch.run(target: target, ranked: ranked) { floatNodes in
                    trialCount += 1
                    progress?("fallback search, trial", trialCount, trialCount)
                    var r = request
                    r.fallback = floatNodes
                    let c = try ref.compare(try openVariant(try build(try makePlan(r)).model))
                    return (c.sqnr, c.top1)
                }
                fallback = outcome
                request.fallback = Set(outcome.floatNodes)
                try rebuild()
                try measureLayerErrors()
                if !outcome.met { notes.append("the target (\(target)) was not reached even with \(outcome.floatNodes.count) nodes float; the model written keeps them float") }
                lap("fallback search")
            }
        }
        if job.speedCheck && job.mode == .static {
            // Timed on one real sample: the first eval sample, else the first calibration one.
            let paths = job.evaluation.isEmpty ? job.calibration : job.evaluation
            let feeds = try CalibrationSamples(paths: paths, inputs: ModelInputSpec.inputs(of: job.model), imageOptions: job.imageOptions).load(0)
            let kinds = SpeedCheck.kinds(plan: plan, analysis: analysis)
            let kindOf = Dictionary(kinds.flatMap { k in k.nodes.map { ($0, k.kind) } }, uniquingKeysWith: { a, _ in a })
            let base = request
            let outcome = try SpeedCheck.run(kinds: kinds, feeds: feeds, progress: { progress?("speed check", $0, $1) }) { floatNodes in
                var r = base
                for n in floatNodes { r.slowerAsInt8[n] = kindOf[n] }
                return try openVariant(try build(try makePlan(r)).model)
            }
            speed = outcome
            if !outcome.floatNodes.isEmpty {
                request.slowerAsInt8 = outcome.floatNodes
                try rebuild()
                // The errors reported are those of the model written.
                try measureLayerErrors()
            }
            lap("speed check")
        }
        if let reference {
            let q = try image.session(configuration: job.configuration, library: library)
            evaluation = try reference.evaluation(int8: q, floatBytes: floatBytes.count + job.model.externalTensorBytes, int8Bytes: image.byteCount)
            lap("evaluation")
        }
        notes += output.notes

        progress?("checking ORT's kernels", 0, 1)
        let kernels = try IntegerKernelCheck.run(model: image.source, layers: output.layers, settings: settings,
                                                 library: library, configuration: job.configuration)
        lap("kernel check")
        return Result(model: output.model, image: image, plan: plan, layers: output.layers, folded: folding.folded, constantsFolded: folding.constantsFolded,
                      calibration: calibration, calibrationFromCache: fromCache, cacheFile: cacheFile, kernels: kernels,
                      evaluation: evaluation, layerErrors: layerErrors, fallback: fallback, speedCheck: speed, weightBitsMeasured: weightBitsMeasured, notes: notes, timings: timings)
    }

    /// Whether u8s8 pair sums can overflow here, and why: x86 without VNNI computes u8s8
    /// products with `vpmaddubsw`, which adds two of them into a saturating int16 (ORT's
    /// `reduce_range` advice). Measured on an AVX2 EPYC: PP-OCR cls's first Conv kept 16.7 dB.
    public static func pairSumsOverflow(activations: QuantizedType, weights: QuantizedType, cpuFlags: Set<String>? = nil) -> (Bool, String) {
        #if arch(x86_64)
        guard activations == .uint8, weights == .int8 else { return (false, "8-bit weights: not the u8s8 case") }
        let flags = cpuFlags ?? Self.cpuFlags()
        if flags.contains("avx512_vnni") || flags.contains("avx_vnni") || flags.contains("amx_int8") {
            return (false, "8-bit weights: this CPU has VNNI, whose u8s8 dot products accumulate in 32 bits")
        }
        return (true, "this x86 CPU has no VNNI, so ORT's u8s8 kernels add pairs of products in 16 bits, which 8-bit weights can overflow")
        #else
        return (false, "8-bit weights")
        #endif
    }

    /// The CPU's feature flags (Linux `/proc/cpuinfo`; empty elsewhere).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
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
