import Foundation
import Testing
import OnnxModel
import ModelSamples
@testable import OnnxGraph

/// Model-local functions (FunctionProto), as dynamo exports write them: every call opens its
/// body as a scope, and shapes flow through it.
@Suite("Model-local functions")
struct FunctionTests {
    static func model() -> Model { try! SampleModels.make("functions") }

    @Test("each call opens its body as a scope, nested calls too")
    func scopes() {
        let index = GraphIndex(model: Self.model())
        #expect(index.scopes.count == 3)
        #expect(index.scopes[1].parent?.attribute == Function.callScopeLabel)
        #expect(index.scopes[1].graph.name == "local.Block")
        #expect(index.scopes[2].graph.name == "local.ScaledSoftmax")
        #expect(index.path(of: 2) == "block0/function body/ScaledSoftmax#0/function body")
        // The attribute reference took the call's value.
        #expect(index.scopes[2].graph.nodes[3].attribute("axis")?.i == 1)
        #expect(index.issues.filter { $0.severity == .error }.isEmpty, "\(index.issues)")
    }

    @Test("shapes flow through the bodies to the call's outputs")
    func shapes() {
        let a = GraphAnalysis(model: Self.model())
        #expect(a.shapes.facts("y")?.dims == [.param("batch"), .value(24)])
        #expect(a.shapes.facts("y")?.elementType == .float)
        #expect(a.shapes.facts("w", scope: 1)?.dims == [.param("batch"), .value(4), .value(6)])
        #expect(a.shapes.unsupportedOps.isEmpty, "\(a.shapes.unsupportedOps)")
        // The Softmax and Mul inside count: 3 + 1 MAC per element of a 1×4×6 tensor.
        #expect(a.metrics.overall.macs == 24 * 3 + 24)
    }

    @Test("onnx.checker accepts the model and ORT computes the shape we infer")
    func againstOrt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let python = root.appendingPathComponent(".venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run `make venv` first")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-function-\(getpid()).onnx").path
        try Self.model().write(to: path)
        defer { unlink(path) }
        let script = """
        import sys, numpy as np, onnx, onnxruntime as ort
        onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)
        s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
        y = s.run(None, {"x": np.ones((3, 4, 6), np.float32)})[0]
        print(",".join(map(str, y.shape)))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(problem)")
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "3,24")
        let bound = GraphAnalysis(model: Self.model(), binding: try DimensionBinding(model: Self.model(), user: ["batch": 3]))
        #expect(bound.shapes.facts("y")?.dims == [.value(3), .value(24)])
    }
}
