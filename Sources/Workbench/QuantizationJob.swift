import Foundation
import OnnxModel
import OnnxRuntimeKit
import Quantization

/// The explorer's quantization loop, off the UI thread: calibrates once (or takes the range
/// cache), then for each plan request builds the int8 variant in memory — no file, no new
/// calibration — and measures it against float on the eval samples (output SQNR, top-1,
/// latency interleaved, which nodes ORT ran as integer kernels). Requests that arrive while a
/// variant is being built replace each other: only the latest is built next.
///
/// Publishes immutable ``Snapshot`` values; ``snapshot`` is safe from any thread.
public final class QuantizationJob: @unchecked Sendable {
    public struct Snapshot: Sendable {
        public enum Phase: Sendable, Equatable {
            case idle
            case calibrating(done: Int, total: Int)
            case building
            /// The fallback search is measuring its `trial`-th variant.
            case searching(trial: Int)
            case ready
            case failed(String)
        }
        public var phase: Phase = .idle
        /// Counts publications (views compare it to know when to refresh).
        public var generation = 0
        /// The request the figures below were made for.
        public var request = PlanRequest()
        public var plan: QuantizationPlan?
        /// Per int8 layer, by node name.
        public var layers: [String: LayerArithmetic] = [:]
        /// Per int8 layer, what ORT built.
        public var kernels: [String: IntegerKernelCheck.Entry] = [:]
        public var evaluation: QuantizationEvaluation?
        /// ``evaluation``'s accuracy is from the first eval samples only; every sample follows.
        public var evaluationIsPartial = false
        /// The int8 model bytes (what `save` writes).
        public var modelBytes: [UInt8]?
        /// Why the figures are older than the last request (a build is running).
        public var isStale = false
        /// BN/affine nodes folded into a Conv before quantizing: node → the Conv.
        public var folded: [String: String] = [:]
        /// Per quantized value, its error on the eval samples (local: its own Q/DQ alone;
        /// propagated: through the int8 model), worst first; measured after the variant is
        /// published, so the figures above come first.
        public var layerErrors: [LayerError] = []
        /// The layer errors are being measured for the current plan.
        public var measuringErrors = false
        /// Where the last build's time went, step by step (seconds), for benchmarks.
        public var buildSteps: [(step: String, seconds: Double)] = []
        /// The last fallback search's result; ``request`` is its plan (with `fallback` set).
        public var fallback: FallbackSearch.Outcome?
        /// Counts finished fallback searches, so a view adopts each result's request once.
        public var fallbackGeneration = 0
        /// The value last compared between float and int8 (``requestComparison(tensor:)``).
        public var comparison: ValueComparison?
        public var comparing: String?

        /// An idle snapshot (views and tests build their own to show).
        public init() {}
    }

    private let lock = NSLock()
    private var current = Snapshot()
    private var pending: PlanRequest?
    private var pendingFallback: (target: AccuracyTarget, base: PlanRequest)?
    private var pendingComparison: String?
    /// The int8 model of the published variant (the comparison runs it).
    private var builtModel: Model?
    private var working = false
    private let job: Quantizer.Job
    private let library: OrtLibrary
    private var session: QuantizationSession?
    private var reference: EvaluationReference?
    /// The float model's serialized size (computed once: serializing a big model takes time).
    private lazy var floatBytes: Int = job.model.serialized().count
    private let onPublish: (@Sendable () -> Void)?

    /// - Parameter job: model, mode, settings, calibration and eval paths (as `quantize` takes).
    public init(job: Quantizer.Job, library: OrtLibrary, onPublish: (@Sendable () -> Void)? = nil) {
        self.job = job
        self.library = library
        self.onPublish = onPublish
    }

    public var snapshot: Snapshot { lock.lock(); defer { lock.unlock() }; return current }

    /// Asks for the int8 variant of `request`; the first call also calibrates.
    public func request(_ request: PlanRequest) {
        lock.lock()
        pending = request
        current.isStale = current.plan != nil
        startWorker()
    }

    /// Searches for the fewest nodes to keep float, on top of `base`, so the variant meets
    /// `target` (as `quantize --target-sqnr` does: ranked by the current per-value errors,
    /// every trial reusing the ranges); then builds and publishes that variant. Needs eval
    /// samples and a measured variant (its per-value errors give the ranking).
    public func requestFallback(_ target: AccuracyTarget, base: PlanRequest) {
        lock.lock()
        pendingFallback = (target, base)
        pending = nil
        current.isStale = current.plan != nil
        startWorker()
    }

    /// Compares `tensor` in the float model and the current int8 variant over a few eval
    /// samples (histograms, statistics), in the background, after any build asked for.
    public func requestComparison(tensor: String) {
        lock.lock()
        pendingComparison = tensor
        current.comparing = tensor
        startWorker()
    }

    /// Drops every request not yet started; the step in progress (a calibration sample loop,
    /// a build) finishes, then the worker ends. For a job being replaced (`:calibrate`).
    public func cancel() {
        lock.lock()
        pending = nil
        pendingFallback = nil
        pendingComparison = nil
        lock.unlock()
    }

    /// With the lock held (released here): starts the worker thread unless it is running.
    private func startWorker() {
        let start = !working
        working = true
        lock.unlock()
        guard start else { return }
        let thread = Thread { [self] in self.work() }
        thread.name = "onnxscope.quantize"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until no request is pending or being built (tests, and quitting); false on timeout.
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            lock.lock(); let busy = working; lock.unlock()
            if !busy { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    private func publish(_ change: (inout Snapshot) -> Void) {
        lock.lock()
        change(&current)
        current.generation += 1
        lock.unlock()
        onPublish?()
    }

    private func work() {
        while true {
            lock.lock()
            if let f = pendingFallback {
                pendingFallback = nil
                lock.unlock()
                do {
                    try NativeOutputCapture.capture(into: library.log) { try search(f.target, base: f.base) }
                } catch {
                    publish { $0.phase = .failed(String(describing: error)); $0.isStale = false }
                }
                continue
            }
            if pending == nil, let tensor = pendingComparison {
                pendingComparison = nil
                lock.unlock()
                do {
                    try NativeOutputCapture.capture(into: library.log) { try compare(tensor) }
                } catch {
                    publish { $0.comparing = nil; $0.comparison = nil }
                }
                continue
            }
            guard let request = pending else { working = false; lock.unlock(); return }
            pending = nil
            lock.unlock()
            do {
                try NativeOutputCapture.capture(into: library.log) { try build(request) }
            } catch {
                publish { $0.phase = .failed(String(describing: error)); $0.isStale = false }
            }
        }
    }

    private func compare(_ tensor: String) throws {
        guard let session, let reference, let builtModel else { publish { $0.comparing = nil }; return }
        let c = try ValueComparison.measure(floatModel: session.prepared, int8Model: builtModel, tensor: tensor, samples: reference.samples,
                                            library: library, configuration: job.configuration)
        publish { $0.comparison = c; $0.comparing = nil }
    }

    /// The fallback search, then the build of its plan.
    private func search(_ target: AccuracyTarget, base: PlanRequest) throws {
        guard let session, let reference else {
            throw QuantizationError("the fallback search needs a measured int8 variant and --eval samples")
        }
        // Per-value errors of the plan under `base` rank the nodes: those of the published
        // variant when it is that plan (measured already), else measured now.
        let basePlan = try session.plan(base)
        let published = snapshot
        let errors = published.request == base && !published.layerErrors.isEmpty ? published.layerErrors
            : try measureErrors(basePlan, try session.build(basePlan), session: session, reference: reference)
        let ranked = FallbackSearch.ranking(errors: errors, plan: basePlan)
        var trials = 0
        let outcome = try FallbackSearch.run(target: target, ranked: ranked) { floatNodes in
            trials += 1
            let n = trials
            publish { $0.phase = .searching(trial: n) }
            var request = base
            request.fallback = floatNodes
            let variant = try session.build(try session.plan(request)).model.serialized()
            return try reference.compare(try Session(modelBytes: variant, configuration: job.configuration, library: library))
        }
        var request = base
        request.fallback = Set(outcome.floatNodes)
        try build(request)
        publish { $0.fallback = outcome; $0.fallbackGeneration += 1 }
    }

    /// Eval samples behind a variant's first figures; the rest follow (see ``build(_:)``).
    static let quickSamples = 8

    private func build(_ request: PlanRequest) throws {
        if session == nil {
            publish { $0.phase = .calibrating(done: 0, total: max(1, self.job.calibration.count)) }
            let s = try QuantizationSession(job: job, library: library) { [self] _, done, total in
                publish { $0.phase = .calibrating(done: done, total: total) }
            }
            session = s
            if !job.evaluation.isEmpty {
                let samples = try CalibrationSamples(paths: job.evaluation, inputs: ModelInputSpec.inputs(of: job.model), imageOptions: job.imageOptions)
                var config = job.configuration
                if let base = job.model.baseDirectory { config.configEntries.append(("session.model_external_initializers_file_folder_path", base)) }
                reference = try EvaluationReference(session: try Session(modelBytes: job.model.serialized(), configuration: config, library: library),
                                                    samples: samples)
            }
        }
        guard let session else { return }
        publish { $0.phase = .building }
        var steps: [(step: String, seconds: Double)] = []
        var lap = Date()
        func done(_ step: String) { steps.append((step, Date().timeIntervalSince(lap))); lap = Date() }
        let plan = try session.plan(request)
        let output = try session.build(plan)
        done("plan and write")
        let bytes = output.model.serialized()
        done("serialize")
        let kernels = try IntegerKernelCheck.run(model: .bytes(bytes), layers: output.layers, settings: job.settings,
                                                 library: library, configuration: job.configuration)
        done("integer kernel check")
        var partial: EvaluationReference.PartialEvaluation?
        var int8Session: Session?
        if let reference {
            let q = try Session(modelBytes: bytes, configuration: job.configuration, library: library)
            int8Session = q
            done("int8 session")
            // 3 interleaved rounds of 3 runs each: enough for a p50 the status line can show;
            // the first figures compare the first 8 eval samples, and every sample follows
            // right after (on a CPU without VNNI the int8 model runs 4× slower than with it,
            // and 32 samples alone took 1.5–2 s of a toggle on ResNet-50). `quantize --eval`
            // measures longer.
            partial = try reference.partialEvaluation(int8: q, floatBytes: floatBytes, int8Bytes: bytes.count, rounds: 3, runsPerRound: 3,
                                                      limit: Self.quickSamples)
            done("evaluation")
        }
        let folded = Dictionary(session.folding.folded.map { ($0.node, $0.into) }, uniquingKeysWith: { a, _ in a })
        builtModel = output.model
        publish {
            $0.phase = .ready
            $0.request = request
            $0.plan = plan
            $0.layers = Dictionary(output.layers.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
            $0.kernels = Dictionary(kernels.entries.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
            $0.evaluation = partial?.evaluation
            $0.evaluationIsPartial = (partial?.compared ?? 0) < (reference?.usableSamples ?? 0)
            $0.modelBytes = bytes
            $0.folded = folded
            // Stale again if another request came in while this one was built.
            $0.isStale = self.pending != nil
            $0.layerErrors = []
            $0.comparison = nil
            $0.measuringErrors = reference != nil
            $0.buildSteps = steps
        }
        guard let reference else { return }
        func superseded() -> Bool { lock.lock(); defer { lock.unlock() }; return pending != nil }
        // The accuracy on every eval sample, when the first figures used fewer.
        if let quick = partial, let q = int8Session, quick.compared < reference.usableSamples, !superseded() {
            let full = try reference.completing(quick, int8: q)
            steps.append(("evaluation, every sample", Date().timeIntervalSince(lap))); lap = Date()
            publish { $0.evaluation = full; $0.evaluationIsPartial = false; $0.buildSteps = steps }
        }
        // Per-value errors cost a run of both models with every value as an output: done after
        // the variant is live, and skipped when the user has already asked for another plan.
        guard !superseded() else { publish { $0.measuringErrors = false }; return }
        let errors = try measureErrors(plan, output, session: session, reference: reference)
            .sorted { ($0.propagatedSQNR, $0.localSQNR ?? .infinity, $0.tensor) < ($1.propagatedSQNR, $1.localSQNR ?? .infinity, $1.tensor) }
        publish { $0.layerErrors = errors; $0.measuringErrors = false }
    }

    /// The error of every quantized value of `output` (written for `plan`) on the eval samples.
    private func measureErrors(_ plan: QuantizationPlan, _ output: QDQWriter.Output, session: QuantizationSession,
                               reference: EvaluationReference) throws -> [LayerError] {
        let values = LayerError.quantizedValues(plan: plan, analysis: session.analysis, activations: output.activations)
        return try LayerError.measure(floatModel: session.prepared, int8Model: output.model, values: values, samples: reference.samples,
                                      library: library, configuration: job.configuration)
    }
}
