import Foundation
import OnnxModel

/// Runs a model the way `onnxscope run` does: a plain session for end-to-end latency (what a
/// deployment sees), then, if asked, a second, profiled session for per-kernel time, so the
/// profiler's own cost never leaks into the latency numbers and can be reported separately.
public struct ModelRunner: Sendable {
    /// Where the model comes from.
    public enum Source: Sendable {
        case path(String)
        case bytes([UInt8])
    }

    public var source: Source
    public var configuration: SessionConfiguration
    public var warmup = 3
    public var runs = 10
    /// Profile (second session) after timing.
    public var profile = true
    /// Keep ORT's profile JSON here instead of a temporary file.
    public var profileDirectory: String?

    /// Progress: phase name, runs done, runs planned.
    public typealias Progress = @Sendable (_ phase: String, _ done: Int, _ total: Int) -> Void

    public init(source: Source, configuration: SessionConfiguration) {
        self.source = source
        self.configuration = configuration
    }

    /// Everything one invocation measured.
    public struct Result: Sendable {
        public let library: OrtLibrary
        public let inputs: [SessionIOInfo]
        public let outputInfos: [SessionIOInfo]
        /// Outputs of the first timed run.
        public let outputs: [String: HostTensor]
        public let sessionCreateMs: Double
        /// Wall-clock latency of `Run` (plus releasing outputs) in the unprofiled session.
        public let latency: LatencyStats
        /// Same measurement in the profiled session, if profiled.
        public let profiledLatency: LatencyStats?
        public let profile: RuntimeProfile?
        /// ORT's own assignment report (its subgraph list, in its order).
        public let assignment: [AssignedSubgraph]?
        /// Maximal runs of one provider in topological order, numbered 1...k (the profile's
        /// when profiled, else from ``assignment``); nil when neither tells the placement.
        public let partitions: [ExecutionPartition]?
        /// ORT's raw profile file, if profiled.
        public let profilePath: String?

        /// Profiler cost on p50 latency, in percent.
        public var profilingOverheadPercent: Double? {
            guard let p = profiledLatency, latency.p50 > 0 else { return nil }
            return (p.p50 - latency.p50) / latency.p50 * 100
        }
    }

    func makeSession(_ config: SessionConfiguration, library: OrtLibrary) throws -> Session {
        try Session(source: source, configuration: config, library: library)
    }

    /// Opens a session with this runner's configuration (no profiling), e.g. to read its inputs
    /// before generating feeds.
    public func openSession(library: OrtLibrary) throws -> Session {
        var c = configuration
        c.profilingPrefix = nil
        return try makeSession(c, library: library)
    }

    /// Above this size the optimized model is not written (it would copy every weight to disk);
    /// kernel coverage then comes from names and neighbours only.
    public static let optimizedModelSizeLimit = 2 << 30

    var modelSize: Int {
        switch source {
        case .path(let p): return ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0
        case .bytes(let b): return b.count
        }
    }

    /// Opens the session and measures how long ORT took to create it (load, optimize, compile).
    public func openTimedSession(library: OrtLibrary) throws -> (Session, Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let session = try openSession(library: library)
        return (session, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }

    /// Runs everything. `feeds` must cover every input (see ``InputGenerator``). Pass a session
    /// from ``openTimedSession(library:)`` (with its creation time) to reuse it.
    public func run(library: OrtLibrary, session existing: (Session, Double)? = nil, feeds: [String: HostTensor],
                    progress: Progress? = nil) throws -> Result {
        let (session, createMs) = try existing ?? openTimedSession(library: library)
        let prepared = try PreparedRun(session: session, feeds: feeds)
        var outputs: [String: HostTensor] = [:]
        for (i, v) in try prepared.run().enumerated() { outputs[session.outputs[i].name] = try v.toHostTensor() }
        let latency = try timed(prepared, phase: "timing", progress: progress)
        let assignment = try session.assignmentInfo()

        guard profile else {
            let partitions = try assignment.map { ExecutionPartition.runs(in: try loadGraph(), assignment: $0) }
            return Result(library: library, inputs: session.inputs, outputInfos: session.outputs, outputs: outputs,
                          sessionCreateMs: createMs, latency: latency, profiledLatency: nil, profile: nil,
                          assignment: assignment, partitions: partitions, profilePath: nil)
        }
        let dir = profileDirectory ?? NSTemporaryDirectory()
        let tag = "\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let (profiled, optimizedGraph) = try openProfilingSession(library: library, profilingPrefix: dir + "/onnxscope_profile_\(tag)")
        let pprep = try PreparedRun(session: profiled, feeds: feeds)
        let plat = try timed(pprep, phase: "profiling", progress: progress)
        let path = try profiled.endProfiling()
        let trace = try ProfileTrace.load(path: path)
        let graph = try loadGraph()
        let report = ProfileAttribution.build(graph: graph, assignment: try profiled.assignmentInfo() ?? assignment,
                                              trace: trace, skipRuns: warmup, optimizedGraph: optimizedGraph)
        return Result(library: library, inputs: session.inputs, outputInfos: session.outputs, outputs: outputs,
                      sessionCreateMs: createMs, latency: latency, profiledLatency: plat, profile: report,
                      assignment: assignment, partitions: report.partitions, profilePath: path)
    }

    /// Whether ORT can write this configuration's optimized model: not when an EP compiles
    /// nodes (ORT refuses), nor above ``optimizedModelSizeLimit``.
    public var canWriteOptimizedModel: Bool {
        configuration.providers.allSatisfy(\.isCPU) && modelSize <= ModelRunner.optimizedModelSizeLimit
    }

    /// Opens a second session of this configuration for profiling: ORT profiles every run into
    /// `<profilingPrefix>_<timestamp>.json` (none with a nil prefix), and, when
    /// `optimizedGraph` is true and ``canWriteOptimizedModel``, writes its optimized model,
    /// whose node list is returned and the files removed. That graph tells which original nodes
    /// each kernel covers (see ``ProfileAttribution``).
    ///
    /// The session logs errors only: it repeats the first session's warnings and adds some
    /// about the optimized model onnxscope asked for, none of them news to the user.
    public func openProfilingSession(library: OrtLibrary, profilingPrefix: String?,
                                     optimizedGraph wanted: Bool = true) throws -> (session: Session, optimizedGraph: Graph?) {
        var pc = configuration
        pc.logLevel = max(configuration.logLevel ?? library.log.level, .error)
        pc.profilingPrefix = profilingPrefix
        guard wanted, canWriteOptimizedModel else { return (try makeSession(pc, library: library), nil) }
        // Weights go to a side file so models over 2 GB still work; only the node list is read.
        let tag = "\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let modelPath = NSTemporaryDirectory() + "/onnxscope_optimized_\(tag).onnx"
        let dataName = "onnxscope_optimized_\(tag).bin"
        defer {
            try? FileManager.default.removeItem(atPath: modelPath)
            try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "/" + dataName)
        }
        var oc = pc
        oc.optimizedModelPath = modelPath
        oc.configEntries += [("session.optimized_model_external_initializers_file_name", dataName),
                             ("session.optimized_model_external_initializers_min_size_in_bytes", "1024")]
        let session: Session
        do {
            session = try makeSession(oc, library: library)
        } catch {
            // Writing the optimized model is a nicety; never let it block profiling.
            return (try makeSession(pc, library: library), nil)
        }
        // The mapping outlives the file's removal; the weights are never touched.
        return (session, try? Model.load(path: modelPath).graph)
    }

    /// The model's graph as onnxscope reads it (mapped, weights untouched).
    public func loadGraph() throws -> Graph {
        switch source {
        case .path(let p): return try Model.load(path: p).graph
        case .bytes(let b): return try Model.decode(b).graph
        }
    }

    /// Warm-up then timed runs; returns the timed runs' statistics.
    func timed(_ p: PreparedRun, phase: String, progress: Progress?) throws -> LatencyStats {
        for i in 0..<warmup {
            try p.timedRun()
            progress?("\(phase) warm-up", i + 1, warmup)
        }
        var samples: [Double] = []
        samples.reserveCapacity(runs)
        for i in 0..<runs {
            samples.append(Double(try p.timedRun()) / 1e6)
            progress?(phase, i + 1, runs)
        }
        return LatencyStats(milliseconds: samples)
    }
}
