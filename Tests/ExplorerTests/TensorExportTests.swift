import Foundation
import Testing
@testable import Explorer
import OnnxModel
import OnnxRuntimeKit
import Terminal

@Suite("Palette: npy PATH [TENSOR] saves a weight")
struct TensorExportTests {
    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-npy-\(getpid())-\(name)").path
    }

    func palette(_ s: Screen, _ text: String) {
        s.press(.char(":"))
        s.type(text)
        s.press(.enter)
    }

    @Test("the selected node's weight is written as .npy with its dtype, shape and bytes")
    func selectedWeight() throws {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("/"))
        s.type("/conv1/Conv")
        s.press(.enter)
        let path = temp("conv1.npy")
        defer { unlink(path) }
        palette(s, "npy \(path)")
        #expect(s.app.state.message?.kind == .info, "\(String(describing: s.app.state.message))")
        let back = try NpyFile.read(path: path)
        #expect(back.shape == [64, 3, 7, 7])
        #expect(back.elementType == .float)
        let doc = Fixtures.resnet50
        let weight = doc.node(s.app.selectedNode!).inputs[1]
        let original = try doc.model.tensorData(doc.scope(0).initializer(named: weight)!)
        #expect(back.bytes == original.bytes)
    }

    @Test("an existing file is never overwritten, nor the open model")
    func neverOverwrites() throws {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let path = temp("exists.npy")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        palette(s, "npy \(path) fc.weight")
        #expect(s.app.state.message?.kind == .error)
        #expect(s.app.state.message?.text.contains("exists") == true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "keep")
        palette(s, "npy samples/resnet50.onnx fc.weight")
        #expect(s.app.state.message?.text.contains("open model") == true)
    }

    @Test("a name that is not a tensor says so")
    func unknownTensor() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        palette(s, "npy /tmp/x.npy no.such.weight")
        #expect(s.app.state.message?.text == "no initializer or constant named 'no.such.weight'")
    }
}
