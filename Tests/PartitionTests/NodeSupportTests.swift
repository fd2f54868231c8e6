import OnnxGraph
import ModelSamples
import OnnxModel
import Testing
@testable import Partition

/// Per-node decisions: the catalog's conditions checked on the node, fixed shapes, sub-graphs,
/// and the usability checker's view reproduced beside them.
@Suite("Node support")
struct NodeSupportTests {
    /// Decisions for every node of the main graph, by node name.
    static func decide(_ model: Model, _ target: PartitionTarget, user: [String: Int64] = [:]) -> [String: NodeSupport] {
        let analysis = GraphAnalysis(model: model, binding: try? DimensionBinding(model: model, user: user))
        let checker = NodeSupportChecker(catalog: target.catalog, index: analysis.index, shapes: analysis.shapes, requireFixedShapes: true)
        var out: [String: NodeSupport] = [:]
        for n in 0..<analysis.index.scopes[0].nodeCount {
            let s = checker.support(scope: 0, node: n)
            out[s.name] = s
        }
        return out
    }

    static func conv(batch: Dimension, kernelRank: Int = 4, weightsComputed: Bool = false) -> Model {
        var g = GraphBuilder(opset: 17)
        let spatial: [Dimension] = kernelRank == 4 ? [.value(8), .value(8)] : [.value(8)]
        let x = g.input("x", .float, [batch, .value(3)] + spatial)
        let kernel: [Int64] = kernelRank == 4 ? [4, 3, 3, 3] : [4, 3, 3]
        var w = g.initializer("w", floats: Array(repeating: 0.1, count: Int(kernel.reduce(1, *))), dims: kernel)
        if weightsComputed { w = g.op("Relu", [w], name: "computed_w") }
        let y = g.op("Conv", [x, w], name: "conv")
        g.output(y, .float, nil)
        return g.model()
    }

    @Test("A 2-D Conv with constant weights and fixed shapes is taken by NNAPI and both CoreML formats")
    func fixedConv() {
        for target in PartitionTarget.usabilityCheckerTargets {
            let conv = Self.decide(Self.conv(batch: .value(1)), target)["conv"]!
            #expect(conv.supported, "\(target): \(conv.blockers)")
            #expect(conv.checker.supported)
        }
    }

    @Test("A symbolic batch blocks it, naming the input and its dims; binding the dim lifts it")
    func dynamicBatch() {
        let model = Self.conv(batch: .param("N"))
        let conv = Self.decide(model, .nnapi)["conv"]!
        #expect(conv.blockers == [.dynamicShape(input: "x", dims: ["N", "3", "8", "8"])])
        #expect(!conv.checker.shapesFixed)
        #expect(Self.decide(model, .nnapi, user: ["N": 1])["conv"]!.supported)
    }

    @Test("A 1-D Conv: NNAPI refuses it (only 2-D), CoreML NeuralNetwork takes it; the checker takes both")
    func oneDimensionalConv() {
        let model = Self.conv(batch: .value(1), kernelRank: 3)
        let nnapi = Self.decide(model, .nnapi)["conv"]!
        guard case .condition(let caveat, let detail)? = nnapi.blockers.first else { Issue.record("\(nnapi.blockers)"); return }
        #expect(caveat == "Only 2D Conv is supported.")
        #expect(detail.contains("rank 3"))
        #expect(nnapi.checker.supported, "the checker only prints the caveat")
        #expect(Self.decide(model, .coreml)["conv"]!.supported)
    }

    @Test("Weights computed at run time fail 'Weights and bias should be constant.'")
    func computedWeights() {
        let conv = Self.decide(Self.conv(batch: .value(1), weightsComputed: true), .nnapi)["conv"]!
        #expect(conv.blockers.map(\.kind) == ["condition"])
        #expect(conv.blockers.first?.description.contains("Weights and bias should be constant") == true)
    }

    @Test("An op missing from the table is an operator blocker for onnxscope and the checker alike")
    func unlistedOp() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(1), .value(4)])
        g.output(g.op("Erf", [x], name: "erf"), .float, nil)
        let erf = Self.decide(g.model(), .nnapi)["erf"]!
        #expect(erf.blockers == [.op("ai.onnx:Erf")])
        #expect(!erf.checker.opListed)
    }

    @Test("Pad in reflect mode: a condition NNAPI states and onnxscope checks")
    func reflectPad() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
        let pads = g.initializer("pads", int64s: [0, 0, 1, 1, 0, 0, 1, 1])
        g.output(g.op("Pad", [x, pads], name: "pad", .string("mode", "reflect")), .float, nil)
        let pad = Self.decide(g.model(), .nnapi)["pad"]!
        #expect(pad.blockers.count == 1)
        #expect(pad.blockers.first?.description.hasPrefix("mode is 'reflect'") == true)
    }

    @Test("Nodes inside an If body are not taken by NNAPI (its EP gives sub-graphs no capability)")
    func subgraphNodes() throws {
        let model = try SampleModels.make("if-branch")
        let analysis = GraphAnalysis(model: model)
        let checker = NodeSupportChecker(catalog: .nnapi, index: analysis.index, shapes: analysis.shapes, requireFixedShapes: false)
        let inner = try #require(analysis.index.scopes.dropFirst().first)
        let s = checker.support(scope: inner.id, node: 0)
        #expect(s.blockers.contains { $0.kind == "sub-graph" })
    }
}

/// The run-time shape computations of BERT-style exports.
@Suite("Shape computation")
struct ShapeComputationTests {
    /// x[batch, seq, 8] → Shape → Gather(0) → Unsqueeze → Concat([b, -1]) → Reshape(x).
    static func flatten() -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.param("batch"), .param("seq"), .value(8)])
        let shape = g.op("Shape", [x], name: "shape")
        let zero = g.initializer("zero", int64s: [0], dims: [])
        let b = g.op("Gather", [shape, zero], name: "gather")
        let axes = g.initializer("axes", int64s: [0])
        let ub = g.op("Unsqueeze", [b, axes], name: "unsqueeze")
        let minusOne = g.initializer("minus_one", int64s: [-1])
        let target = g.op("Concat", [ub, minusOne], name: "concat", .int("axis", 0))
        let y = g.op("Reshape", [x, target], name: "reshape")
        g.output(g.op("Relu", [y], name: "relu"), .float, nil)
        return g.model()
    }

    @Test("Shape → Gather → Unsqueeze → Concat is the computation; Reshape uses it; it reads batch and seq")
    func bertStyle() {
        let model = Self.flatten()
        let analysis = GraphAnalysis(model: model)
        let sc = ShapeComputation.find(index: analysis.index, shapes: analysis.shapes, freeDims: ["batch", "seq"])
        let names = sc.nodes.map { analysis.index.scopes[$0.scope].node($0.node).name }
        #expect(names == ["shape", "gather", "unsqueeze", "concat"])
        #expect(sc.usedBy.map(\.op) == ["Reshape"])
        #expect(Set(sc.dependsOn.map(\.dim)) == ["batch", "seq"])
    }

    @Test("Dims inside expressions count: floor((seq + 64)/128) depends on seq; products too")
    func expressions() {
        #expect(ShapeComputation.symbols(in: .param("floor((seq + 64)/128) - 1"), of: ["seq", "batch"]) == ["seq"])
        #expect(ShapeComputation.symbols(in: .param("12*batch*seq"), of: ["seq", "batch"]).sorted() == ["batch", "seq"])
        #expect(ShapeComputation.symbols(in: .value(3), of: ["seq"]).isEmpty)
    }

    @Test("A model without Shape nodes has no shape computation")
    func none() throws {
        let model = try SampleModels.make("tiny-mlp")
        let analysis = GraphAnalysis(model: model)
        #expect(ShapeComputation.find(index: analysis.index, shapes: analysis.shapes, freeDims: []).isEmpty)
    }
}
