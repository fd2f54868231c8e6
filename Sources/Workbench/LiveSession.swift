import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// One configuration's live session: the unprofiled session bound to its inputs, ORT's
/// placement, and the profiler for per-kernel times. Made and used on the runner thread only.
final class LiveSession {
    let session: Session
    let prepared: PreparedRun
    /// Time to create ``session``, ms: the same measurement as `onnxscope run`'s.
    let createMs: Double
    let assignment: [AssignedSubgraph]?
    /// From ORT's assignment report, known before any profile; nil on ORT < 1.24.
    let partitions: [ExecutionPartition]?
    let profiler: KernelProfiler?
    let configuration: SessionConfiguration
    let settings: String

    /// - Parameter configuration: already passed through ``LiveConfiguration/effective(_:cores:)``.
    init(source: ModelRunner.Source, configuration: SessionConfiguration, chosenThreads: Bool, library: OrtLibrary,
         inputs: LiveInputs, graph: Graph, schedule: LiveSchedule) throws {
        self.configuration = configuration
        let factory = ModelRunner(source: source, configuration: configuration)
        (session, createMs) = try factory.openTimedSession(library: library)
        let feeds: [String: HostTensor]
        switch inputs {
        case .feeds(let given): feeds = given
        case .generated(var generator, let given):
            // Dims the session fixes (the explorer's live settings) are the inputs' dims too.
            for (name, value) in configuration.freeDimensionOverrides { generator.dimValues[name] = value }
            var made = given
            for (i, info) in session.inputs.enumerated() where made[info.name] == nil {
                guard info.isTensor else { throw RuntimeError.unsupported("input '\(info.name)' is not a tensor; give it with --input") }
                made[info.name] = try generator.tensor(for: info, stream: UInt64(i))
            }
            feeds = made
        }
        prepared = try PreparedRun(session: session, feeds: feeds)
        assignment = try session.assignmentInfo()
        partitions = assignment.map { ExecutionPartition.runs(in: graph, assignment: $0) }
        switch LiveSession.method(asked: schedule.profiling, library: library) {
        case .runLevel: profiler = try RunLevelProfiler(prepared: prepared, factory: factory, library: library, schedule: schedule)
        case .separateSession: profiler = try SessionWindowProfiler(factory: factory, library: library, feeds: feeds, schedule: schedule)
        case .off: profiler = nil
        }
        settings = LiveConfiguration.settingsLine(configuration, library: library, chosenThreads: chosenThreads)
    }

    /// Run-level profiling whenever the library has it: no second session, fresher figures
    /// (see ``LiveProfilingMethod``).
    static func method(asked: LiveProfilingMethod?, library: OrtLibrary) -> LiveProfilingMethod {
        switch asked {
        case .off: return .off
        case .separateSession: return .separateSession
        case .runLevel, nil: return library.supportsRunProfiling ? .runLevel : .separateSession
        }
    }
}
