import Foundation
import ModelSamples
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Workbench

/// Paths, libraries and waiting, shared by the live-runner tests. They run the real ORT builds
/// of the project's venvs (`make venv venv-openvino`), never mocks.
enum Live {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let tinyMLP = root + "/samples/tiny-mlp.onnx"
    static let loop = root + "/samples/loop.onnx"

    /// onnxruntime 1.32.0 (CPU), with run-level profiling.
    static func cpuLibrary() throws -> OrtLibrary {
        try #require(FileManager.default.isExecutableFile(atPath: root + "/.venv/bin/python"),
                     "\(root)/.venv is missing: make venv (onnxruntime==1.32.0)")
        return try OrtLibrary.load(explicitPath: root + "/.venv")
    }

    /// onnxruntime-openvino 1.24.1: OpenVINO EP + CPU, no run-level profiling.
    static func openvinoLibrary() throws -> OrtLibrary {
        try #require(FileManager.default.isExecutableFile(atPath: root + "/.venv-openvino/bin/python"),
                     "\(root)/.venv-openvino is missing: make venv-openvino (onnxruntime-openvino==1.24.1)")
        // The OpenVINO EP reads ORT_OPENVINO_ENABLE_CI_LOG once per process, at its first
        // session: set before any, so LiveOutputTests sees the EP's prints whatever runs first.
        setenv("ORT_OPENVINO_ENABLE_CI_LOG", "1", 1)
        return try OrtLibrary.load(explicitPath: root + "/.venv-openvino")
    }

    static let openvinoCPU: SessionConfiguration = {
        var c = SessionConfiguration()
        c.providers = [try! ExecutionProviderSpec(parsing: "openvino:device_type=CPU")]
        return c
    }()

    /// A generated ResNet50 (`onnxscope sample resnet50`), written once per test process.
    static let resnet50: String = {
        let path = NSTemporaryDirectory() + "/onnxscope-live-tests-\(getpid())-resnet50.onnx"
        if !FileManager.default.fileExists(atPath: path) { _ = try? SampleModels.write("resnet50", to: path) }
        return path
    }()

    /// ``SampleModels/convUnique()``: OpenVINO takes all but Unique, which falls back to CPU.
    static let convUnique: String = {
        let path = NSTemporaryDirectory() + "/onnxscope-live-tests-\(getpid())-conv_unique.onnx"
        try! SampleModels.convUnique().write(to: path)
        return path
    }()

    /// Inputs for `model` the way `onnxscope run` makes them (seeded generator, one session).
    static func feeds(_ model: String, library: OrtLibrary) throws -> [String: HostTensor] {
        var generator = InputGenerator(seed: 0)
        return try generator.inputs(for: Session(modelPath: model, library: library))
    }

    /// A quick rhythm for tests: publish every 0.1 s, profile often.
    static var fastSchedule: LiveSchedule {
        var s = LiveSchedule()
        s.publishInterval = 0.1
        s.profileEvery = 3
        s.minProfileInterval = 0.02
        s.profilingShare = 0.5
        return s
    }

    /// Starts `runner`, waits for its thread to end and returns the failure it published.
    static func failure(of runner: LiveRunner, timeout: Double = 60) throws -> (message: String, snapshot: LiveSnapshot) {
        runner.start()
        #expect(runner.waitUntilStopped(timeout: timeout))
        let s = runner.snapshot
        return (try #require(s.phase.failureMessage, "\(s.phase)"), s)
    }

    /// Polls the runner until `condition` holds; the last snapshot either way.
    @discardableResult
    static func wait(_ runner: LiveRunner, timeout: Double = 60, until condition: (LiveSnapshot) -> Bool) -> (ok: Bool, snapshot: LiveSnapshot) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            let s = runner.snapshot
            if condition(s) { return (true, s) }
            if case .failed = s.phase { return (false, s) }
            usleep(10_000)
        }
        return (false, runner.snapshot)
    }
}

/// Every publication a runner made, in order (its `onPublish`).
final class PublicationLog: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [LiveSnapshot] = []

    var callback: @Sendable (LiveSnapshot) -> Void {
        { [self] s in lock.lock(); all.append(s); lock.unlock() }
    }

    var snapshots: [LiveSnapshot] { lock.lock(); defer { lock.unlock() }; return all }
}

extension LiveSnapshot.Phase {
    var failureMessage: String? {
        if case .failed(let m) = self { return m }
        return nil
    }
}
