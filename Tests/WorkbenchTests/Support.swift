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

    /// Conv -> Relu -> Unique -> Sigmoid: OpenVINO takes all but Unique, which falls back to CPU.
    static let convUnique: String = {
        var b = GraphBuilder(name: "conv_unique")
        let x = b.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
        var rng = SeededRandom(seed: 7)
        let w = b.initializer("W", floats: rng.normals(4 * 3 * 3 * 3, std: 0.2), dims: [4, 3, 3, 3])
        let c = b.op("Conv", [x, w], name: "conv1", .ints("pads", [1, 1, 1, 1]))
        let r = b.op("Relu", [c], name: "relu1")
        let u = b.op("Unique", [r], name: "unique1")
        let s = b.op("Sigmoid", [u], name: "sig1")
        b.output(s, .float, nil)
        let path = NSTemporaryDirectory() + "/onnxscope-live-tests-\(getpid())-conv_unique.onnx"
        try! b.model().write(to: path)
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
