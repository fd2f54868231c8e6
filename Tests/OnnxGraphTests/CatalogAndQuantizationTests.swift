import Testing
import OnnxModel
@testable import OnnxGraph

private func int8s(_ b: inout GraphBuilder, _ name: String, _ values: [Int8], dims: [Int64]) -> String {
    let raw = values.map { UInt8(bitPattern: $0) }
    b.initializer(Tensor(name: name, dataType: .int8, dims: dims, rawData: ByteSlice(raw)))
    return name
}

@Suite("Op catalog and quantization summary")
struct CatalogAndQuantizationTests {
    @Test("categories and weight inputs")
    func catalog() {
        #expect(OpCatalog.info("Conv").category == .convolution)
        #expect(OpCatalog.info("Conv").weightInputs == [1, 2])
        #expect(OpCatalog.info("Gemm").category == .matmul)
        #expect(OpCatalog.info("QLinearConv").weightInputs == [3, 8])
        #expect(OpCatalog.info("BatchNormalization").role(ofInput: 3) == .runningStatistic)
        #expect(OpCatalog.info("BatchNormalization").weightInputs == [1, 2])
        #expect(OpCatalog.info("Relu").category == .activation)
        #expect(OpCatalog.info("Add").category == .elementwise)
        #expect(OpCatalog.info("Reshape").category == .shape)
        #expect(OpCatalog.info("Reshape").role(ofInput: 1) == .control)
        #expect(OpCatalog.info("DequantizeLinear").category == .quantization)
        #expect(OpCatalog.info("If").category == .controlFlow)
        #expect(OpCatalog.info("ReduceMean").category == .reduction)
        #expect(OpCatalog.info("GlobalAveragePool").category == .pooling)
        #expect(OpCatalog.info("LayerNormalization").category == .normalization)
        #expect(OpCatalog.info("SomethingNew").category == .other)
        #expect(OpCatalog.isQuantizationOp("QLinearMatMul") && OpCatalog.isQuantizationOp("ConvInteger"))
        #expect(!OpCatalog.isQuantizationOp("Conv"))
    }

    @Test("QDQ model: pairs, quantized weights, per-channel vs per-tensor; shapes and types through Q/DQ")
    func qdq() throws {
        var b = GraphBuilder(opset: 13)
        let x = b.input("x", .float, [.param("batch"), .value(3), .value(8), .value(8)])
        let s = b.initializer("s", floats: [0.02], dims: [])
        let zp = int8s(&b, "zp", [0], dims: [])
        let q = b.op("QuantizeLinear", [x, s, zp])
        let dq = b.op("DequantizeLinear", [q, s, zp])
        let wq = int8s(&b, "wq", Array(repeating: 1, count: 4 * 3 * 9), dims: [4, 3, 3, 3])
        let ws = b.initializer("ws", floats: [0.1, 0.2, 0.3, 0.4], dims: [4])
        let wzp = int8s(&b, "wzp", [0, 0, 0, 0], dims: [4])
        let w = b.op("DequantizeLinear", [wq, ws, wzp], .int("axis", 0))
        let y = b.op("Conv", [dq, w], .ints("kernel_shape", [3, 3]))
        let a = GraphAnalysis(model: b.model())
        let qs = a.quantization
        #expect(qs.format == .qdq)
        #expect(qs.quantizeNodes == 1 && qs.dequantizeNodes == 2)
        #expect(qs.qdqPairs == 1)
        #expect(qs.weightDequantizers == 1)
        #expect(qs.perChannelNodes == 1 && qs.perTensorNodes == 2)
        #expect(qs.quantizedTypes == ["int8": 2])
        #expect(qs.summary.hasPrefix("QDQ: 1 Q/DQ pairs"))
        #expect(a.shapes.facts(q)?.elementType == .int8)
        #expect(a.shapes.facts(dq)?.elementType == .float)
        #expect(a.shapes.facts(y)?.dims == [.param("batch"), .value(4), .value(6), .value(6)])
        // Weights stored as int8 count as parameters at one byte each.
        let wNode = try #require(a.index.main.producerNode(of: w))
        #expect(a.metrics.nodes[0][wNode].parameters == 108 + 4 + 4)
        #expect(a.metrics.nodes[0][wNode].parameterBytes == 108 + 16 + 4)
    }

    @Test("dynamic quantization and QOperator models")
    func dynamicAndQLinear() {
        var b = GraphBuilder()
        let x = b.input("x", .float, [.param("batch"), .value(16)])
        let dq = b.node("DynamicQuantizeLinear", [x], outputs: 3)
        let w = int8s(&b, "w", Array(repeating: 1, count: 16 * 4), dims: [16, 4])
        let mm = b.op("MatMulInteger", [dq[0], w, dq[2]])
        let a = GraphAnalysis(model: b.model())
        #expect(a.quantization.format == .dynamic)
        #expect(a.quantization.dynamicQuantizeNodes == 1 && a.quantization.integerOps == ["MatMulInteger": 1])
        #expect(a.shapes.facts(dq[1])?.dims == [] && a.shapes.facts(dq[0])?.elementType == .uint8)
        #expect(a.shapes.facts(mm)?.dims == [.param("batch"), .value(4)] && a.shapes.facts(mm)?.elementType == .int32)
        let mmNode = a.index.main.producerNode(of: mm)!
        #expect(a.metrics.nodes[0][mmNode].macs == 16 * 4)

        var c = GraphBuilder()
        let xi = c.input("xi", .uint8, [.value(1), .value(16)])
        let sc = c.initializer("sc", floats: [0.1], dims: [])
        c.initializer(Tensor(name: "zpu", dataType: .uint8, dims: [], rawData: ByteSlice([128])))
        let wi = int8s(&c, "wi", Array(repeating: 1, count: 16 * 8), dims: [16, 8])
        let wsc = c.initializer("wsc", floats: Array(repeating: 0.1, count: 8), dims: [8])
        let wz = int8s(&c, "wz", Array(repeating: 0, count: 8), dims: [8])
        let y = c.op("QLinearMatMul", [xi, sc, "zpu", wi, wsc, wz, sc, "zpu"])
        let q = GraphAnalysis(model: c.model())
        #expect(q.quantization.format == .qoperator)
        #expect(q.quantization.qlinearOps == ["QLinearMatMul": 1])
        #expect(q.quantization.perChannelNodes == 1)
        #expect(q.shapes.facts(y)?.dims == [.value(1), .value(8)] && q.shapes.facts(y)?.elementType == .uint8)
    }
}
