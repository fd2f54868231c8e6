import Foundation
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Quantization

/// Models quantized by another tool (ORT's own quantize_static, QDQ): read back, dequantized.
@Suite("Already-quantized models", .serialized)
struct QDQModelTests {
    /// SmallNet quantized by ORT's Python quantizer (QDQ, per channel, uint8 activations).
    func ortQuantized(_ dir: String) throws -> (float: String, qdq: String) {
        try SmallNet.model().write(to: dir + "/float.onnx")
        _ = try Reference.python("""
            import sys, numpy as np
            from onnxruntime.quantization import quantize_static, QuantFormat, QuantType, CalibrationDataReader
            class R(CalibrationDataReader):
                def __init__(self):
                    rng = np.random.default_rng(0); self.it = iter([{"image": rng.standard_normal((1, 3, 16, 16)).astype(np.float32)} for _ in range(8)])
                def get_next(self): return next(self.it, None)
            quantize_static(sys.argv[1], sys.argv[2], R(), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
            """, [dir + "/float.onnx", dir + "/qdq.onnx"])
        return (dir + "/float.onnx", dir + "/qdq.onnx")
    }

    @Test("S and Z of an ORT-quantized model read back as ORT wrote them, with M = S_x·S_w/S_y")
    func readLayers() throws {
        let dir = Reference.tempDir("qdq")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, qdq) = try ortQuantized(dir)
        let layers = try QDQModel.layers(of: try Model.load(path: qdq))
        let conv2 = try #require(layers.first { $0.node == "conv2" })
        let ref = try Reference.json("""
            import json, sys, onnx
            from onnx import numpy_helper as nh
            m = onnx.load(sys.argv[1]); init = {t.name: nh.to_array(t) for t in m.graph.initializer}
            prod = {o: n for n in m.graph.node for o in n.output}
            conv = next(n for n in m.graph.node if n.name == "conv2")
            x, w = prod[conv.input[0]], prod[conv.input[1]]
            q = next(n for n in m.graph.node if n.op_type == "QuantizeLinear" and n.input[0] == conv.output[0])
            print(json.dumps({"sx": float(init[x.input[1]]), "zx": int(init[x.input[2]]), "sw": init[w.input[1]].tolist(),
                              "sy": float(init[q.input[1]]), "zy": int(init[q.input[2]])}))
            """, [qdq]) as! [String: Any]
        #expect(conv2.input!.parameters.scales[0] == Float(ref["sx"] as! Double))
        #expect(Int(conv2.input!.parameters.zeroPoints[0]) == ref["zx"] as! Int)
        #expect(conv2.weight!.parameters.scales == (ref["sw"] as! [Double]).map { Float($0) })
        #expect(conv2.output!.parameters.scales[0] == Float(ref["sy"] as! Double))
        let m = conv2.multipliers[0].multiplier
        let expected = (ref["sx"] as! Double) * (ref["sw"] as! [Double])[0] / (ref["sy"] as! Double)
        #expect(abs(m - expected) <= 1e-6 * expected)
    }

    @Test("--dequantize one node: it runs float, layers away from it keep their integer kernels; all: no Q/DQ left, ReLUs restored, close to float")
    func dequantize() throws {
        let dir = Reference.tempDir("deq")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (float, qdq) = try ortQuantized(dir)
        let model = try Model.load(path: qdq)
        let lib = try Reference.library()
        let one = try QDQModel.dequantize(model, nodes: ["conv2"])
        let layersLeft = try QDQModel.layers(of: one).map(\.node)
        #expect(!layersLeft.contains("conv2") && layersLeft.contains("conv1") && layersLeft.contains("fc"), "\(layersLeft)")
        let kernels = try IntegerKernelCheck.run(model: .bytes(one.serialized()), layers: try QDQModel.layers(of: one),
                                                 settings: QuantizationSettings(), library: lib, configuration: .init())
        // Layers away from conv2 keep their kernels. (ORT leaves the Add right after it float:
        // the kernel check reports that, which is what the user needs to see.)
        let ran = Set(kernels.entries.filter(\.ranInt8).map(\.node))
        #expect(ran.isSuperset(of: ["conv1", "gap", "fc"]), "\(kernels.entries)")

        let all = try QDQModel.dequantize(model, nodes: [])
        #expect(!all.graph.nodes.contains { $0.opType == "QuantizeLinear" || $0.opType == "DequantizeLinear" })
        // ORT's quantizer removed both Relus into zero points; dequantizing puts them back.
        #expect(all.graph.nodes.filter { $0.opType == "Relu" }.count == 2, "\(all.graph.nodes.map(\.opType))")
        let f = try Session(modelPath: float, library: lib), d = try Session(modelBytes: all.serialized(), library: lib)
        var rng = SeededRandom(seed: 11)
        let x = HostTensor(rng.normals(3 * 16 * 16, std: 1), shape: [1, 3, 16, 16])
        let a = try f.run(["image": x])["logits"]!.values(as: Float.self), b = try d.run(["image": x])["logits"]!.values(as: Float.self)
        let signal = a.map { Double($0 * $0) }.reduce(0, +), noise = zip(a, b).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +)
        #expect(10 * log10(signal / max(noise, 1e-30)) > 25, "weights dequantized from int8 stay close to float")
        #expect(throws: QuantizationError.self) { try QDQModel.dequantize(model, nodes: ["nope"]) }
    }
}
