import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// The runner thread's work: open the session, run batches, profile when due, publish.
///
/// Only the runner thread touches it (``LiveControl`` lets at most one run at a time), so it
/// needs no lock of its own; what it shares with callers goes through the control.
final class LiveLoop: @unchecked Sendable {
    private let control: LiveControl
    private var source: ModelRunner.Source
    /// The revision of `source` (0: the model the runner was made with).
    private var revision = 0
    private let library: OrtLibrary
    private let inputs: LiveInputs
    private let schedule: LiveSchedule
    /// The model as onnxscope reads it, for mapping kernels to nodes; loaded on first start.
    private var graph: Graph?

    private var live: LiveSession?
    private var profiler: KernelProfiler?
    private var latency: LatencyWindow
    private var profiles: ProfileWindow?
    private var warmupLeft = 0
    private var runsSinceProfile = 0
    /// End of the previous unprofiled run when the next one follows it back to back.
    private var previousRunEnd: UInt64?
    private var lastPublish: UInt64 = 0
    /// After a reconfiguration: the published figures are the old session's until the new one
    /// has latency of its own.
    private var staleUntilFigures = false

    init(control: LiveControl, source: ModelRunner.Source, library: OrtLibrary, inputs: LiveInputs, schedule: LiveSchedule) {
        self.control = control
        self.source = source
        self.library = library
        self.inputs = inputs
        self.schedule = schedule
        latency = LatencyWindow(statisticsRuns: schedule.latencyWindow, sparklineRuns: schedule.sparklineRuns)
    }

    /// The thread body; returns when stopped or failed (unless a start() came meanwhile).
    func run() {
        while true {
            do {
                switch control.command() {
                case .stop:
                    publish(phase: .stopped)
                    if control.threadShouldExit(afterFailure: false) { return }
                    previousRunEnd = nil
                    publish(phase: .running)
                    continue
                case .reconfigure(let configuration):
                    if let model = control.takeRequestedModel() {
                        // Another model (an int8 variant): its own graph maps kernels to nodes.
                        source = model.source
                        revision = model.revision
                        graph = nil
                    }
                    try open(configuration)
                case .proceed:
                    if live == nil { try open(control.configuration) }
                }
                try NativeOutputCapture.capture(into: library.log) { try batch() }
                publishFigures()
            } catch {
                if fail(error) { return }
            }
        }
    }

    // MARK: Sessions

    /// Creates the session for `requested`, replacing the current one.
    private func open(_ requested: SessionConfiguration) throws {
        let before = control.snapshot
        let hadFigures = before.latency != nil
        // Release the old session first: keeping it while the new one loads would hold two
        // copies of the weights, and it cannot run meanwhile anyway (same thread).
        live = nil
        profiler = nil
        var announce = before
        announce.phase = .starting
        announce.isStale = hadFigures
        control.publish(announce)

        let model = try graph ?? ModelRunner(source: source, configuration: requested).loadGraph()
        graph = model
        let configuration = LiveConfiguration.effective(requested)
        let chosen = requested.intraOpThreads == nil || requested.intraOpThreads == 0
        let session = try NativeOutputCapture.capture(into: library.log) {
            try LiveSession(source: source, configuration: configuration, chosenThreads: chosen, library: library,
                            inputs: inputs, graph: model, schedule: schedule)
        }
        live = session
        profiler = session.profiler
        latency = LatencyWindow(statisticsRuns: schedule.latencyWindow, sparklineRuns: schedule.sparklineRuns)
        profiles = ProfileWindow(graph: model, capacity: schedule.profiledRunsWindow)
        warmupLeft = max(0, schedule.warmupRuns)
        runsSinceProfile = 0
        previousRunEnd = nil
        staleUntilFigures = hadFigures
        // A first session shows its creation time and placement at once; a replacement waits
        // for figures of its own, so the view never mixes the two sessions.
        if !hadFigures { publishFigures(force: true) }
    }

    /// Publishes `.failed` with the error in full (escaped) and drops the session; true when
    /// the thread should end.
    private func fail(_ error: Error) -> Bool {
        live = nil
        profiler = nil
        var s = control.snapshot
        s.phase = .failed("\(error)".escapedForDisplay)
        control.publish(s)
        return control.threadShouldExit(afterFailure: true)
    }

    // MARK: Running

    /// Runs for about one publish interval, or until a stop or a new configuration is asked
    /// for: unprofiled runs, with a profiled run (or window) whenever the profiler says so.
    private func batch() throws {
        guard let live else { return }
        let deadline = monotonicNow() + UInt64(max(0, schedule.publishInterval) * 1e9)
        repeat {
            if warmupLeft == 0, let p = profiler, p.isDue(now: monotonicNow(), runsSinceLast: runsSinceProfile) {
                do {
                    profiles?.add(try p.profile { !control.isInterrupted })
                } catch let unavailable as ProfilingUnavailable {
                    // Per-kernel times are a bonus; latency goes on without them.
                    library.log.record(severity: .warning, category: "onnxscope",
                                       message: "live per-kernel profiling stopped: \(unavailable.reason)")
                    profiler = nil
                }
                runsSinceProfile = 0
                previousRunEnd = nil
                continue
            }
            let ns = try live.prepared.timedRun()
            let end = monotonicNow()
            if warmupLeft > 0 {
                warmupLeft -= 1
            } else {
                latency.record(latencyMs: milliseconds(ns), cycleMs: previousRunEnd.map { milliseconds(end - $0) })
                runsSinceProfile += 1
            }
            previousRunEnd = end
        } while !control.isInterrupted && monotonicNow() < deadline
    }

    // MARK: Publishing

    /// Publishes the current figures if the publish interval has passed (or `force`).
    private func publishFigures(force: Bool = false) {
        let now = monotonicNow()
        guard force || now &- lastPublish >= UInt64(max(0, schedule.publishInterval) * 1e9) else { return }
        if staleUntilFigures {
            guard latency.stats != nil else { return }
            staleUntilFigures = false
        }
        lastPublish = now
        control.publish(figures(phase: .running))
    }

    /// Publishes a phase change: the current figures, or the published ones while a new
    /// session has none yet.
    private func publish(phase: LiveSnapshot.Phase) {
        if live != nil && !staleUntilFigures {
            control.publish(figures(phase: phase))
        } else {
            var s = control.snapshot
            s.phase = phase
            control.publish(s)
        }
    }

    /// The snapshot of the current session's windows.
    private func figures(phase: LiveSnapshot.Phase) -> LiveSnapshot {
        var s = LiveSnapshot()
        s.phase = phase
        guard let live else { return s }
        s.modelRevision = revision
        s.settings = live.settings
        s.sessionCreateMs = live.createMs
        s.intraOpThreads = live.configuration.intraOpThreads
        s.runs = latency.totalRuns
        s.latency = latency.stats
        s.recentLatencyMs = latency.recentMs
        s.runsPerSecond = latency.runsPerSecond
        s.profilingMethod = profiler?.method ?? .off
        s.profile = profiles?.profile(assignment: live.assignment, optimizedGraph: profiler?.optimizedGraph)
        s.profiledRuns = profiles?.totalRuns ?? 0
        s.lastProfiledRun = profiles?.lastRun
        s.profiledLatency = profiles?.wallLatency
        if let p = s.profiledLatency, let l = s.latency, l.p50 > 0 {
            s.profilingOverheadPercent = (p.p50 - l.p50) / l.p50 * 100
        }
        s.partitions = live.partitions ?? s.profile?.partitions
        return s
    }
}
