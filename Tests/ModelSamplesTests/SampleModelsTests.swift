import Foundation
import OnnxModel
import Testing
@testable import ModelSamples

/// Operator histogram of the main graph.
func opCounts(_ m: Model) -> [String: Int] {
    m.graph.nodes.reduce(into: [:]) { $0[$1.opType, default: 0] += 1 }
}

/// Trainable parameter count as PyTorch reports it (BN running statistics and the
/// `position_ids` buffer are buffers, not parameters).
func parameterCount(_ m: Model) -> Int {
    m.graph.initializers.filter {
        $0.dataType == .float && !$0.name.hasSuffix("running_mean") && !$0.name.hasSuffix("running_var")
    }.reduce(0) { $0 + ($1.elementCount ?? 0) }
}

func floats(_ m: Model, _ name: String) throws -> [Double] {
    let t = try #require(m.graph.initializers.first { $0.name == name }, "initializer \(name)")
    return try m.tensorValues(t)
}

/// Row-major `[n, k] · [k, m]`.
func matmul(_ a: [Double], _ b: [Double], n: Int, k: Int, m: Int) -> [Double] {
    var out = [Double](repeating: 0, count: n * m)
    for i in 0..<n { for j in 0..<m { for t in 0..<k { out[i * m + j] += a[i * k + t] * b[t * m + j] } } }
    return out
}

func expectClose(_ a: [Double?], _ b: [Double], tol: Double = 1e-4, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "\(what): \(a.count) values vs \(b.count)", sourceLocation: sourceLocation)
    let worst = zip(a, b).map { abs(($0 ?? .nan) - $1) / max(1, abs($1)) }.max() ?? .nan
    #expect(worst <= tol, "\(what): max relative difference \(worst)", sourceLocation: sourceLocation)
}

@Suite("Sample models: API, structure, determinism")
struct SampleModelsStructureTests {
    @Test func unknownNameListsValidNames() {
        #expect(throws: UnknownSampleError.self) { try SampleModels.make("resnet51") }
        let message = UnknownSampleError(name: "resnet51").description
        for n in SampleModels.names { #expect(message.contains(n)) }
        #expect(throws: UnknownSampleError.self) { try SampleModels.write("nope", to: "/tmp/never-written.onnx") }
    }

    @Test(arguments: ["tiny-mlp", "if-branch", "loop", "bert-tiny", "mobilenetv2"])
    func deterministicAndRoundTrips(name: String) throws {
        let a = try SampleModels.make(name).serialized(), b = try SampleModels.make(name).serialized()
        #expect(a == b, "two builds of \(name) differ")
        // Our reader gives back the same model and our writer the same bytes.
        let decoded = try Model.decode(a)
        #expect(decoded.serialized() == a)
        #expect(decoded.irVersion == 8 && decoded.opsetVersion(for: "") == 17)
    }

    @Test func resnet50Topology() throws {
        let m = SampleModels.resnet50()
        let ops = opCounts(m)
        #expect(ops == ["Conv": 53, "BatchNormalization": 53, "Relu": 49, "Add": 16, "MaxPool": 1,
                        "GlobalAveragePool": 1, "Flatten": 1, "Gemm": 1])
        #expect(parameterCount(m) == 25_557_032, "torchvision resnet50 has 25,557,032 parameters")
        let names = Set(m.graph.nodes.map(\.name))
        for n in ["/conv1/Conv", "/bn1/BatchNormalization", "/relu/Relu", "/maxpool/MaxPool",
                  "/layer1/layer1.0/conv1/Conv", "/layer1/layer1.0/downsample/downsample.0/Conv",
                  "/layer1/layer1.0/downsample/downsample.1/BatchNormalization", "/layer4/layer4.2/relu_2/Relu",
                  "/layer3/layer3.5/Add", "/avgpool/GlobalAveragePool", "/Flatten", "/fc/Gemm"] {
            #expect(names.contains(n), "missing node \(n)")
        }
        #expect(m.graph.initializers.contains { $0.name == "layer1.0.bn1.running_mean" })
        #expect(m.graph.nodes.filter { $0.name.hasSuffix("downsample.0/Conv") }.count == 4)
        // v1.5: the stride-2 conv of a downsampling block is the 3×3 one.
        let conv2 = try #require(m.graph.nodes.first { $0.name == "/layer2/layer2.0/conv2/Conv" })
        #expect(conv2.attribute("strides")?.ints == [2, 2])
        #expect(m.graph.inputs.map(\.name) == ["input"] && m.graph.outputs.map(\.name) == ["output"])
        // The big one is deterministic too (100 MB of seeded weights).
        #expect(m.serialized() == SampleModels.resnet50().serialized())
    }

    @Test func mobileNetV2Topology() throws {
        let m = SampleModels.mobileNetV2()
        let ops = opCounts(m)
        #expect(ops == ["Conv": 52, "BatchNormalization": 52, "Clip": 35, "Constant": 70, "Add": 10,
                        "GlobalAveragePool": 1, "Flatten": 1, "Gemm": 1])
        #expect(parameterCount(m) == 3_504_872, "torchvision mobilenet_v2 has 3,504,872 parameters")
        let dw = try #require(m.graph.nodes.first { $0.name == "/features/features.2/conv/conv.1/conv.1.0/Conv" })
        #expect(dw.attribute("group")?.i == 96)
        #expect(m.graph.nodes.contains { $0.name == "/features/features.1/conv/conv.0/conv.0.2/Clip" })
        #expect(m.graph.nodes.contains { $0.name == "/classifier/classifier.1/Gemm" })
    }

    @Test func bertTinyTopology() throws {
        let c = BertConfig.tiny
        let m = try SampleModels.bert(c)
        let ops = opCounts(m)
        #expect(ops["LayerNormalization"] == 2 * c.layers + 1)
        #expect(ops["Softmax"] == c.layers && ops["Erf"] == c.layers && ops["Tanh"] == 1)
        #expect(ops["MatMul"] == 8 * c.layers + 1)
        #expect(ops["Reshape"] == 4 * c.layers && ops["Transpose"] == 4 * c.layers)
        #expect(m.graph.inputs.map(\.name) == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(m.graph.outputs.map(\.name) == ["last_hidden_state", "pooler_output"])
        let names = Set(m.graph.nodes.map(\.name))
        for n in ["/encoder/layer.0/attention/self/query/MatMul", "/encoder/layer.1/attention/self/Softmax",
                  "/embeddings/Slice", "/embeddings/LayerNorm/LayerNormalization", "/Sub", "/Mul",
                  "/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "/pooler/activation/Tanh"] {
            #expect(names.contains(n), "missing node \(n)")
        }
        #expect(m.graph.initializers.contains { $0.name == "encoder.layer.0.attention.self.query.weight" && $0.dims == [128, 128] })
        // Committed-size budget: bert-tiny must leave room for the other samples under 2 MB.
        #expect(m.serialized().count < 1_900_000)
    }
}
