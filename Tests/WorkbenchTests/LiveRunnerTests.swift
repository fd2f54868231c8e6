import Foundation
import OnnxRuntimeKit
import Testing
@testable import Workbench

/// The live runner against the real ORT. Serialized: each test keeps the cores busy, and
/// timing checks (stop within a bound) mean nothing with several runners competing.
@Suite("Live runner", .serialized)
struct LiveRunnerTests {
    @Test("tiny-mlp: latency, per-node times, providers, rising generations; stop, then resume")
    func lifecycle() throws {
        let lib = try Live.cpuLibrary()
        let log = PublicationLog()
        var schedule = Live.fastSchedule
        schedule.publishInterval = 0.25
        let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                feeds: try Live.feeds(Live.tinyMLP, library: lib), schedule: schedule, onPublish: log.callback)
        #expect(runner.snapshot.phase == .idle)
        let started = Date()
        runner.start()
        let (ok, s) = Live.wait(runner) { $0.profile != nil && $0.latency != nil && $0.generation >= 3 }
        try #require(ok, "\(s.phase)")
        #expect(s.phase == .running)
        #expect(s.settings.hasPrefix("ORT 1.32.0 · CPU · "), "\(s.settings)")
        #expect(s.intraOpThreads == max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
        #expect((s.sessionCreateMs ?? 0) > 0)
        let l = try #require(s.latency)
        #expect(l.count > 0 && l.count <= 100)
        #expect(l.p50 > 0 && l.min <= l.p50 && l.p50 <= l.p90 && l.p90 <= l.max)
        #expect(s.runs >= l.count)
        #expect(!s.recentLatencyMs.isEmpty && s.recentLatencyMs.count <= 60)
        #expect((s.runsPerSecond ?? 0) > 0)
        #expect(s.profilingMethod == .runLevel)
        #expect(s.profiledRuns >= 1 && s.profiledLatency != nil && s.profilingOverheadPercent != nil)
        let p = try #require(s.profile)
        let timed = p.nodes.filter { $0.time != nil }
        #expect(timed.count == 3, "one kernel per MatMul+Add(+Relu): \(p.nodes.map { "\($0.name) \($0.execution)" })")
        #expect(timed.allSatisfy { $0.time!.p50 > 0 && $0.time!.p50 <= $0.time!.p90 })
        #expect(p.nodes.allSatisfy { $0.provider == "CPUExecutionProvider" })
        #expect(s.partitions?.map(\.provider) == ["CPUExecutionProvider"])

        let generations = log.snapshots.map(\.generation)
        #expect(generations.count >= 3 && zip(generations, generations.dropFirst()).allSatisfy { $0 < $1 }, "\(generations)")
        #expect(log.snapshots.first?.phase == .starting)
        // At most one figures publication per interval (phase changes come on top).
        let figures = log.snapshots.filter { $0.phase == .running }.count
        #expect(Double(figures) <= Date().timeIntervalSince(started) / 0.25 + 2, "\(figures) publications")

        let stopAsked = Date()
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 2))
        #expect(Date().timeIntervalSince(stopAsked) < 1)
        let stopped = runner.snapshot
        #expect(stopped.phase == .stopped)
        #expect(stopped.latency == runner.snapshot.latency && stopped.latency != nil && stopped.profile != nil,
                "the last figures stay")
        usleep(300_000)
        #expect(runner.snapshot.runs == stopped.runs, "nothing runs while stopped")

        runner.start()
        let resumed = Live.wait(runner) { $0.phase == .running && $0.runs > stopped.runs }
        #expect(resumed.ok, "\(resumed.snapshot.phase)")
        #expect(resumed.snapshot.sessionCreateMs == stopped.sessionCreateMs, "resuming keeps the session")
        #expect(resumed.snapshot.generation > stopped.generation)
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 2))
    }

    @Test("The newest profiled run's kernel events come with the snapshot; as Chrome trace JSON they read back unchanged")
    func lastProfiledRunTrace() throws {
        let lib = try Live.cpuLibrary()
        let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                feeds: try Live.feeds(Live.tinyMLP, library: lib), schedule: Live.fastSchedule)
        runner.start()
        let (ok, s) = Live.wait(runner) { $0.lastProfiledRun != nil && $0.profile != nil }
        runner.stop()
        runner.waitUntilStopped(timeout: 10)
        try #require(ok, "\(s.phase)")
        let trace = try #require(s.lastProfiledRun)
        #expect(trace.runs.count == 1 && !trace.kernels.isEmpty)
        #expect(trace.kernels.allSatisfy { $0.run == 0 && $0.provider == "CPUExecutionProvider" })
        let json = try trace.chromeTraceJSON(processName: "tiny-mlp")
        #expect(try ProfileTrace.parse(json) == trace, "the export is ORT's own format")
        let events = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(events.filter { $0["ph"] as? String == "X" }.count == trace.kernels.count + 1)
    }

    @Test("update(configuration:) keeps the old figures, marked stale, until the new session has its own")
    func updateConfiguration() throws {
        let lib = try Live.cpuLibrary()
        let log = PublicationLog()
        let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                feeds: try Live.feeds(Live.tinyMLP, library: lib), schedule: Live.fastSchedule, onPublish: log.callback)
        runner.start()
        let before = Live.wait(runner) { $0.latency != nil }.snapshot
        #expect(before.settings.contains("opt all"))

        var basic = SessionConfiguration()
        basic.optimizationLevel = .basic
        basic.intraOpThreads = 1
        runner.update(configuration: basic)
        let after = Live.wait(runner) { $0.settings.contains("opt basic") && !$0.isStale && $0.latency != nil }
        try #require(after.ok, "\(after.snapshot.phase) \(after.snapshot.settings)")
        let stale = log.snapshots.filter(\.isStale)
        #expect(!stale.isEmpty)
        #expect(stale.allSatisfy { $0.settings == before.settings && $0.latency != nil }, "stale snapshots carry the old figures")
        #expect(after.snapshot.intraOpThreads == 1)
        #expect(!after.snapshot.settings.contains("cores − 1"), "\(after.snapshot.settings)")
        // Level 1 does not fuse MatMul+Add+Relu: more kernels.
        let kernels = Live.wait(runner) { $0.profile != nil }.snapshot.profile?.kernels.count ?? 0
        #expect(kernels > 3)

        // While stopped, the figures are marked at once and the new session comes with start().
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 2))
        runner.update(configuration: SessionConfiguration())
        #expect(runner.snapshot.isStale)
        #expect(runner.snapshot.phase == .stopped)
        runner.start()
        let back = Live.wait(runner) { $0.settings.contains("opt all") && !$0.isStale && $0.phase == .running }
        #expect(back.ok, "\(back.snapshot.phase)")
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 2))
    }

    @Test("A failing run gives .failed with ORT's message in full, ends the thread, and can be started again")
    func runFailure() throws {
        let lib = try Live.cpuLibrary()
        // tiny-mlp wants [batch, 16]; 17 columns fail inside Run, not before.
        let bad = HostTensor([Float](repeating: 0.5, count: 17), shape: [1, 17])
        let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                feeds: ["input": bad], schedule: Live.fastSchedule)
        let (message, s) = try Live.failure(of: runner, timeout: 20)
        #expect(message.hasPrefix("ONNX Runtime error ORT_INVALID_ARGUMENT while running the model: "), "\(message)")
        #expect(message.contains("Got invalid dimensions for input: input"), "\(message)")
        #expect(message.contains("Expected: 16"), "\(message)")
        #expect(s.sessionCreateMs != nil && s.latency == nil)

        #expect(try Live.failure(of: runner, timeout: 20).message == message)
        #expect(runner.snapshot.generation > s.generation)
    }

    @Test("Generated inputs: the runner opens the session and makes the feeds itself")
    func generatedInputs() throws {
        let lib = try Live.cpuLibrary()
        var schedule = Live.fastSchedule
        schedule.profiling = .off
        let runner = LiveRunner(model: .path(Live.tinyMLP), library: lib, configuration: SessionConfiguration(),
                                inputs: .generated(InputGenerator(seed: 3)), schedule: schedule)
        runner.start()
        let r = Live.wait(runner) { $0.latency != nil }
        #expect(r.ok, "\(r.snapshot.phase)")
        #expect(r.snapshot.profilingMethod == .off && r.snapshot.profile == nil)
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 2))
    }
}

extension LiveRunnerTests {
    @Test("Dims the session fixes are the generated inputs' dims too: a new configuration re-runs BERT at another sequence length")
    func fixedDims() throws {
        let lib = try Live.cpuLibrary()
        let bert = Live.root + "/samples/bert-tiny.onnx"
        var config = SessionConfiguration()
        config.freeDimensionOverrides = ["seq": 16]
        let runner = LiveRunner(model: .path(bert), library: lib, configuration: config,
                                inputs: .generated(InputGenerator(dimValues: ["seq": 64], seed: 3)), schedule: Live.fastSchedule)
        defer { runner.stop(); runner.waitUntilStopped(timeout: 10) }
        runner.start()
        let first = Live.wait(runner) { s in s.profile?.nodes.contains { $0.inputShapes.contains("[1,16]") } == true }
        #expect(first.ok, "\(first.snapshot.phase) \(first.snapshot.profile?.nodes.prefix(3).map(\.inputShapes) ?? [])")
        config.freeDimensionOverrides = ["seq": 24]
        runner.update(configuration: config)
        let second = Live.wait(runner) { s in !s.isStale && s.profile?.nodes.contains { $0.inputShapes.contains("[1,24]") } == true }
        #expect(second.ok && second.snapshot.settings.contains("seq=24"), "\(second.snapshot.settings)")
    }

    @Test("Dropping the last reference to a running runner stops it")
    func droppingStops() throws {
        let lib = try Live.cpuLibrary()
        let log = PublicationLog()
        do {
            let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                    feeds: try Live.feeds(Live.tinyMLP, library: lib), schedule: Live.fastSchedule,
                                    onPublish: log.callback)
            runner.start()
            #expect(Live.wait(runner) { $0.latency != nil }.ok)
        }
        let deadline = Date(timeIntervalSinceNow: 5)
        while Date() < deadline && log.snapshots.last?.phase != .stopped { usleep(10_000) }
        #expect(log.snapshots.last?.phase == .stopped, "\(log.snapshots.last?.phase as Any)")
    }
}
