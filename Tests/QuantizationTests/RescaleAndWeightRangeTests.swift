import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Quantization

/// Two things the CPU EP's integer kernels need to be fast and right: constant rescales folded
/// into scales (no Div between int8 values), and 7-bit weights where u8s8 sums overflow.
@Suite("Rescale folding and 7-bit weights")
struct RescaleAndWeightRangeTests {
    /// image → conv1 → hard-swish written out (x · Clip(x + 3, 0, 6) / 6, as MobileNetV3 and
    /// PP-OCR exports have it) → conv2 → logits.
    static func hardSwishNet() -> Model {
        var rng = SeededRandom(seed: 11)
        var b = GraphBuilder(name: "hswish", opset: 17)
        let x = b.input("image", .float, [.value(1), .value(3), .value(16), .value(16)])
        let w1 = b.initializer("w1", floats: rng.normals(8 * 27, std: 0.4), dims: [8, 3, 3, 3])
        let c1 = b.node("Conv", [x, w1], name: "conv1", attributes: [.ints("pads", [1, 1, 1, 1])])[0]
        let three = b.initializer("three", floats: [3], dims: [])
        let a = b.node("Add", [c1, three], name: "add3")[0]
        let lo = b.initializer("zero", floats: [0], dims: []), hi = b.initializer("six", floats: [6], dims: [])
        let clip = b.node("Clip", [a, lo, hi], name: "relu6")[0]
        let div = b.node("Div", [clip, hi], name: "div6")[0]
        let hs = b.node("Mul", [c1, div], name: "hswish")[0]
        let w2 = b.initializer("w2", floats: rng.normals(4 * 72, std: 0.3), dims: [4, 8, 3, 3])
        let y = b.node("Conv", [hs, w2], name: "conv2", outputNames: ["logits"], attributes: [.ints("pads", [1, 1, 1, 1])])[0]
        b.output(y, .float, [.value(1), .value(4), .value(16), .value(16)])
        return b.model()
    }

    @Test("Div by 6 between int8 values becomes a DequantizeLinear scale: no Div and no unread Q/DQ left, the hard-swish Mul fuses, and the output stays close to float in ORT")
    func hardSwish() throws {
        let dir = Reference.tempDir("hswish")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SmallNet.samples(in: dir + "/cal", count: 16, seed: 1)
        try SmallNet.samples(in: dir + "/eval", count: 8, seed: 2)
        var job = Quantizer.Job(model: Self.hardSwishNet())
        // As the command line does: 7 bits where u8s8 pair sums overflow on this CPU.
        if Quantizer.pairSumsOverflow(activations: job.settings.activations, weights: job.settings.weights).0 { job.settings.weightBits = .sevenWhereOffset }
        job.calibration = [dir + "/cal"]
        job.evaluation = [dir + "/eval"]
        job.cachePath = ""
        let result = try Quantizer.run(job, library: try Reference.library())
        let plan = Dictionary(uniqueKeysWithValues: result.plan.decisions.map { ($0.name, $0) })
        #expect(plan["div6"]?.precision == .int8 && plan["div6"]?.reason == .scaleFolded(factor: 1.0 / 6), "\(String(describing: plan["div6"]))")
        #expect(plan["hswish"]?.precision == .int8, "the gate is computed from conv1's output itself: \(String(describing: plan["hswish"]?.reason))")
        let graph = result.model.graph
        #expect(!graph.nodes.contains { $0.opType == "Div" })
        let read = Set(graph.nodes.flatMap(\.inputs)).union(graph.outputs.map(\.name))
        #expect(graph.nodes.filter { ["QuantizeLinear", "DequantizeLinear"].contains($0.opType) && !read.contains($0.outputs[0]) }.isEmpty)
        // The rescale's DequantizeLinear reads the Clip's integers with S/6 and the same Z.
        let clipParams = try #require(result.layers.first { $0.node == "add3" }?.output?.parameters)
        let divOutput = Self.hardSwishNet().graph.nodes.first { $0.name == "div6" }!.outputs[0]
        let rescale = try #require(graph.nodes.first { $0.opType == "DequantizeLinear" && $0.outputs == [divOutput] })
        let scale = try #require(graph.initializers.first { $0.name == rescale.inputs[1] })
        #expect(abs(Double(try Model.tensorValues(scale)[0]) - Double(clipParams.scales[0]) / 6) < 1e-9)
        let kernels = try #require(result.kernels)
        #expect(kernels.entries.first { $0.node == "hswish" }?.built == "QLinearMul", "\(kernels.entries)")
        #expect(kernels.ranInt8Count == kernels.entries.count, "\(kernels.entries.filter { !$0.ranInt8 })")
        let sqnr = try #require(result.evaluation?.outputs.first?.sqnrDB)
        #expect(sqnr > 25, "SQNR \(sqnr)")
    }

    @Test("a constant factor stays a Mul/Div when only float nodes read its result (a Gemm's logits / T), or when its rank would grow x's shape")
    func rescaleOnlyInsideInt8Chains() throws {
        var rng = SeededRandom(seed: 3)
        var b = GraphBuilder(name: "logits", opset: 17)
        let x = b.input("x", .float, [.value(1), .value(8)])
        let w = b.initializer("w", floats: rng.normals(32, std: 0.5), dims: [4, 8])
        let g = b.node("Gemm", [x, w], name: "fc", attributes: [.int("transB", 1)])[0]
        let t = b.initializer("T", floats: [2], dims: [])
        b.output(b.node("Div", [g, t], name: "temperature", outputNames: ["logits"])[0], .float, nil)
        let big = b.initializer("c3", floats: [0.5], dims: [1, 1, 1])
        b.output(b.node("Mul", [x, big], name: "grows", outputNames: ["grown"])[0], .float, nil)
        let model = b.model()
        let analysis = GraphAnalysis(model: model)
        let plan = try QuantizationPlan(analysis: analysis, request: PlanRequest())
        #expect(plan.decision(named: "fc")?.precision == .int8)
        #expect(plan.decision(named: "temperature")?.precision == .float, "\(String(describing: plan.decision(named: "temperature")?.reason))")
        if case .rescale = try #require(plan.decision(named: "grows")).role { Issue.record("a [1,1,1] factor would make x's [1,8] a [1,1,8]") }
        let ranges = Dictionary(uniqueKeysWithValues: ["x", "logits", "grown", g].map { ($0, ValueRange(min: -4, max: 4)) })
        let out = try QDQWriter(model: model, analysis: analysis, plan: plan, ranges: ranges, settings: QuantizationSettings()).write()
        #expect(out.model.graph.nodes.contains { $0.opType == "Div" })
        #expect(out.activations[g] == nil, "the Gemm writes its float result (QGemm), not 8 bits")
    }

    @Test("a rescale stays folded when its result reaches int8 compute through data movement or another rescale (a decoder's q · scaling → Reshape → MatMul)")
    func rescaleThroughDataMovement() throws {
        var rng = SeededRandom(seed: 5)
        var b = GraphBuilder(name: "chain", opset: 17)
        let x = b.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
        let w1 = b.initializer("w1", floats: rng.normals(8 * 3, std: 0.5), dims: [8, 3, 1, 1])
        let c1 = b.node("Conv", [x, w1], name: "conv1")[0]
        let k = b.initializer("k", floats: [0.125], dims: [])
        let m = b.node("Mul", [c1, k], name: "scale")[0]
        let k2 = b.initializer("k2", floats: [2], dims: [])
        let d = b.node("Div", [m, k2], name: "scale2")[0]
        let shape = b.initializer("shape", int64s: [1, 8, 8, 8])
        let r = b.node("Reshape", [d, shape], name: "reshape")[0]
        let w2 = b.initializer("w2", floats: rng.normals(4 * 8, std: 0.5), dims: [4, 8, 1, 1])
        b.output(b.node("Conv", [r, w2], name: "conv2", outputNames: ["y"])[0], .float, nil)
        let plan = try QuantizationPlan(analysis: GraphAnalysis(model: b.model()), request: PlanRequest())
        for n in ["conv1", "scale", "scale2", "reshape", "conv2"] {
            #expect(plan.decision(named: n)?.precision == .int8, "\(n): \(String(describing: plan.decision(named: n)?.reason))")
        }
        #expect(plan.decision(named: "scale2")?.reason == .scaleFolded(factor: 0.5))
    }

    @Test("7-bit weights are chosen exactly on x86 without VNNI, and hold |q| ≤ 64")
    func automaticRange() throws {
        #if arch(x86_64)
        #expect(Quantizer.pairSumsOverflow(activations: .uint8, weights: .int8, cpuFlags: ["avx2"]).0)
        #expect(!Quantizer.pairSumsOverflow(activations: .uint8, weights: .int8, cpuFlags: ["avx2", "avx512_vnni"]).0)
        #expect(!Quantizer.pairSumsOverflow(activations: .uint8, weights: .int8, cpuFlags: ["avx_vnni"]).0)
        #expect(!Quantizer.pairSumsOverflow(activations: .int8, weights: .int8, cpuFlags: ["avx2"]).0)
        #endif
        let (s, z) = QuantizationParameters.scaleAndZeroPoint(min: -3.2, max: 1, type: .int8, symmetric: true, reduced: true)
        #expect(z == 0 && abs(Double(s) - 3.2 / 64) < 1e-7, "±3.2 over [-64, 64]: \(s)")
        let q = QuantizationParameters(type: .int8, scales: [s], zeroPoints: [0])
        #expect(q.quantize(-3.2, symmetric: true, reduced: true) == -64 && q.quantize(100, symmetric: true, reduced: true) == 64)
    }

    @Test("ORT's u8s8 QLinearConv against exact integer arithmetic: right with 7-bit weights on every CPU; with 8-bit weights wrong exactly where this CPU has no VNNI")
    func overflowIsReal() throws {
        let out = try Reference.json("""
            import json, numpy as np, onnx, onnxruntime as ort
            from onnx import helper as h, TensorProto as T, numpy_helper as nh
            def run(wmax):
                x = np.full((1, 64, 1, 1), 255, np.uint8)
                w = np.full((1, 64, 1, 1), wmax, np.int8)
                inits = [nh.from_array(w, "w"), nh.from_array(np.array(1.0, np.float32), "xs"), nh.from_array(np.array(0, np.uint8), "xz"),
                         nh.from_array(np.array([1.0], np.float32), "ws"), nh.from_array(np.array([0], np.int8), "wz"),
                         nh.from_array(np.array(16384.0, np.float32), "ys"), nh.from_array(np.array(0, np.uint8), "yz")]
                g = h.make_graph([h.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"])], "g",
                                 [h.make_tensor_value_info("x", T.UINT8, [1, 64, 1, 1])], [h.make_tensor_value_info("y", T.UINT8, None)], inits)
                m = h.make_model(g, opset_imports=[h.make_opsetid("", 13)])
                s = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
                got = int(s.run(None, {"x": x})[0].ravel()[0])
                exact = int(min(255, np.round(64 * 255 * wmax / 16384)))
                return got, exact
            flags = open("/proc/cpuinfo").read()
            print(json.dumps({"w64": run(64), "w127": run(127), "vnni": ("avx512_vnni" in flags) or ("avx_vnni" in flags)}))
            """) as! [String: Any]
        let w64 = out["w64"] as! [Int], w127 = out["w127"] as! [Int], vnni = out["vnni"] as! Bool
        #expect(w64[0] == w64[1], "7-bit weights: ORT \(w64[0]), exact \(w64[1])")
        #if arch(x86_64)
        #expect((w127[0] == w127[1]) == vnni, "8-bit weights: ORT \(w127[0]), exact \(w127[1]); VNNI \(vnni)")
        #endif
    }

    @Test("with eval samples the weight bits are measured: the three variants are compared in ORT and the best output SQNR is the model written; 7 bits apply where the input's zero point is ≥ 64")
    func measuredWeightBits() throws {
        let dir = Reference.tempDir("weight-bits")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SmallNet.samples(in: dir + "/cal", count: 16, seed: 1)
        try SmallNet.samples(in: dir + "/eval", count: 8, seed: 2)
        var job = Quantizer.Job(model: SmallNet.model())
        job.calibration = [dir + "/cal"]
        job.evaluation = [dir + "/eval"]
        job.cachePath = ""
        job.layerErrors = false
        job.settings.weightBits = .sevenWhereOffset
        job.measureWeightBits = true
        let result = try Quantizer.run(job, library: try Reference.library())
        let measured = result.weightBitsMeasured
        #expect(measured.map(\.bits) == WeightBits.allCases)
        // The first of the best (fewer 7-bit layers on a tie) is the model written, and the note says so.
        let best = try #require(measured.first { m in measured.allSatisfy { $0.sqnrDB <= m.sqnrDB } })
        let note = try #require(result.notes.first { $0.contains("the best output SQNR on --eval") })
        #expect(note.hasPrefix(best.bits.description), "\(note)")
        let written = try #require(result.evaluation?.outputs.first?.sqnrDB)
        #expect(abs(written - best.sqnrDB) < 1e-9, "written \(written) vs measured \(best.sqnrDB)")
        // Each layer with a weight says its bits, as the choice made says they are.
        for l in result.layers where l.weight != nil && ["Conv", "Gemm", "MatMul"].contains(l.opType) {
            let seven: Bool
            switch best.bits {
            case .eight: seven = false
            case .seven: seven = true
            case .sevenWhereOffset: seven = QDQWriter.inputHasOffset(l.input?.parameters)
            }
            #expect(l.weightBits == (seven ? 7 : 8), "\(l.node): \(String(describing: l.weightBits)) under \(best.bits)")
            // The stored codes keep to the range: ±64 for 7 bits.
            let conv = try #require(result.model.graph.nodes.first { $0.name == l.node })
            let dq = try #require(result.model.graph.nodes.first { $0.opType == "DequantizeLinear" && $0.outputs[0] == conv.inputs[1] })
            let codes = try Model.tensorValues(try #require(result.model.graph.initializers.first { $0.name == dq.inputs[0] }))
            #expect((codes.map(abs).max() ?? 0) <= (seven ? 64 : 127) && (codes.map(abs).max() ?? 0) > (seven ? 32 : 64), "\(l.node)")
        }
        // The per-layer rule, on the writer's own parameters.
        #expect(QDQWriter.inputHasOffset(QuantizationParameters(type: .uint8, scales: [1], zeroPoints: [64])))
        #expect(!QDQWriter.inputHasOffset(QuantizationParameters(type: .uint8, scales: [1], zeroPoints: [63])))
        #expect(!QDQWriter.inputHasOffset(QuantizationParameters(type: .int8, scales: [1], zeroPoints: [100])))
    }
}
