import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// onnxscope's outputs equal Python ORT's for the same model, inputs and settings.
final class PythonParityTests: XCTestCase {
    func compareWithPython(model: String, feeds: [String: HostTensor], threads: Int = 1,
                           level: GraphOptimizationLevel = .all, file: StaticString = #filePath, line: UInt = #line) throws {
        let lib = try RT.library()
        var config = SessionConfiguration()
        config.intraOpThreads = threads
        config.optimizationLevel = level
        let session = try Session(modelPath: model, configuration: config, library: lib)
        let ours = try session.run(feeds)
        let dir = RT.tempDir("parity")
        for (name, t) in feeds { try NpyFile.write(t, path: "\(dir)/in/\(name.replacingOccurrences(of: "/", with: "__")).npy".ensuringParent()) }
        let (status, out) = try RT.run(RT.python, [RT.scripts + "/ort_reference.py", model, dir + "/in", dir + "/out", "\(threads)", "\(level.rawValue)"])
        XCTAssertEqual(status, 0, out, file: file, line: line)
        XCTAssertEqual(ours.count, session.outputs.count)
        for o in session.outputs {
            let theirs = try NpyFile.read(path: "\(dir)/out/\(o.name.replacingOccurrences(of: "/", with: "__")).npy")
            guard let mine = ours[o.name] else { XCTFail("no output \(o.name)", file: file, line: line); continue }
            // Same library, same inputs, same threads: results must be identical.
            XCTAssertEqual(mine.shape, theirs.shape, o.name, file: file, line: line)
            XCTAssertEqual(mine.elementType, theirs.elementType, o.name, file: file, line: line)
            if mine.elementType == .string {
                XCTAssertEqual(mine.strings, theirs.strings, o.name, file: file, line: line)
            } else {
                XCTAssertEqual(mine.bytes, theirs.bytes, "\(o.name) differs from Python ORT", file: file, line: line)
            }
        }
    }

    func testConvModelMatchesPython() throws {
        let model = try RT.model("conv_relu_sigmoid.onnx")
        let lib = try RT.library()
        var gen = InputGenerator(seed: 7)
        let feeds = try gen.inputs(for: Session(modelPath: model, library: lib))
        try compareWithPython(model: model, feeds: feeds, level: .all)
        try compareWithPython(model: model, feeds: feeds, level: .disableAll)
    }

    func testTinyBertMatchesPythonWithGeneratedIds() throws {
        let model = try RT.model("tiny_bert.onnx")
        let lib = try RT.library()
        var gen = InputGenerator(dimValues: ["batch": 2, "seq": 8],
                                 vocabularySizes: InputGenerator.vocabularySizes(in: try Model.load(path: model).graph), seed: 3)
        let feeds = try gen.inputs(for: Session(modelPath: model, library: lib))
        XCTAssertEqual(feeds["input_ids"]?.shape, [2, 8])
        try compareWithPython(model: model, feeds: feeds, threads: 2)
    }

    func testAllElementTypesRoundTripThroughORT() throws {
        let model = try RT.model("all_types.onnx")
        let lib = try RT.library()
        let session = try Session(modelPath: model, library: lib)
        var gen = InputGenerator(seed: 11)
        let feeds = try gen.inputs(for: session)
        XCTAssertEqual(feeds.count, 14)
        let outs = try session.run(feeds)
        for (name, t) in feeds {
            let out = outs[name.replacingOccurrences(of: "in_", with: "out_")]
            XCTAssertEqual(out, t, "Identity changed \(name)")
        }
        // numpy has no bfloat16: compare the rest with Python ORT.
        var pyFeeds = feeds
        pyFeeds["in_bf16"] = nil
        let dir = RT.tempDir("types")
        let reduced = dir + "/all_types_no_bf16.onnx"
        var m = try Model.load(path: model)
        m.graph.nodes.removeAll { $0.name == "id_bf16" }
        m.graph.inputs.removeAll { $0.name == "in_bf16" }
        m.graph.outputs.removeAll { $0.name == "out_bf16" }
        try m.write(to: reduced)
        try compareWithPython(model: reduced, feeds: pyFeeds)
    }
}

extension String {
    /// Creates the parent directory and returns self.
    func ensuringParent() -> String {
        try? FileManager.default.createDirectory(atPath: (self as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return self
    }
}
