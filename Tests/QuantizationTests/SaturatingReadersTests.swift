import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Quantization

/// Values read only by nodes that saturate keep their 8-bit levels where those readers still
/// tell inputs apart.
@Suite("Ranges narrowed to what saturating readers see")
struct SaturatingReadersTests {
    /// x → Conv → gate → HardSigmoid(α 0.25, β 0.5) → y;  x → Conv → both → {Clip(-1, 4), Relu};
    /// x → Conv → mixed → {HardSigmoid, Add}. (A Conv writes its output quantized, as QLinearConv.)
    static func model() -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(1), .value(2), .value(4), .value(4)])
        var rng = SeededRandom(seed: 7)
        func matmul(_ name: String) -> String {
            let w = g.initializer(name + "_w", floats: rng.normals(4, std: 1), dims: [2, 2, 1, 1])
            return g.op("Conv", [x, w], name: name)
        }
        let gate = matmul("gate_mm")
        g.output(g.op("HardSigmoid", [gate], name: "hs", .float("alpha", 0.25), .float("beta", 0.5)), .float, nil)
        let both = matmul("both_mm")
        let lo = g.initializer("lo", floats: [-1], dims: []), hi = g.initializer("hi", floats: [4], dims: [])
        g.output(g.op("Clip", [both, lo, hi], name: "clip"), .float, nil)
        g.output(g.op("Relu", [both], name: "relu"), .float, nil)
        let bound = matmul("bound_mm")
        g.output(g.op("Clip", [x, lo, bound], name: "runtime_bound"), .float, nil)
        let mixed = matmul("mixed_mm")
        g.output(g.op("HardSigmoid", [mixed], name: "hs2"), .float, nil)
        g.output(g.op("Add", [mixed, x], name: "add"), .float, nil)
        return g.model()
    }

    @Test("HardSigmoid is linear on [−β/α, (1−β)/α]; readers' intervals join; one reader that sees everything, or a graph output, keeps the whole range")
    func intervals() {
        let analysis = GraphAnalysis(model: Self.model())
        let found = SaturatingReaders.intervals(in: analysis)
        let names = analysis.index.main.graph.nodes
        func out(_ node: String) -> String { names.first { $0.name == node }!.outputs[0] }
        #expect(found[out("gate_mm")] == -2.0...2.0)
        #expect(found[out("both_mm")] == -1.0...Double.infinity, "Clip [-1, 4] joined with Relu [0, ∞)")
        #expect(found[out("mixed_mm")] == nil, "the Add reads all of it")
        #expect(found[out("bound_mm")] == nil, "a Clip bound computed at run time is read in full")
        #expect(found["x"] == nil)
        #expect(SaturatingReaders.narrow(ValueRange(min: -20, max: 30), to: -2...2) == ValueRange(min: -2, max: 2))
        #expect(SaturatingReaders.narrow(ValueRange(min: -1, max: 1), to: -2...2) == ValueRange(min: -1, max: 1))
        #expect(SaturatingReaders.narrow(ValueRange(min: 5, max: 9), to: -2...2) == ValueRange(min: 5, max: 9), "no overlap: unchanged")
    }

    @Test("the written model spends the gate's 255 levels on HardSigmoid's linear part and says so; a value also read by an Add keeps its range")
    func writtenScale() throws {
        let model = Self.model()
        let analysis = GraphAnalysis(model: model)
        let plan = try QuantizationPlan(analysis: analysis, request: PlanRequest())
        var ranges: [String: ValueRange] = ["x": ValueRange(min: -3, max: 3)]
        for n in analysis.index.main.graph.nodes { ranges[n.outputs[0]] = ValueRange(min: -20, max: 20) }
        let output = try QDQWriter(model: model, analysis: analysis, plan: plan, ranges: ranges, settings: QuantizationSettings()).write()
        let gate = analysis.index.main.graph.nodes.first { $0.name == "gate_mm" }!.outputs[0]
        let scale = try #require(output.activations[gate]?.scales.first)
        #expect(abs(Double(scale) - 4.0 / 255) < 1e-6, "[-2, 2] over 255 levels, not [-20, 20]: \(scale)")
        let mixed = analysis.index.main.graph.nodes.first { $0.name == "mixed_mm" }!.outputs[0]
        #expect(abs(Double(try #require(output.activations[mixed]?.scales.first)) - 40.0 / 255) < 1e-6)
        #expect(output.notes.contains { $0.contains("read only by nodes that saturate") })
    }

    @Test("a value an If branch reads (besides a Relu) is read there in full: not narrowed")
    func readInsideBranch() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(4)])
        let c = g.input("c", .bool, [])
        let v = g.op("Neg", [x], name: "neg")
        g.output(g.op("Relu", [v], name: "relu"), .float, nil)
        func branch(_ name: String) -> Graph {
            Graph(name: name, nodes: [Node(opType: "Identity", name: name + "_id", inputs: [v], outputs: [name + "_out"])],
                  outputs: [ValueInfo(name: name + "_out", type: .tensor(.float, [.value(4)]))])
        }
        g.output(g.op("If", [c], name: "if", .graph("then_branch", branch("then")), .graph("else_branch", branch("else"))), .float, nil)
        let withBranch = SaturatingReaders.intervals(in: GraphAnalysis(model: g.model()))
        #expect(withBranch[v] == nil, "\(withBranch)")
        // Without the If, the Relu alone would narrow it.
        var h = GraphBuilder(opset: 17)
        let y = h.input("x", .float, [.value(4)])
        let w = h.op("Neg", [y], name: "neg")
        h.output(h.op("Relu", [w], name: "relu"), .float, nil)
        #expect(SaturatingReaders.intervals(in: GraphAnalysis(model: h.model()))[w] == 0...Double.infinity)
    }
}
