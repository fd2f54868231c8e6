import Testing
import OnnxModel
import ModelSamples
@testable import OnnxGraph

/// Samples are built once per test process (bert-base has 110 M weights).
enum Samples {
    static let resnet50 = try! SampleModels.make("resnet50")
    static let bertTiny = try! SampleModels.make("bert-tiny")
    static let bertBase = try! SampleModels.make("bert-base")
    static let mobilenet = try! SampleModels.make("mobilenetv2")
    static let ifBranch = try! SampleModels.make("if-branch")

    static func named(_ name: String) -> Model {
        switch name {
        case "resnet50": return resnet50
        case "bert-tiny": return bertTiny
        case "bert-base": return bertBase
        case "mobilenetv2": return mobilenet
        case "if-branch": return ifBranch
        default: return try! SampleModels.make(name)
        }
    }
}

/// Every value of every scope with facts that are not fully known, as readable lines.
func valuesWithoutShape(_ a: GraphAnalysis) -> [String] {
    var missing: [String] = []
    for scope in a.index.scopes {
        var names = scope.graph.inputs.map(\.name) + scope.graph.initializers.map(\.name)
        for n in scope.graph.nodes { names += n.outputs.filter { !$0.isEmpty } }
        for name in names {
            let f = a.shapes.facts(name, scope: scope.id)
            if f?.isFullyKnown != true || f?.elementType == nil {
                missing.append("\(a.index.path(of: scope.id)):\(name) = \(f?.summary ?? "nothing")")
            }
        }
    }
    return missing
}

@Suite("Sample models")
struct SampleModelTests {
    @Test("ResNet50: all shapes known with batch symbolic, torchvision's parameter count, 4.09 GMACs")
    func resnet50() throws {
        let a = GraphAnalysis(model: Samples.resnet50)
        #expect(a.issues.isEmpty, "\(a.issues.prefix(5))")
        let missing = valuesWithoutShape(a)
        #expect(missing.isEmpty, "\(missing.count) values without a full shape: \(missing.prefix(10))")
        #expect(a.shapes.facts("output")?.dims == [.param("batch"), .value(1000)])
        // Every activation keeps batch as its leading symbolic dim.
        for node in a.index.main.graph.nodes {
            let dims = try #require(a.shapes.facts(node.outputs[0])?.dims)
            #expect(dims.first == .param("batch"), "\(node.name): \(Shape(dims))")
        }
        let t = a.metrics.totals[0]
        // torchvision: sum(p.numel() for p in resnet50().parameters()) == 25_557_032; BN running
        // mean/var are buffers: 2 × 26_560 channels over the 53 BatchNormalizations.
        #expect(t.parameters == 25_557_032)
        #expect(t.buffers == 53_120)
        #expect(t.parameterBytes == 25_557_032 * 4)
        // Conv + Gemm MACs at batch 1: 4.09 G (4_089_184_256 as thop/ptflops count conv and fc),
        // + 1000 for the fc bias, which onnx-tool counts (the samples' convs have no bias: BN follows).
        let convGemm = (t.macsByCategory[.convolution] ?? 0) + (t.macsByCategory[.matmul] ?? 0)
        #expect(convGemm == 4_089_184_256 + 1000, "conv+gemm MACs \(convGemm)")
        // Everything else (BN, Relu, Add, pooling) adds about 1 %.
        #expect(Double(t.macs) > 4.09e9 && Double(t.macs) < 4.15e9, "total MACs \(t.macs)")
        // The free batch dim is bound at the input (1 by default); nothing symbolic is left inside.
        #expect(a.binding.values == ["batch": 1])
        #expect(a.binding.note == "batch=1")
        #expect(a.metrics.symbolsUsed.isEmpty)
        #expect(t.estimatedNodes == 0)
        // The first conv: 112·112·64 outputs × 3·7·7.
        let conv1 = try #require(a.index.main.graph.nodes.firstIndex { $0.opType == "Conv" })
        #expect(a.metrics.nodes[0][conv1].macs == 112 * 112 * 64 * 3 * 49)
        #expect(a.metrics.nodes[0][conv1].parameters == 64 * 3 * 49)
        #expect(a.metrics.nodes[0][conv1].outputBytes == 64 * 112 * 112 * 4)
        // Batch 8 scales MACs by 8.
        let b8 = GraphMetrics(model: Samples.resnet50, index: a.index, shapes: a.shapes, binding: SymbolBinding(batch: 8))
        #expect(b8.totals[0].macs == 8 * t.macs)
        #expect(!a.quantization.isQuantized && a.quantization.summary == "not quantized")
    }

    @Test("MobileNetV2: all shapes known, depthwise MACs counted per group", arguments: ["mobilenetv2"])
    func mobilenet(_ name: String) {
        let a = GraphAnalysis(model: Samples.named(name))
        #expect(a.issues.isEmpty, "\(a.issues.prefix(5))")
        let missing = valuesWithoutShape(a)
        #expect(missing.isEmpty, "\(missing.prefix(10))")
        let t = a.metrics.totals[0]
        // torchvision mobilenet_v2: 3_504_872 parameters, ~300.8 M conv+linear MACs.
        let convGemm = (t.macsByCategory[.convolution] ?? 0) + (t.macsByCategory[.matmul] ?? 0)
        #expect(Double(convGemm) > 2.9e8 && Double(convGemm) < 3.2e8, "conv+gemm MACs \(convGemm)")
        let initializerElements = a.index.main.graph.initializers.reduce(Int64(0)) { $0 + Int64($1.elementCount ?? 0) }
        #expect(t.parameters + t.buffers == initializerElements)
    }

    @Test("BERT: every value has a shape, heads reshaped to [batch,seq,heads,64], params = initializers",
          arguments: [("bert-tiny", 2, 2, 128), ("bert-base", 12, 12, 768)])
    func bert(_ name: String, layers: Int, heads: Int, hidden: Int) throws {
        let model = Samples.named(name)
        let a = GraphAnalysis(model: model)
        #expect(a.issues.isEmpty, "\(a.issues.prefix(5))")
        let missing = valuesWithoutShape(a)
        #expect(missing.isEmpty, "\(missing.count) values without a full shape: \(missing.prefix(10))")
        let batch = Dimension.param("batch"), seq = Dimension.param("seq")
        let H = Int64(hidden)
        let main = a.index.main
        let reshapes = main.graph.nodes.filter { $0.opType == "Reshape" }.map { a.shapes.facts($0.outputs[0])?.dims }
        let split = reshapes.filter { $0 == [batch, seq, .value(Int64(heads)), .value(64)] }
        let merged = reshapes.filter { $0 == [batch, seq, .value(H)] }
        #expect(split.count == 3 * layers, "\(reshapes.prefix(6))")
        #expect(split.count + merged.count == reshapes.count, "\(reshapes)")
        #expect(a.shapes.facts("last_hidden_state")?.dims == [batch, seq, .value(H)])
        #expect(a.shapes.facts("pooler_output")?.dims == [batch, .value(H)])
        // Attention scores: Q·Kᵀ is [batch, heads, seq, seq].
        let scores = main.graph.nodes.filter { $0.opType == "MatMul" }.compactMap { a.shapes.facts($0.outputs[0])?.dims }
            .filter { $0 == [batch, .value(Int64(heads)), seq, seq] }
        #expect(scores.count == layers)

        let t = a.metrics.totals[0]
        let initializerElements = main.graph.initializers.reduce(Int64(0)) { $0 + Int64($1.elementCount ?? 0) }
        #expect(t.parameters == initializerElements)
        #expect(t.buffers == 0 && t.unusedInitializers == 0)
        // seq takes the typical 128 unless the position table is shorter (bert-tiny's holds 64,
        // and its Slice caps the hint there).
        let s = Int64(name == "bert-tiny" ? 64 : 128)
        #expect(a.binding.values == ["batch": 1, "seq": s])
        // MatMul MACs at that seq: per layer 4·s·h² (Q, K, V, out) + 2·s·h·4h (FFN) + 2·s²·h (attention).
        let perLayer = 4 * s * H * H + 2 * s * H * 4 * H + 2 * s * s * H
        let expected = Int64(layers) * perLayer + H * H  // + pooler
        #expect(t.macsByCategory[.matmul] == expected, "matmul MACs \(t.macsByCategory[.matmul] ?? 0) vs \(expected)")
    }

    @Test("if-branch: branch outputs give the If its shape; outer references resolved")
    func ifBranch() throws {
        let a = GraphAnalysis(model: Samples.ifBranch)
        #expect(a.issues.isEmpty, "\(a.issues)")
        #expect(valuesWithoutShape(a).isEmpty, "\(valuesWithoutShape(a))")
        #expect(a.index.scopes.count == 3)
        let then = a.index.scopes[1]
        #expect(then.parent?.attribute == "then_branch")
        // The then-branch reads the projection output and its scale from the main graph.
        #expect(then.outerReferences.count == 2)
        #expect(then.outerReferences.contains { $0.name == "then.scale" && $0.definition?.producer == .initializer(1) })
        #expect(then.outerReferences.allSatisfy { $0.definition?.scope == 0 })
        #expect(a.shapes.facts("output")?.dims == [.param("batch"), .value(8)])
        // Initializers captured by the branches are counted once, on the If node.
        let initializerElements = a.index.main.graph.initializers.reduce(Int64(0)) { $0 + Int64($1.elementCount ?? 0) }
        #expect(a.metrics.overall.parameters == initializerElements)
    }
}
