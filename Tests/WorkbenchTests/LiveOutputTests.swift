import Foundation
import OnnxRuntimeKit
import Testing
@testable import Workbench

extension LiveRunnerTests {
    /// Points fd 1 and 2 at files for the duration of `body`, then puts them back; returns what
    /// reached each.
    static func capturingDescriptors(_ body: () throws -> Void) throws -> (stdout: String, stderr: String) {
        fflush(nil)
        let dir = NSTemporaryDirectory() + "/onnxscope-live-fd-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var saved: [Int32] = []
        for fd: Int32 in [1, 2] {
            let file = open(dir + "/\(fd)", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            saved.append(dup(fd))
            dup2(file, fd)
            close(file)
        }
        defer {
            fflush(nil)
            for (i, fd) in [Int32(1), 2].enumerated() { dup2(saved[i], fd); close(saved[i]) }
        }
        try body()
        fflush(nil)
        let read = { (fd: Int) in String(decoding: FileManager.default.contents(atPath: dir + "/\(fd)") ?? Data(), as: UTF8.self) }
        return (read(1), read(2))
    }

    @Test("Nothing reaches fd 1 or 2 while running: the OpenVINO EP's own prints land in ORT's log")
    func nothingReachesTheTerminal() throws {
        let lib = try Live.openvinoLibrary()
        // Makes the OpenVINO EP print to std::cout itself, past ORT's logger.
        setenv("ORT_OPENVINO_ENABLE_CI_LOG", "1", 1)
        defer { unsetenv("ORT_OPENVINO_ENABLE_CI_LOG") }
        lib.log.removeAll()
        let feeds = try Live.feeds(Live.convUnique, library: lib)
        var snapshot = LiveSnapshot()
        let seen = try Self.capturingDescriptors {
            let runner = LiveRunner(modelPath: Live.convUnique, library: lib, configuration: Live.openvinoCPU,
                                    feeds: feeds, schedule: Live.fastSchedule)
            runner.start()
            snapshot = Live.wait(runner) { $0.profiledRuns >= 2 && ($0.latency?.count ?? 0) >= 20 }.snapshot
            runner.stop()
            runner.waitUntilStopped(timeout: 10)
        }
        #expect(snapshot.phase == .running && snapshot.profiledRuns >= 2, "\(snapshot.phase)")
        // Only this suite runs meanwhile (serialized), so the descriptors must see nothing;
        // under a whole-package run other suites' progress lines may arrive, never ORT's.
        for (name, text) in [("stdout", seen.stdout), ("stderr", seen.stderr)] {
            #expect(!text.contains("OpenVINO") && !text.contains("Inference") && !text.contains("onnxruntime"),
                    "\(name) got \(text.debugDescription)")
        }
        // Put back anything that was not ours, so a whole-package run loses no progress line.
        FileHandle.standardOutput.write(Data(seen.stdout.utf8))
        FileHandle.standardError.write(Data(seen.stderr.utf8))
        let printed = lib.log.snapshot().filter { $0.category == "stdout" }
        #expect(printed.contains { $0.message == "Inference successful" && $0.count >= 20 },
                "\(printed.map { "\($0.message) ×\($0.count)" })")
    }
}
