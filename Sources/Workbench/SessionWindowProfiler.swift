import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Profiling for ORT without run-level profiling (< 1.25): each window is a second session,
/// profiled from creation to `SessionEndProfiling`, then released (see
/// ``LiveProfilingMethod/separateSession``).
final class SessionWindowProfiler: KernelProfiler {
    let method = LiveProfilingMethod.separateSession
    private(set) var optimizedGraph: Graph?
    private var askedForOptimizedGraph = false
    private let factory: ModelRunner
    private let library: OrtLibrary
    private let feeds: [String: HostTensor]
    private let schedule: LiveSchedule
    private let directory: ProfileDirectory
    private var nextDue: UInt64

    init(factory: ModelRunner, library: OrtLibrary, feeds: [String: HostTensor], schedule: LiveSchedule) throws {
        self.factory = factory
        self.library = library
        self.feeds = feeds
        self.schedule = schedule
        directory = try ProfileDirectory()
        // The first window waits for a couple of publications, so latency shows up before the
        // loop spends a session creation on profiling.
        nextDue = monotonicNow() + UInt64(max(0, schedule.publishInterval) * 2e9)
    }

    func isDue(now: UInt64, runsSinceLast: Int) -> Bool { runsSinceLast > 0 && now >= nextDue }

    func profile(keepGoing: () -> Bool) throws -> [ProfiledRun] {
        let start = monotonicNow()
        defer {
            // Space windows so that profiling takes at most `profilingShare` of the wall time.
            let cost = Double(monotonicNow() - start)
            let share = min(max(schedule.profilingShare, 0.01), 1)
            nextDue = monotonicNow() + UInt64(cost * (1 - share) / share)
        }
        let prefix = directory.path + "/" + directory.nextPrefix("window")
        // Only the first window writes the optimized model: it does not change between windows.
        let (session, graph) = try factory.openProfilingSession(library: library, profilingPrefix: prefix,
                                                                optimizedGraph: !askedForOptimizedGraph)
        if !askedForOptimizedGraph {
            askedForOptimizedGraph = true
            optimizedGraph = graph
        }
        let prepared = try PreparedRun(session: session, feeds: feeds)
        var warm = 0
        while warm < schedule.sessionWindowWarmup, keepGoing() {
            try prepared.timedRun()
            warm += 1
        }
        var walls: [Double] = []
        while walls.count < max(1, schedule.sessionWindowRuns), keepGoing() {
            walls.append(milliseconds(try prepared.timedRun()))
        }
        let path = try session.endProfiling()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runs = try ProfileTrace.load(path: path).splitByRun().dropFirst(warm)
        return zip(runs, walls).map { ProfiledRun(trace: $0, wallMs: $1) }
    }
}
