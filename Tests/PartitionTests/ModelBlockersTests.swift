import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Partition

/// Model-level blockers: each found at its node, with the fix, and in the report.
@Suite("Model-level deployment blockers")
struct ModelBlockersTests {
    /// x → NonZero → Transpose; x → com.acme:Foo; d (float64) → Relu.
    static func model() -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(4), .value(4)])
        let nz = g.op("NonZero", [x], name: "nonzero")
        g.output(g.op("Transpose", [nz], name: "after"), .int64, nil)
        g.importDomain("com.acme", version: 1)
        g.output(g.op("Foo", [x], name: "foo", domain: "com.acme"), .float, nil)
        let d = g.input("d", .double, [.value(2)])
        g.output(g.op("Relu", [d], name: "relu64"), .double, nil)
        return g.model()
    }

    @Test("custom domain, data-dependent shape and float64, each at its node with a fix")
    func findsEach() {
        let m = Self.model()
        let analysis = GraphAnalysis(model: m)
        let found = ModelBlockers.find(model: m, index: analysis.index, shapes: analysis.shapes)
        let byNode = Dictionary(found.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byNode["foo"]?.kind == .customDomain)
        #expect(byNode["foo"]?.fix.contains("register_custom_ops_library") == true)
        #expect(byNode["nonzero"]?.kind == .dataDependentShape)
        #expect(byNode["nonzero"]?.problem.contains("1 node reading it") == true, "\(byNode["nonzero"]?.problem ?? "")")
        #expect(byNode["relu64"]?.kind == .float64)
        #expect(byNode["after"] == nil, "Transpose itself is no blocker")
        #expect(found.count == 3)
    }

    @Test("an ATen op (torch.onnx.export's ATen fallback) names the PyTorch operator and the re-export; ORT's release build refuses it")
    func atenFallback() throws {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(2)])
        g.importDomain("org.pytorch.aten", version: 1)
        g.output(g.op("ATen", [x], name: "aten_relu", domain: "org.pytorch.aten", .string("operator", "relu")), .float, nil)
        let m = g.model()
        let analysis = GraphAnalysis(model: m)
        let found = ModelBlockers.find(model: m, index: analysis.index, shapes: analysis.shapes)
        #expect(found.map(\.kind) == [.atenFallback])
        #expect(found.first?.problem.contains("aten::relu") == true && found.first?.fix.contains("operator_export_type=ONNX") == true)
        // What the blocker says of ORT's release build, asked of ORT itself.
        let path = try Reference.write(m, "aten")
        let out = try Reference.run(["-c", "import onnxruntime as o, sys\ntry:\n o.InferenceSession(sys.argv[1], providers=['CPUExecutionProvider']); print('loaded')\nexcept Exception as e: print('refused', e)", path])
        #expect(out.hasPrefix("refused") && out.contains("ATen"), "\(out)")
    }

    /// x float[DIMS] → Reshape(x, TARGET) → y.
    static func reshape(_ dims: [OnnxModel.Dimension], target: [Int64]?, allowZero: Bool = false) -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, dims)
        let shape = target.map { g.initializer("target", int64s: $0) } ?? g.op("Shape", [x], name: "shape")
        g.output(g.op("Reshape", [x, shape], name: "reshape", .int("allowzero", allowZero ? 1 : 0)), .float, nil)
        return g.model()
    }

    static func traced(_ m: Model) -> [ModelBlocker] {
        let analysis = GraphAnalysis(model: m)
        return ModelBlockers.find(model: m, index: analysis.index, shapes: analysis.shapes).filter { $0.kind == .tracedShape }
    }

    @Test("a Reshape to a constant shape under a dynamic dim runs only at the traced size: the blocker names the size, and ORT agrees")
    func tracedReshape() throws {
        let m = Self.reshape([.param("batch"), .value(3), .value(4)], target: [2, 12])
        let found = Self.traced(m)
        #expect(found.map(\.node) == ["reshape"])
        #expect(found.first?.problem.contains("it runs only with batch = 2") == true, "\(found)")
        #expect(found.first?.fix.contains("--fix-dims batch=2") == true)
        // ORT: batch 2 runs, batch 3 fails in the Reshape.
        let path = try Reference.write(m, "traced-reshape")
        let out = try Reference.run(["-c", """
            import onnxruntime as o, numpy as np, sys
            s = o.InferenceSession(sys.argv[1], providers=['CPUExecutionProvider'])
            for b in (2, 3):
                try: s.run(None, {'x': np.zeros((b, 3, 4), np.float32)}); print(b, 'ran')
                except Exception as e: print(b, 'failed', 'Reshape' in str(e))
            """, path])
        #expect(out.split(separator: "\n").map(String.init) == ["2 ran", "3 failed True"], "\(out)")
    }

    @Test("a second dynamic dim the target does not carry over (by 0) is the one named; -1, 0 for every dynamic dim and a computed target are no blockers")
    func tracedReshapeCases() {
        let seq = Self.traced(Self.reshape([.param("batch"), .param("seq"), .value(4)], target: [0, 8, 4]))
        #expect(seq.first?.problem.contains("it runs only with seq = 8") == true, "\(seq)")
        let never = Self.traced(Self.reshape([.param("batch"), .value(3)], target: [4, 5]))
        #expect(never.first?.problem.contains("no value of batch makes them equal") == true, "\(never)")
        #expect(Self.traced(Self.reshape([.param("batch"), .value(3), .value(4)], target: [-1, 12])).isEmpty)
        #expect(Self.traced(Self.reshape([.param("batch"), .value(3), .value(4)], target: [0, 12])).isEmpty)
        #expect(Self.traced(Self.reshape([.param("batch"), .value(3), .value(4)], target: nil)).isEmpty)
        #expect(Self.traced(Self.reshape([.value(2), .value(3), .value(4)], target: [2, 12])).isEmpty, "no dynamic dim")
        #expect(Self.traced(Self.reshape([.unknown, .value(3), .value(4)], target: [2, 12])).count == 1, "an input dim without a name varies too")
    }

    @Test("an If chain 16 deep is a blocker at its outermost If (session creation doubles per level on onnxruntime-openvino 1.24.1); 15 deep is not")
    func deepNesting() throws {
        func chain(_ depth: Int) throws -> Model {
            let dir = Reference.tempDir("chain")
            _ = try Reference.run(["-c", """
                import sys, runpy
                sys.argv = ["nested_if.py"]   # no depths: the benchmark's loop does nothing
                ns = runpy.run_path("\(Reference.root)/Benchmarks/nested_if.py", run_name="lib")
                open("\(dir)/m.onnx", "wb").write(ns["model"](\(depth)))
                """])
            return try Model.load(path: dir + "/m.onnx")
        }
        for (depth, expected) in [(15, false), (16, true)] {
            let m = try chain(depth)
            let analysis = GraphAnalysis(model: m)
            let found = ModelBlockers.find(model: m, index: analysis.index, shapes: analysis.shapes).filter { $0.kind == .deepNesting }
            #expect(found.isEmpty != expected, "depth \(depth): \(found)")
            if expected { #expect(found.first?.problem.contains("nested 16 deep") == true && found.first?.op == "ai.onnx:If") }
        }
    }

    @Test("the report lists them before the targets, and --json has them")
    func inReport() throws {
        let m = Self.model()
        let report = PartitionReport.analyse(modelPath: "m.onnx", original: m, analysed: m, graph: .raw(why: "test"), targets: [.cpu], userDims: [:])
        let text = report.text()
        #expect(text.contains("model-level blockers (3):"))
        #expect(text.contains("custom domain: foo (com.acme:Foo)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        #expect((json["blockers"] as? [[String: Any]])?.map { $0["kind"] as? String ?? "" }.sorted() == ["custom domain", "data-dependent shape", "float64"])
    }

    @Test("ORT's own refusals (IR version, opset) become a blocker with the numbers and the fix")
    func runtimeRefusal() throws {
        let ir = try #require(ModelBlockers.runtimeRefusal(error: "Load model from m.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model.cc:256 onnxruntime::Model::Model(…) Unsupported model IR version: 99, max supported IR version: 14", runtime: "1.32.0"))
        #expect(ir.problem == "ONNX Runtime 1.32.0 refuses to load it: IR version 99 is above the 14 it supports")
        #expect(ir.fix.contains("model.ir_version = 14"))
        let opset = try #require(ModelBlockers.runtimeRefusal(error: "… ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 40 is under development and support for this is limited. … Current official support for domain ai.onnx is till opset 28.", runtime: "1.32.0"))
        #expect(opset.problem.contains("opset 40 is newer than the 28"))
        #expect(opset.fix.contains("convert_version(model, 28)"))
        #expect(ModelBlockers.runtimeRefusal(error: "some other failure", runtime: "1.32.0") == nil)
        var report = PartitionReport.analyse(modelPath: "m.onnx", original: Self.model(), analysed: Self.model(), graph: .raw(why: "test"), targets: [.cpu, .nnapi], userDims: [:])
        report.addRuntimeRefusal(ir)
        #expect(report.predictions.allSatisfy { $0.verdict == .no }, "no EP sees a model ORT does not load")
        #expect(report.text().contains("runtime refuses: ONNX Runtime 1.32.0 refuses to load it"))
    }
}
