import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Quantization

/// The whole job on a small CNN, checked with onnx.checker, ONNX Runtime and numpy.
@Suite("Quantizer", .serialized)
struct QuantizerTests {
    @Test("BatchNormalization folded into the Conv computes the same function in ORT")
    func batchNormFolding() throws {
        let model = SmallNet.model()
        let (folded, report) = try Preprocessing.run(model)
        #expect(report.folded.map(\.node) == ["bn1"])
        #expect(!folded.graph.nodes.contains { $0.opType == "BatchNormalization" })
        let lib = try Reference.library()
        let a = try Session(modelBytes: model.serialized(), library: lib), b = try Session(modelBytes: folded.serialized(), library: lib)
        var rng = SeededRandom(seed: 5)
        let x = HostTensor(rng.normals(3 * 16 * 16, std: 1), shape: [1, 3, 16, 16])
        let ya = try a.run(["image": x])["logits"]!.values(as: Float.self), yb = try b.run(["image": x])["logits"]!.values(as: Float.self)
        let diff = zip(ya, yb).map { abs($0 - $1) }.max()!
        #expect(diff < 1e-4, "max |float − folded| = \(diff)")
    }

    @Test("Mul/Add by per-channel constants after a Conv (tf2onnx's BN) fold; a [C] constant on the last axis does not")
    func decomposedNormalization() throws {
        var b = GraphBuilder(opset: 17)
        let x = b.input("x", .float, [.value(1), .value(2), .value(4), .value(4)])
        let w = b.initializer("w", floats: [1, 2, 3, 4, 5, 6, 7, 8].map { Float($0) / 8 }, dims: [2, 1, 2, 2])
        let c = b.node("Conv", [x, w], name: "conv", attributes: [.int("group", 2)])[0]
        let m = b.node("Mul", [c, b.initializer("s", floats: [2, 3], dims: [2, 1, 1])], name: "mul")[0]
        let a = b.node("Sub", [m, b.initializer("d", floats: [0.5, -1], dims: [1, 2, 1, 1])], name: "sub")[0]
        let last = b.node("Mul", [a, b.initializer("col", floats: [1, 2, 3], dims: [3])], name: "percol")[0]
        b.output(last, .float, nil)
        let model = b.model()
        let (folded, report) = try Preprocessing.run(model)
        #expect(report.folded.map(\.node) == ["mul", "sub"])
        #expect(folded.graph.nodes.map(\.opType) == ["Conv", "Mul"])
        let lib = try Reference.library()
        let s1 = try Session(modelBytes: model.serialized(), library: lib), s2 = try Session(modelBytes: folded.serialized(), library: lib)
        let input = HostTensor((0..<32).map { Float($0) / 10 }, shape: [1, 2, 4, 4])
        let y1 = try s1.run(["x": input]).values.first!.values(as: Float.self), y2 = try s2.run(["x": input]).values.first!.values(as: Float.self)
        #expect(zip(y1, y2).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("constant sub-graphs in front of weights (Cast, Transpose, DequantizeLinear, Reshape) fold into initializers; same function in ORT")
    func constantFolding() throws {
        var b = GraphBuilder(opset: 17)
        let x = b.input("x", .float, [.value(2), .value(4)])
        // W stored transposed as float16 → Cast → Transpose; a second weight stored as int8 with a DQ, then reshaped.
        let wt = (0..<12).map { Float($0) / 10 - 0.5 }
        b.initializer(Tensor(name: "w16", dataType: .float16, dims: [3, 4], rawData: ByteSlice(wt.map(floatToHalf).withUnsafeBytes { Array($0) })))
        let cast = b.node("Cast", ["w16"], name: "cast", attributes: [.int("to", 1)])[0]
        let w = b.node("Transpose", [cast], name: "transpose", attributes: [.ints("perm", [1, 0])])[0]
        let y = b.node("MatMul", [x, w], name: "mm")[0]
        b.initializer(Tensor(name: "q", dataType: .int8, dims: [9], rawData: ByteSlice((0..<9).map { UInt8(bitPattern: Int8($0 * 10 - 40)) })))
        b.initializer("qs", floats: [0.02], dims: [])
        let dq = b.node("DequantizeLinear", ["q", "qs"], name: "dq")[0]
        let w2 = b.node("Reshape", [dq, b.initializer("shape", int64s: [3, 3])], name: "reshape")[0]
        let z = b.node("MatMul", [y, w2], name: "mm2", outputNames: ["z"])[0]
        b.output(z, .float, nil)
        let model = b.model()
        let (folded, report) = try Preprocessing.run(model)
        #expect(Set(report.constantsFolded) == ["cast", "transpose", "dq", "reshape"], "\(report.constantsFolded)")
        #expect(folded.graph.nodes.map(\.opType) == ["MatMul", "MatMul"])
        let lib = try Reference.library()
        let input = HostTensor((0..<8).map { Float($0) / 3 }, shape: [2, 4])
        let a = try Session(modelBytes: model.serialized(), library: lib).run(["x": input])["z"]!.values(as: Float.self)
        let c = try Session(modelBytes: folded.serialized(), library: lib).run(["x": input])["z"]!.values(as: Float.self)
        #expect(zip(a, c).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($0)) }, "\(a) vs \(c)")
        let analysis = GraphAnalysis(model: folded)
        #expect(try QuantizationPlan(analysis: analysis, request: PlanRequest()).decision(named: "mm")?.precision == .int8)
    }

    @Test("static QDQ: passes onnx.checker, runs in ORT as integer kernels, weights/bias/M as numpy computes them")
    func staticQDQ() throws {
        let dir = Reference.tempDir("static")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = SmallNet.model()
        try SmallNet.samples(in: dir + "/cal", count: 16, seed: 1)
        try SmallNet.samples(in: dir + "/eval", count: 8, seed: 2)
        var job = Quantizer.Job(model: model)
        job.calibration = [dir + "/cal"]
        job.evaluation = [dir + "/eval"]
        job.cachePath = dir + "/ranges.json"
        let lib = try Reference.library()
        let result = try Quantizer.run(job, library: lib)
        try result.model.write(to: dir + "/int8.onnx")
        try Preprocessing.run(model).0.write(to: dir + "/folded.onnx")

        // Every compute node int8; Relus folded; MaxPool/Flatten share scales.
        let plan = Dictionary(uniqueKeysWithValues: result.plan.decisions.map { ($0.name, $0) })
        for n in ["conv1", "conv2", "add", "gap", "fc", "relu1", "relu2", "pool", "flatten"] { #expect(plan[n]?.precision == .int8, "\(n): \(String(describing: plan[n]?.reason))") }
        #expect(plan["relu1"]?.reason == .foldedInto(node: "conv1"))
        let kernels = try #require(result.kernels)
        #expect(kernels.ranInt8Count == kernels.entries.count, "\(kernels.entries.filter { !$0.ranInt8 })")
        #expect(Set(kernels.entries.compactMap(\.built)) == ["QLinearConv", "QLinearAdd", "QLinearGlobalAveragePool", "QGemm"])
        let eval = try #require(result.evaluation)
        #expect(eval.sqnrDB > 25, "SQNR \(eval.sqnrDB)")

        // The reference tools read the written model.
        let conv2 = try #require(result.layers.first { $0.node == "conv2" })
        let checks = try Reference.json("""
            import json, sys, numpy as np, onnx, onnxruntime as ort
            from onnx import numpy_helper as nh
            q = onnx.load(sys.argv[1]); f = onnx.load(sys.argv[2])
            onnx.checker.check_model(q, full_check=True)
            init = {t.name: nh.to_array(t) for t in q.graph.initializer}
            finit = {t.name: nh.to_array(t) for t in f.graph.initializer}
            conv = next(n for n in f.graph.node if n.name == "conv2")
            W = finit[conv.input[1]].astype(np.float64); B = finit[conv.input[2]].astype(np.float64)
            qconv = next(n for n in q.graph.node if n.name == "conv2")
            wdq = next(n for n in q.graph.node if n.output[0] == qconv.input[1])
            bdq = next(n for n in q.graph.node if n.output[0] == qconv.input[2])
            xdq = next(n for n in q.graph.node if n.output[0] == qconv.input[0])
            sw = W.reshape(W.shape[0], -1).__abs__().max(axis=1) / 127
            wq = np.clip(np.round(W / sw[:, None, None, None]), -127, 127)
            sx = float(init[xdq.input[1]])
            bq = np.round(B / (sx * sw))
            yq = next(n for n in q.graph.node if n.op_type == "QuantizeLinear" and n.input[0].startswith(conv.output[0]) or False) if False else None
            s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
            y = s.run(None, {"image": np.zeros((1, 3, 16, 16), np.float32)})[0]
            print(json.dumps({
              "weight_scales_match": bool(np.allclose(init[wdq.input[1]], sw, rtol=1e-6)),
              "weights_match": bool((init[wdq.input[0]].astype(np.int64) == wq).all()),
              "weight_zero": bool((init[wdq.input[2]] == 0).all()),
              "bias_match": bool((init[bdq.input[0]].astype(np.int64) == bq).all()),
              "bias_scale_match": bool(np.allclose(init[bdq.input[1]], sx * sw, rtol=1e-6)),
              "sx": sx, "sw": sw.tolist(), "out_shape": list(y.shape)}))
            """, [dir + "/int8.onnx", dir + "/folded.onnx"]) as! [String: Any]
        for k in ["weight_scales_match", "weights_match", "weight_zero", "bias_match", "bias_scale_match"] { #expect(checks[k] as? Bool == true, "\(k): \(checks)") }
        #expect(checks["out_shape"] as? [Int] == [1, 10])
        let sw = checks["sw"] as! [Double], sx = checks["sx"] as! Double
        let sy = Double(try #require(conv2.output).parameters.scales[0])
        for (c, m) in conv2.multipliers.enumerated() { #expect(abs(m.multiplier - sx * sw[c] / sy) <= 1e-6 * m.multiplier) }

        // Another plan reuses the cached ranges; a percentile needs histograms, which the MinMax
        // run did not keep: it calibrates once, then every method and plan comes from the cache.
        job.evaluation = []
        job.request.exclude = ["conv2"]
        #expect(try Quantizer.run(job, library: lib).calibrationFromCache)
        job.method = .percentile(99.9)
        #expect(try !Quantizer.run(job, library: lib).calibrationFromCache)
        job.method = .entropy
        #expect(try Quantizer.run(job, library: lib).calibrationFromCache)
        job.method = .minMax
        #expect(try Quantizer.run(job, library: lib).calibrationFromCache)
    }

    @Test("excluded nodes stay float with no lone Q/DQ pair; --op-types limits compute ops")
    func planChoices() throws {
        let model = SmallNet.model()
        let analysis = GraphAnalysis(model: try Preprocessing.run(model).0)
        var request = PlanRequest()
        request.exclude = ["conv2"]
        let plan = try QuantizationPlan(analysis: analysis, request: request)
        #expect(plan.decision(named: "conv2")?.precision == .float)
        #expect(plan.decision(named: "conv2")?.reason == .user(.float))
        request = PlanRequest()
        request.opTypes = ["Conv"]
        let convOnly = try QuantizationPlan(analysis: analysis, request: request)
        #expect(convOnly.decision(named: "fc")?.reason == .opTypeNotSelected)
        #expect(convOnly.decision(named: "flatten")?.precision == .float, "Flatten between a float pool and a float Gemm stays float")
        request.opTypes = ["Erf"]
        #expect(throws: PlanError.self) { try QuantizationPlan(analysis: analysis, request: request) }
        request = PlanRequest()
        request.exclude = ["nope"]
        #expect(throws: PlanError.self) { try QuantizationPlan(analysis: analysis, request: request) }
    }

    @Test("dynamic mode on the BERT sample: MatMul weights int8, ORT builds DynamicQuantizeMatMul, outputs close")
    func dynamicBert() throws {
        let model = try Model.load(path: Reference.root + "/samples/bert-tiny.onnx")
        var job = Quantizer.Job(model: model)
        job.mode = .dynamic
        let result = try Quantizer.run(job, library: try Reference.library())
        let kernels = try #require(result.kernels)
        #expect(kernels.entries.count > 0)
        #expect(kernels.ranInt8Count == kernels.entries.count, "\(kernels.entries.filter { !$0.ranInt8 }.prefix(3))")
        #expect(Set(kernels.entries.compactMap(\.built)).isSubset(of: ["DynamicQuantizeMatMul", "MatMulIntegerToFloat"]))
        #expect(result.image.byteCount < model.serialized().count)
    }

    @Test("dynamic mode on MiniLM (a real export): embedding tables uint8 like ORT's quantize_dynamic; as small as ORT's, SQNR no worse than its per-channel run")
    func dynamicMiniLM() throws {
        let source = Reference.root + "/.models/all-MiniLM-L6-v2.onnx"
        let eval = Reference.root + "/.models/quant/minilm-l6-v2/eval"
        try #require(FileManager.default.fileExists(atPath: source) && FileManager.default.fileExists(atPath: eval), "make real-models quant-data first")
        let dir = Reference.tempDir("dynamic-minilm")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var job = Quantizer.Job(model: try Model.load(path: source))
        job.mode = .dynamic
        let result = try Quantizer.run(job, library: try Reference.library())
        #expect(result.plan.int8Nodes.filter { $0.opType == "Gather" }.count == 3, "word, position and token-type embeddings")
        try result.image.write(to: dir + "/ours.onnx")
        // ORT's quantizer on the same model, and the output SQNR of both on the same held-out sentences.
        let ref = try #require(try Reference.json("""
            import json, sys, glob, os, numpy as np, onnxruntime as ort
            from onnxruntime.quantization import quantize_dynamic, QuantType
            src, ours, ev, d = sys.argv[1:5]
            theirs = os.path.join(d, "ort.onnx")
            quantize_dynamic(src, theirs, weight_type=QuantType.QInt8, per_channel=True)
            files = sorted(glob.glob(ev + "/*.npz"))
            def run(p):
                s = ort.InferenceSession(p, providers=["CPUExecutionProvider"])
                return [s.run(None, {i.name: dict(np.load(f))[i.name] for i in s.get_inputs()})[1] for f in files]
            ref = run(src)
            def sqnr(p):
                q = run(p)
                sig = sum(float((r.astype(np.float64) ** 2).sum()) for r in ref)
                return 10 * np.log10(sig / sum(float(((r.astype(np.float64) - x) ** 2).sum()) for r, x in zip(ref, q)))
            print(json.dumps({"ours_db": sqnr(ours), "ort_db": sqnr(theirs), "ours_bytes": os.path.getsize(ours), "ort_bytes": os.path.getsize(theirs)}))
            """, [source, dir + "/ours.onnx", eval, dir]) as? [String: Double])
        let oursBytes = try #require(ref["ours_bytes"]), ortBytes = try #require(ref["ort_bytes"])
        #expect(oursBytes <= ortBytes * 1.02, "ours \(oursBytes) B vs ORT's \(ortBytes) B")
        let ours = try #require(ref["ours_db"]), ort = try #require(ref["ort_db"])
        #expect(ours >= ort - 0.2, "sentence_embedding SQNR: ours \(ours) dB, ORT's per-channel \(ort) dB")
    }

    @Test("the fallback search reaches an SQNR target by keeping the nodes tied to the one sensitive value float")
    func fallbackSearch() throws {
        let dir = Reference.tempDir("fallback")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SmallNet.samples(in: dir + "/cal", count: 8, seed: 1, spike: 4000)
        try SmallNet.samples(in: dir + "/eval", count: 8, seed: 2)
        var job = Quantizer.Job(model: SmallNet.sensitive())
        job.calibration = [dir + "/cal"]
        job.evaluation = [dir + "/eval"]
        job.cachePath = ""
        let lib = try Reference.library()
        let all = try Quantizer.run(job, library: lib)
        let baseline = try #require(all.evaluation).sqnrDB
        // The outlier widens the input and conv1's output; those two rank first.
        #expect(Set(all.layerErrors.prefix(2).map(\.tensor)) == ["image", "conv1_output_0"], "\(all.layerErrors.map(\.tensor))")
        // The target sits between the baseline and the model with the sensitive value's nodes
        // float, both measured here: the int8 error elsewhere depends on the CPU (ORT's u8s8
        // kernels accumulate exactly with VNNI, and can saturate 16-bit pair sums without it),
        // so a fixed dB figure made this test pass on one host and fail on another.
        var repairedJob = job
        repairedJob.request.exclude = ["conv1", "sigmoid"]
        let repaired = try #require(try Quantizer.run(repairedJob, library: lib).evaluation).sqnrDB
        #expect(repaired > baseline + 3, "the spike must hurt: \(baseline) dB, \(repaired) dB without it")
        let target = (baseline + repaired) / 2
        job.target = .sqnr(target)
        let searched = try Quantizer.run(job, library: lib)
        let f = try #require(searched.fallback)
        #expect(f.met)
        #expect(Set(f.floatNodes) == ["conv1", "sigmoid"], "\(f.floatNodes)")
        #expect(f.floatNodes.count <= 2, "\(f.floatNodes) \(f.trials) \(all.layerErrors)")
        #expect(try #require(searched.evaluation).sqnrDB >= target)
        #expect(f.trials.count <= 6, "\(f.trials.count) trials")
        #expect(searched.plan.int8Nodes.contains { $0.name == "fc" })
    }
}
