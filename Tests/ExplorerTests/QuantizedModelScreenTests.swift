import Foundation
import Testing
@testable import Explorer
import ModelSamples
import OnnxGraph
import OnnxModel
import Quantization
import Terminal

/// A QDQ model opened in the explorer: its quantized nodes show their integer arithmetic.
@Suite("Quantized model on screen")
struct QuantizedModelScreenTests {
    /// The tiny MLP sample quantized with fixed ranges (no ORT needed: the arithmetic, not the
    /// calibration, is what the screen shows).
    static let document: Document = {
        let model = try! SampleModels.make("tiny-mlp")
        let analysis = GraphAnalysis(model: model)
        let plan = try! QuantizationPlan(analysis: analysis, request: PlanRequest())
        let ranges = Dictionary(uniqueKeysWithValues: Calibrator.candidateValues(analysis: analysis).enumerated().map {
            ($1, ValueRange(min: -Double($0 % 3 + 1), max: Double($0 % 5 + 2)))
        })
        let q = try! QDQWriter(model: model, analysis: analysis, plan: plan, ranges: ranges, settings: QuantizationSettings()).write()
        return Document(model: q.model, path: "tiny-mlp-int8.onnx")
    }()

    @Test("the inspector's Quantization section: S and Z of x, w, y; M as M0·2^-n; the bias scale")
    func inspector() throws {
        let doc = Self.document
        #expect(doc.quantizedLayers.count == 6, "3 MatMul + 3 Add")
        let s = Screen(Fixtures.app(doc), width: 120, height: 60)
        let key = try #require((0..<doc.scope(0).nodeCount).first { doc.scope(0).displayName($0) == "/fc1/MatMul" })
        s.app.go(to: Location(scope: 0, item: .node(key)), recordJump: false)
        s.draw()
        expectGolden("tiny-mlp-int8-inspector-fc1", s)
        let t = s.text
        #expect(t.contains("Quantization"))
        #expect(t.contains("QLinearMatMul (int8)"))
        #expect(t.contains("(32 ch)"), "fc1 has 32 output channels")
        #expect(t.contains("2^-"))
        #expect(t.contains("(Q31)"))
        #expect(t.contains("w codes") && t.contains("codes used"), "the weight's int8 codes as a histogram")
    }

    @Test("Q on a quantized node of a QDQ model turns it back to float in a variant; Q again restores it; save writes the variant")
    func dequantizeToggle() throws {
        let doc = Self.document
        let app = Fixtures.app(doc)
        let s = Screen(app, width: 120, height: 60)
        let fc1 = try #require((0..<doc.scope(0).nodeCount).first { doc.scope(0).displayName($0) == "/fc1/MatMul" })
        app.go(to: Location(scope: 0, item: .node(fc1)), recordJump: false)
        s.press(.char("Q"))
        #expect(app.state.qdqFloatNodes == ["/fc1/MatMul"], "\(app.state.message?.text ?? "")")
        let variant = try Model.decode(ByteSlice(try #require(app.state.qdqVariant)))
        let producers = Dictionary(variant.graph.nodes.flatMap { n in n.outputs.map { ($0, n) } }, uniquingKeysWith: { a, _ in a })
        let matmul = try #require(variant.graph.nodes.first { $0.name == "/fc1/MatMul" })
        #expect(producers[matmul.inputs[1]]?.opType != "DequantizeLinear", "fc1 reads float weights")
        s.draw()
        #expect(s.text.contains("float (dequantized"), "\(s.text)")
        let dir = NSTemporaryDirectory() + "onnxscope-dequant-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        app.state.palette = PaletteState(); s.type("save \(dir)/float-fc1.onnx"); s.press(.enter)
        #expect(FileManager.default.fileExists(atPath: dir + "/float-fc1.onnx"), "\(app.state.message?.text ?? "")")
        s.press(.char("Q"))
        #expect(app.state.qdqFloatNodes.isEmpty && app.state.qdqVariant == nil)
        // A node that is float in the model says so.
        let q = try #require((0..<doc.scope(0).nodeCount).first { doc.scope(0).node($0).opType == "QuantizeLinear" })
        app.go(to: Location(scope: 0, item: .node(q)), recordJump: false)
        s.press(.char("Q"))
        #expect(app.state.qdqFloatNodes.isEmpty)
        #expect(app.state.message?.kind == .warning)
    }
}
