import OnnxGraph
import OnnxModel
import Testing
@testable import Partition

/// The catalogs read from EP sources (XNNPACK, QNN HTP, TensorRT), one rule at a time on
/// hand-built graphs: the condition the source states holds or fails on the node, with a
/// reason that names it. (No EP of these is on this machine: `partition --measure` cannot
/// check them; OpenVINO's catalog is measured in OpenVINOAgreementTests.)
@Suite("Catalogs from EP sources")
struct SourceCatalogTests {
    static func predict(_ model: Model, _ target: PartitionTarget, dims: [String: Int64] = [:]) -> [String: NodeSupport] {
        let analysis = GraphAnalysis(model: model, binding: try? DimensionBinding(model: model, user: dims))
        let p = TargetPrediction.predict(target, model: model, index: analysis.index, shapes: analysis.shapes,
                                         fixedShapes: analysis.boundShapes, bindings: analysis.binding.values)
        return Dictionary(p.nodes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// x[batch,3,8,8] → Conv (weights constant, or computed by a Relu) → Relu.
    static func conv(batch: Dimension = .value(1), computedWeights: Bool = false) -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [batch, .value(3), .value(8), .value(8)])
        var w = g.initializer("w", floats: Array(repeating: 0.1, count: 4 * 3 * 9), dims: [4, 3, 3, 3])
        if computedWeights { w = g.op("Relu", [w], name: "computed_w") }
        let c = g.op("Conv", [x, w], name: "conv")
        let r = g.op("Relu", [c], name: "relu")
        g.output(r, .float, nil)
        return g.model()
    }

    @Test("XNNPACK takes a 4-D float Conv with constant weights, not one whose weights are computed; Relu fuses into it")
    func xnnpackConv() {
        let ok = Self.predict(Self.conv(), .xnnpack)
        #expect(ok["conv"]?.supported == true, "\(ok["conv"]?.blockers ?? [])")
        #expect(ok["relu"]?.supported == true, "Relu is taken fused into the Conv: \(ok["relu"]?.blockers ?? [])")
        let computed = Self.predict(Self.conv(computedWeights: true), .xnnpack)
        #expect(computed["conv"]?.supported == false)
        #expect(computed["conv"]?.blockers.first?.description.contains("constant") == true, "\(computed["conv"]?.blockers ?? [])")
    }

    @Test("XNNPACK MatMul needs every dim known and B constant")
    func xnnpackMatMul() {
        func model(_ m: Dimension) -> Model {
            var g = GraphBuilder(opset: 17)
            let a = g.input("a", .float, [m, .value(4)])
            let b = g.initializer("b", floats: Array(repeating: 1, count: 8), dims: [4, 2])
            g.output(g.op("MatMul", [a, b], name: "mm"), .float, nil)
            return g.model()
        }
        #expect(Self.predict(model(.value(3)), .xnnpack)["mm"]?.supported == true)
        #expect(Self.predict(model(.param("rows")), .xnnpack)["mm"]?.supported == false, "a symbolic dim is refused")
    }

    @Test("QNN HTP needs fixed shapes (binding the dim lifts it) and takes nothing inside an If body")
    func qnnShapesAndBodies() {
        let dynamic = Self.predict(Self.conv(batch: .param("N")), .qnn)
        #expect(dynamic["conv"]?.supported == false)
        #expect(dynamic["conv"]?.blockers.contains { $0.kind == "dynamic shape" } == true, "\(dynamic["conv"]?.blockers ?? [])")
        #expect(Self.predict(Self.conv(batch: .param("N")), .qnn, dims: ["N": 1])["conv"]?.blockers.contains { $0.kind == "dynamic shape" } == false)
        #expect(CapabilityCatalog.qnnHTP.subgraphLimitation != nil)
    }

    /// cond → If with a then branch of rank `thenRank` and an else branch of rank 2.
    static func ifModel(thenRank: Int) -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(1), .value(8)])
        let cond = g.input("cond", .bool, [])
        _ = g.initializer("axes", int64s: [0], dims: [1])
        var thenGraph = Graph(name: "then")
        var elseGraph = Graph(name: "else")
        let thenOut = thenRank == 2 ? "t" : "tu"
        thenGraph.nodes = thenRank == 2 ? [Node(opType: "Relu", name: "then_relu", inputs: [x], outputs: ["t"])]
            : [Node(opType: "Unsqueeze", name: "then_unsqueeze", inputs: [x, "axes"], outputs: ["tu"])]
        thenGraph.outputs = [ValueInfo(name: thenOut, type: ValueType(.tensor(.float, Shape(thenRank == 2 ? [.value(1), .value(8)] : [.value(1), .value(1), .value(8)]))))]
        elseGraph.nodes = [Node(opType: "Neg", name: "else_neg", inputs: [x], outputs: ["e"])]
        elseGraph.outputs = [ValueInfo(name: "e", type: ValueType(.tensor(.float, Shape([.value(1), .value(8)]))))]
        let y = g.op("If", [cond], name: "if", .graph("then_branch", thenGraph), .graph("else_branch", elseGraph))
        g.output(y, .float, nil)
        return g.model()
    }

    @Test("TensorRT refuses an If whose branches give different ranks, takes one whose branches agree, with its bodies in its partition")
    func tensorRTIf() {
        let differ = Self.predict(Self.ifModel(thenRank: 3), .tensorrt)
        #expect(differ["if"]?.supported == false)
        #expect(differ["if"]?.blockers.first?.description.contains("rank 3 from then_branch and 2 from else_branch") == true, "\(differ["if"]?.blockers ?? [])")
        let agree = Self.predict(Self.ifModel(thenRank: 2), .tensorrt)
        #expect(agree["if"]?.supported == true, "\(agree["if"]?.blockers ?? [])")
    }

    @Test("TensorRT takes an If only with its whole bodies: an unsupported body node holds the If back")
    func tensorRTWholeBodies() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(2), .value(2)])
        let cond = g.input("cond", .bool, [])
        var thenGraph = Graph(name: "then"), elseGraph = Graph(name: "else")
        thenGraph.nodes = [Node(opType: "Det", name: "then_det", inputs: [x], outputs: ["t"])]
        thenGraph.outputs = [ValueInfo(name: "t", type: ValueType(.tensor(.float, Shape([]))))]
        elseGraph.nodes = [Node(opType: "ReduceSum", name: "else_sum", inputs: [x], outputs: ["e"], attributes: [.int("keepdims", 0)])]
        elseGraph.outputs = [ValueInfo(name: "e", type: ValueType(.tensor(.float, Shape([]))))]
        let y = g.op("If", [cond], name: "if", .graph("then_branch", thenGraph), .graph("else_branch", elseGraph))
        g.output(y, .float, nil)
        let p = Self.predict(g.model(), .tensorrt)
        #expect(p["then_det"]?.supported == false, "Det is not in onnx-tensorrt's list")
        #expect(p["if"]?.blockers.first?.kind == "partition rule", "\(p["if"]?.blockers ?? [])")
    }

    @Test("QNN leaves a partition of one lone QuantizeLinear to the CPU EP")
    func qnnLoneQuantize() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(1), .value(4)])
        let scale = g.initializer("s", floats: [0.1], dims: [])
        g.importDomain("com.acme", version: 1)
        let before = g.op("Hardmax", [x], name: "hardmax")
        let q = g.op("QuantizeLinear", [before, scale], name: "q")
        g.output(g.op("Foo", [q], name: "foo", domain: "com.acme"), .float, nil)
        let p = Self.predict(g.model(), .qnn)
        #expect(p["foo"]?.supported == false)
        #expect(p["q"]?.blockers.map(\.kind) == ["partition rule"], "\(p["q"]?.blockers.map(\.description) ?? [])")
        #expect(p["q"]?.blockers.first?.description.contains("one QuantizeLinear alone") == true)
    }

    @Test("XNNPACK Resize reads its constant scales: the channel must not be scaled")
    func xnnpackResizeScales() {
        func model(_ scales: [Float]) -> Model {
            var g = GraphBuilder(opset: 17)
            let x = g.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
            let s = g.initializer("scales", floats: scales, dims: [4])
            g.output(g.op("Resize", [x, "", s], name: "resize", .string("mode", "linear")), .float, nil)
            return g.model()
        }
        #expect(Self.predict(model([1, 1, 2, 2]), .xnnpack)["resize"]?.supported == true, "\(Self.predict(model([1, 1, 2, 2]), .xnnpack)["resize"]?.blockers ?? [])")
        let scaled = Self.predict(model([1, 2, 2, 2]), .xnnpack)["resize"]
        #expect(scaled?.blockers.first?.description.contains("the channel scale is 2") == true, "\(scaled?.blockers ?? [])")
    }
}
