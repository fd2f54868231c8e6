import Foundation
import OnnxRuntimeKit
import Testing
@testable import Workbench

extension LiveRunnerTests {
    // Whether those bytes also reached fd 1 or 2 is checked in a process of its own
    // (RunCommandTests.printsDuringRunsAreCaptured, same capture around the runs): pointing this process's fd 1 and 2 elsewhere here raced with the
    // other suites' captures running in parallel and once deadlocked the whole test run.
    @Test("The OpenVINO EP's own prints while running land in ORT's log (captured, not printed)")
    func nativePrintsAreCaptured() throws {
        let lib = try Live.openvinoLibrary()
        // ORT_OPENVINO_ENABLE_CI_LOG (set by Live.openvinoLibrary() before any OpenVINO session
        // of the process: the EP reads it once) makes the EP print to std::cout itself.
        lib.log.removeAll()
        let feeds = try Live.feeds(Live.convUnique, library: lib)
        let runner = LiveRunner(modelPath: Live.convUnique, library: lib, configuration: Live.openvinoCPU,
                                feeds: feeds, schedule: Live.fastSchedule)
        runner.start()
        let snapshot = Live.wait(runner) { $0.profiledRuns >= 2 && ($0.latency?.count ?? 0) >= 20 }.snapshot
        runner.stop()
        runner.waitUntilStopped(timeout: 10)
        #expect(snapshot.phase == .running && snapshot.profiledRuns >= 2, "\(snapshot.phase)")
        // The pipe's reader records lines on its own thread: give it a moment.
        var printed: [OrtLogEntry] = []
        let deadline = Date().addingTimeInterval(10)
        repeat {
            printed = lib.log.snapshot().filter { $0.category == "stdout" }
            if printed.contains(where: { $0.message == "Inference successful" && $0.count >= 20 }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        #expect(printed.contains { $0.message == "Inference successful" && $0.count >= 20 },
                "\(printed.map { "\($0.message) ×\($0.count)" })")
    }
}
