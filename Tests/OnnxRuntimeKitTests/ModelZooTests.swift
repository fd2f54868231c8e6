import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// The ONNX package's bundled model-zoo models (`onnx/backend/test/data/light`) against their
/// expected outputs, with the inputs and tolerances ONNX's own backend test runner uses.
final class ModelZooTests: XCTestCase {
    /// ONNX's runner feeds light models `arange(n).reshape(shape) / n` (float32, symbolic dims
    /// as 1) and compares with rtol 1e-3, atol 1e-7 (their data.json values).
    func runLight(_ name: String) throws {
        let lib = try RT.library()
        let path = "\(RT.lightModels)/light_\(name).onnx"
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "missing \(path): is onnx 1.23 installed in .venv?")
        var config = SessionConfiguration()
        config.intraOpThreads = 2
        let session = try Session(modelPath: path, configuration: config, library: lib)
        XCTAssertEqual(session.inputs.count, 1)
        let input = session.inputs[0]
        let shape = input.dims.map { d -> Int64 in if case .fixed(let v) = d { return v }; return 1 }
        let n = shape.reduce(1, *)
        let values = (0..<n).map { Float(Double($0) / Double(n)) }
        // Through a test_data_set folder, exactly as `onnxscope run --check` reads one.
        let dir = RT.tempDir("zoo-\(name)") + "/test_data_set_0"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try TensorProtoFile.write(HostTensor(values, shape: shape), name: input.name, path: dir + "/input_0.pb")
        try FileManager.default.copyItem(atPath: "\(RT.lightModels)/light_\(name)_output_0.pb", toPath: dir + "/output_0.pb")
        let data = try TestDataSet(directory: dir, session: session)
        XCTAssertEqual(data.rtol, 1e-3)
        XCTAssertEqual(data.atol, 1e-7)
        let outputs = try session.run(data.inputs)
        let results = data.check(outputs, order: session.outputs.map(\.name))
        XCTAssertEqual(results.count, 1)
        for r in results {
            XCTAssertTrue(r.passed, "\(name) output \(r.name): \(r.mismatches)/\(r.elementCount) off, max abs \(r.maxAbsError), max rel \(r.maxRelError) \(r.structuralProblem ?? "")")
        }
    }

    func testAlexNet() throws { try runLight("bvlc_alexnet") }
    func testDenseNet121() throws { try runLight("densenet121") }
    func testInceptionV1() throws { try runLight("inception_v1") }
    func testInceptionV2() throws { try runLight("inception_v2") }
    func testResNet50() throws { try runLight("resnet50") }
    func testShuffleNet() throws { try runLight("shufflenet") }
    func testSqueezeNet() throws { try runLight("squeezenet") }
    func testVGG19() throws { try runLight("vgg19") }
    func testZFNet512() throws { try runLight("zfnet512") }

    /// A perturbed expected output must fail the check, by the amount perturbed.
    func testCheckDetectsMismatch() throws {
        let lib = try RT.library()
        let path = "\(RT.lightModels)/light_squeezenet.onnx"
        let session = try Session(modelPath: path, library: lib)
        let dir = RT.tempDir("zoo-bad") + "/test_data_set_0"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let shape: [Int64] = [1, 3, 224, 224]
        let n = 3 * 224 * 224
        try TensorProtoFile.write(HostTensor((0..<n).map { Float(Double($0) / Double(n)) }, shape: shape), name: "data_0", path: dir + "/input_0.pb")
        var expected = try TensorProtoFile.read(path: "\(RT.lightModels)/light_squeezenet_output_0.pb")
        var values: [Float] = expected.values()
        values[5] += 0.01
        expected = HostTensor(values, shape: expected.shape)
        try TensorProtoFile.write(expected, name: "softmaxout_1", path: dir + "/output_0.pb")
        let data = try TestDataSet(directory: dir, session: session)
        let results = data.check(try session.run(data.inputs), order: session.outputs.map(\.name))
        XCTAssertFalse(results[0].passed)
        XCTAssertEqual(results[0].mismatches, 1)
        XCTAssertEqual(results[0].maxAbsError, 0.01, accuracy: 1e-4)
    }
}
