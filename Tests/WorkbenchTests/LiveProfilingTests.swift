import Foundation
import OnnxRuntimeKit
import Testing
@testable import Workbench

extension LiveRunnerTests {
    @Test("ResNet50, run-level profiling: per-node p50/p90 on Conv nodes, CPU placement; stop within a run or two")
    func resnet50RunLevel() throws {
        let lib = try Live.cpuLibrary()
        #expect(lib.supportsRunProfiling)
        var schedule = Live.fastSchedule
        schedule.profileEvery = 2
        let runner = LiveRunner(modelPath: Live.resnet50, library: lib, configuration: SessionConfiguration(),
                                feeds: try Live.feeds(Live.resnet50, library: lib), schedule: schedule)
        runner.start()
        let r = Live.wait(runner, timeout: 120) { ($0.profile?.runLatency.count ?? 0) >= 2 && ($0.latency?.count ?? 0) >= 2 }
        try #require(r.ok, "\(r.snapshot.phase)")
        let s = r.snapshot
        #expect(s.profilingMethod == .runLevel)
        let p = try #require(s.profile)
        let convs = p.nodes.filter { $0.opType == "Conv" }
        #expect(convs.count == 53)
        #expect(convs.filter { $0.time != nil }.count >= 50, "almost every Conv anchors its own kernel")
        #expect(convs.compactMap(\.time).allSatisfy { $0.count >= 2 && $0.p50 > 0 && $0.p50 <= $0.p90 })
        #expect(p.nodes.allSatisfy { $0.provider == nil || $0.provider == "CPUExecutionProvider" })
        #expect(p.assignmentFromORT)
        #expect(p.kernelTotalMeanMs > 0 && p.kernelTotalMeanMs <= p.runLatency.mean * 1.05)

        let worst = max(s.latency!.max, s.profiledLatency?.max ?? 0) / 1000
        let asked = Date()
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 30))
        let took = Date().timeIntervalSince(asked)
        #expect(took <= 2 * worst + 0.5, "stop took \(took) s; a run takes up to \(worst) s")
        #expect(runner.snapshot.phase == .stopped && runner.snapshot.profile != nil)
    }

    @Test("A separate profiled session per window, forced on ORT 1.32: same per-node picture")
    func separateSessionOnNewORT() throws {
        let lib = try Live.cpuLibrary()
        var schedule = Live.fastSchedule
        schedule.profiling = .separateSession
        schedule.sessionWindowRuns = 3
        let runner = LiveRunner(modelPath: Live.tinyMLP, library: lib, configuration: SessionConfiguration(),
                                feeds: try Live.feeds(Live.tinyMLP, library: lib), schedule: schedule)
        runner.start()
        let r = Live.wait(runner) { $0.profiledRuns >= 6 && $0.profile != nil }
        try #require(r.ok, "\(r.snapshot.phase)")
        #expect(r.snapshot.profilingMethod == .separateSession)
        let p = try #require(r.snapshot.profile)
        #expect(p.nodes.filter { $0.time != nil }.count == 3, "\(p.nodes.map { "\($0.name) \($0.execution)" })")
        #expect(p.runLatency.count >= 6, "runs of two windows share the rolling window")
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 5))
    }

    @Test("OpenVINO 1.24.1 has no run-level profiling: separate sessions, compiled subgraphs, two providers")
    func openvinoFallback() throws {
        let lib = try Live.openvinoLibrary()
        #expect(!lib.supportsRunProfiling)
        var schedule = Live.fastSchedule
        schedule.profiling = .runLevel  // asked, but this ORT cannot: falls back
        let runner = LiveRunner(modelPath: Live.convUnique, library: lib, configuration: Live.openvinoCPU,
                                feeds: try Live.feeds(Live.convUnique, library: lib), schedule: schedule)
        runner.start()
        let r = Live.wait(runner) { $0.profile != nil && $0.latency != nil }
        try #require(r.ok, "\(r.snapshot.phase)")
        let s = r.snapshot
        #expect(s.profilingMethod == .separateSession)
        #expect(s.settings.hasPrefix("ORT 1.24.1 · OpenVINO:device_type=CPU, CPU · "), "\(s.settings)")
        #expect(Set(s.partitions?.map(\.provider) ?? []) == ["OpenVINOExecutionProvider", "CPUExecutionProvider"])
        let p = try #require(s.profile)
        #expect(p.nodes.first { $0.name == "unique1" }?.provider == "CPUExecutionProvider")
        #expect(p.nodes.first { $0.name == "conv1" }?.provider == "OpenVINOExecutionProvider")
        #expect(p.kernels.contains { $0.kind == .compiled })
        runner.stop()
        #expect(runner.waitUntilStopped(timeout: 5))
    }

    @Test("A session ORT refuses (OpenVINO and samples/loop.onnx): .failed with the whole message, no crash")
    func sessionFailure() throws {
        let lib = try Live.openvinoLibrary()
        let runner = LiveRunner(model: .path(Live.loop), library: lib, configuration: Live.openvinoCPU,
                                inputs: .generated(InputGenerator(seed: 0)), schedule: Live.fastSchedule)
        let (message, s) = try Live.failure(of: runner)
        #expect(message.hasPrefix("ONNX Runtime error ORT_FAIL while creating a session for \(Live.loop): "), "\(message)")
        #expect(message.contains("node not found in graph cache"), "\(message)")
        #expect(!message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }, "escaped: \(message.debugDescription)")
        #expect(s.sessionCreateMs == nil && s.latency == nil)
    }
}
