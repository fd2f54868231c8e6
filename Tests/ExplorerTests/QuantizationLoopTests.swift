import Foundation
import Testing
@testable import Explorer
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Workbench

/// Q and the palette drive the quantization loop; the status bar, inspector and `save` show
/// its results. Runs the real ORT of the project venv on the tiny MLP sample.
@Suite("Quantization loop in the explorer", .serialized)
struct QuantizationLoopTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func app() throws -> (ExplorerApp, String) {
        let model = try Model.load(path: Self.root + "/samples/tiny-mlp.onnx")
        let dir = NSTemporaryDirectory() + "onnxscope-qloop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/cal", withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 4)
        for k in 0..<8 { try NpyFile.write(HostTensor(rng.normals(16, std: 1), shape: [1, 16]), path: "\(dir)/cal/\(k).npy") }
        let app = ExplorerApp(document: Document(model: model, path: Self.root + "/samples/tiny-mlp.onnx"))
        let library = try OrtLibrary.load(explicitPath: Self.root + "/.venv")
        app.makeQuantizationJob = { [dir] in
            var job = Quantizer.Job(model: model)
            job.calibration = [dir + "/cal"]
            job.evaluation = [dir + "/cal"]
            job.cachePath = ""
            return QuantizationJob(job: job, library: library)
        }
        return (app, dir)
    }

    func settle(_ app: ExplorerApp) {
        _ = app.quantizationJob?.waitUntilIdle(timeout: 120)
        app.refreshQuantization()
    }

    @Test("Q on a node builds a variant with it float; the status bar and inspector say so; save writes model and plan")
    func toggleAndSave() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        app.perform(.toggleQuantization)          // no plan yet: starts calibrating
        settle(app)
        s.draw()
        #expect(s.text.contains("int8 6/6 kernels"), "\(s.lines.last ?? "")")
        let main = app.document.scope(0)
        let fc2 = try #require((0..<main.nodeCount).first { main.displayName($0) == "/fc2/MatMul" })
        app.go(to: Location(scope: 0, item: .node(fc2)), recordJump: false)
        s.press(.char("Q"))
        #expect(app.state.planRequest.exclude == ["/fc2/MatMul"])
        settle(app)
        s.draw()
        #expect(app.state.quantization?.plan?.decision(named: "/fc2/MatMul")?.precision == .float)
        #expect(s.text.contains("int8 5/5 kernels"), "\(s.lines.last ?? "")")
        #expect(s.text.contains("plan    float (Q switches)"))
        s.press(.char("Q"))                       // and back
        settle(app)
        #expect(app.state.quantization?.plan?.decision(named: "/fc2/MatMul")?.precision == .int8)

        app.state.palette = PaletteState(); s.type("save \(dir)/int8.onnx"); s.press(.enter)
        #expect(FileManager.default.fileExists(atPath: dir + "/int8.onnx") && FileManager.default.fileExists(atPath: dir + "/int8.plan.json"),
                "\(app.state.message?.text ?? "")")
        app.state.palette = PaletteState(); s.type("save \(dir)/int8.onnx"); s.press(.enter)
        #expect(app.state.message?.kind == .error, "never over an existing file")
        let saved = try Model.load(path: dir + "/int8.onnx")
        #expect(saved.graph.nodes.contains { $0.opType == "QuantizeLinear" })

        app.state.palette = PaletteState(); s.type("float op MatMul"); s.press(.enter)
        settle(app)
        let plan = try #require(app.state.quantization?.plan)
        #expect(plan.decisions.filter { $0.opType == "MatMul" }.allSatisfy { $0.precision == .float })
    }

    @Test("without calibration data, Q says how to give it")
    func noCalibration() {
        let app = ExplorerApp(document: Fixtures.bertTiny)
        app.perform(.toggleQuantization)
        #expect(app.state.message?.text.contains("--calibration") == true)
    }
}
