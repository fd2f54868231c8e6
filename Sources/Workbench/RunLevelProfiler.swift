import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Run-level profiling (ORT ≥ 1.25): every k-th run of the live session itself is profiled,
/// through its run options, into a file of its own (see ``LiveProfilingMethod/runLevel``).
final class RunLevelProfiler: KernelProfiler {
    let method = LiveProfilingMethod.runLevel
    private(set) var optimizedGraph: Graph?
    private var askedForOptimizedGraph = false
    private let prepared: PreparedRun
    private let factory: ModelRunner
    private let library: OrtLibrary
    private let schedule: LiveSchedule
    private let directory: ProfileDirectory
    private var lastProfile: UInt64 = 0

    init(prepared: PreparedRun, factory: ModelRunner, library: OrtLibrary, schedule: LiveSchedule) throws {
        self.prepared = prepared
        self.factory = factory
        self.library = library
        self.schedule = schedule
        directory = try ProfileDirectory()
    }

    func isDue(now: UInt64, runsSinceLast: Int) -> Bool {
        runsSinceLast >= schedule.profileEvery && now &- lastProfile >= UInt64(max(0, schedule.minProfileInterval) * 1e9)
    }

    func profile(keepGoing: () -> Bool) throws -> [ProfiledRun] {
        if !askedForOptimizedGraph {
            askedForOptimizedGraph = true
            // The live session was created without writing ORT's optimized model, so its
            // creation time means what `onnxscope run` reports. A throwaway session of the same
            // configuration writes it once; without it fused kernels (`fused /fc1/MatMul/…`)
            // could not be mapped back to their nodes.
            if factory.canWriteOptimizedModel {
                optimizedGraph = try? factory.openProfilingSession(library: library, profilingPrefix: nil).optimizedGraph
            }
            guard keepGoing() else { return [] }
        }
        // A fresh prefix per run: ORT names the file by the millisecond, so two profiled runs
        // in one millisecond would share a name and the second would overwrite the first.
        let prefix = directory.nextPrefix("run")
        try prepared.enableRunProfiling(prefix: directory.path + "/" + prefix)
        let ns: UInt64
        do {
            ns = try prepared.timedRun()
        } catch {
            try? prepared.disableRunProfiling()
            throw error
        }
        try prepared.disableRunProfiling()
        lastProfile = monotonicNow()
        guard let data = try directory.take(prefix: prefix).last else {
            throw ProfilingUnavailable(reason: "ONNX Runtime \(library.version) wrote no file for a run-level profiled run")
        }
        return [ProfiledRun(trace: try ProfileTrace.parse(data), wallMs: milliseconds(ns))]
    }
}

/// Per-kernel profiling stopped working; the loop goes on without it and says why in ORT's log.
struct ProfilingUnavailable: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
