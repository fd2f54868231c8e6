import Foundation
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Workbench

/// The rolling statistics behind the live figures, without ORT.
@Suite("Rolling windows")
struct WindowTests {
    @Test("RollingWindow keeps the last `capacity` values, oldest first, across wrap-arounds")
    func rollingWindow() {
        var w = RollingWindow<Int>(capacity: 3)
        #expect(w.isEmpty && w.elements.isEmpty)
        for i in 1...2 { w.append(i) }
        #expect(w.elements == [1, 2])
        for i in 3...7 { w.append(i) }
        #expect(w.elements == [5, 6, 7])
        #expect(w.count == 3 && w.totalAppended == 7)
        #expect(w.suffix(2) == [6, 7] && w.suffix(10) == [5, 6, 7])
        w.removeAll()
        #expect(w.isEmpty && w.totalAppended == 0)
        w.append(9)
        #expect(w.elements == [9])
        #expect(RollingWindow<Int>(capacity: 0).capacity == 1)
    }

    @Test("LatencyWindow: statistics over the last 100 runs, sparkline of the last 60")
    func latencyWindow() throws {
        var w = LatencyWindow(statisticsRuns: 100, sparklineRuns: 60)
        #expect(w.stats == nil && w.runsPerSecond == nil && w.recentMs.isEmpty)
        for i in 1...150 { w.record(latencyMs: Double(i)) }
        let s = try #require(w.stats)
        #expect(s.count == 100 && s.min == 51 && s.max == 150)
        #expect(s.p50 == 100.5)
        #expect(s == LatencyStats(milliseconds: (51...150).map(Double.init)), "the same statistics as `run`'s")
        #expect(w.recentMs == (91...150).map(Double.init))
        #expect(w.totalRuns == 150)

        // A sparkline longer than the statistics window is kept whole.
        var long = LatencyWindow(statisticsRuns: 10, sparklineRuns: 60)
        for i in 1...70 { long.record(latencyMs: Double(i)) }
        #expect(long.recentMs.count == 60 && long.stats?.count == 10 && long.stats?.min == 61)
    }

    @Test("Runs per second count the loop's time between runs, never pauses")
    func runsPerSecond() throws {
        var w = LatencyWindow(statisticsRuns: 4)
        // 1 ms runs, 2 ms apart end to end: 500 runs/s.
        for _ in 0..<4 { w.record(latencyMs: 1, cycleMs: 2) }
        #expect(try #require(w.runsPerSecond) == 500)
        // After a pause (or a profiled run) the caller gives no cycle: the latency counts alone.
        w.record(latencyMs: 1, cycleMs: nil)
        #expect(abs(try #require(w.runsPerSecond) - 4000.0 / 7) < 1e-9)
        // A cycle shorter than the run (clock noise) is the run.
        var n = LatencyWindow(statisticsRuns: 2)
        n.record(latencyMs: 4, cycleMs: 1)
        #expect(n.runsPerSecond == 250)
    }

    @Test("Threads: cores − 1 (at least 1) unless the configuration sets them")
    func threadPolicy() {
        var c = SessionConfiguration()
        #expect(LiveConfiguration.effective(c, cores: 1).intraOpThreads == 1)
        #expect(LiveConfiguration.effective(c, cores: 2).intraOpThreads == 1)
        #expect(LiveConfiguration.effective(c, cores: 8).intraOpThreads == 7)
        c.intraOpThreads = 0  // `--threads 0`: ORT's choice, which the live runner makes cores − 1
        #expect(LiveConfiguration.effective(c, cores: 8).intraOpThreads == 7)
        c.intraOpThreads = 3
        #expect(LiveConfiguration.effective(c, cores: 8).intraOpThreads == 3)
    }

    /// One profile file's worth: a single run at the file's own time zero, as run-level
    /// profiling writes them.
    func singleRunTrace(relu: Int, sigmoid: Int) throws -> ProfileTrace {
        let json = """
        [{"cat":"Session","name":"model_run","ts":0,"dur":\(relu + sigmoid + 5),"ph":"X","args":{}},
         {"cat":"Node","name":"relu1_kernel_time","ts":1,"dur":\(relu),"ph":"X","args":{"op_name":"Relu","provider":"CPUExecutionProvider"}},
         {"cat":"Node","name":"sig1_kernel_time","ts":\(2 + relu),"dur":\(sigmoid),"ph":"X","args":{"op_name":"Sigmoid","provider":"CPUExecutionProvider"}}]
        """
        return try ProfileTrace.parse(Data(json.utf8))
    }

    @Test("ProfileWindow: per-node statistics over the last N profiled runs, each from its own file")
    func profileWindow() throws {
        let graph = Graph(nodes: [
            Node(opType: "Relu", name: "relu1", inputs: ["x"], outputs: ["r"]),
            Node(opType: "Sigmoid", name: "sig1", inputs: ["r"], outputs: ["s"]),
        ])
        var w = ProfileWindow(graph: graph, capacity: 2)
        let empty = w.profile(assignment: nil, optimizedGraph: nil)
        #expect(empty == nil && w.wallLatency == nil)
        w.add([ProfiledRun(trace: try singleRunTrace(relu: 10, sigmoid: 100), wallMs: 1)])
        w.add([ProfiledRun(trace: try singleRunTrace(relu: 30, sigmoid: 100), wallMs: 3)])
        var profile = w.profile(assignment: nil, optimizedGraph: nil)
        var p = try #require(profile)
        #expect(p.runLatency.count == 2)
        #expect(p.nodes[0].time == LatencyStats(milliseconds: [0.010, 0.030]))
        #expect(p.nodes[1].time?.p50 == 0.100)
        #expect(w.wallLatency?.p50 == 2)
        // A third run pushes out the first.
        w.add([ProfiledRun(trace: try singleRunTrace(relu: 50, sigmoid: 100), wallMs: 5)])
        profile = w.profile(assignment: nil, optimizedGraph: nil)
        p = try #require(profile)
        #expect(p.nodes[0].time == LatencyStats(milliseconds: [0.030, 0.050]))
        #expect(w.totalRuns == 3)
    }
}
