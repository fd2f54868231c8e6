import Foundation
import ModelReport
import ModelSamples
import OnnxGraph
import OnnxModel
import Testing

/// `info`'s numbers checked against Python `onnx` on the same files.
@Suite("info agrees with the onnx package")
struct InfoAgainstOnnxTests {
    static let repoRoot = ReferencePython.repoRoot

    /// What onnx says: node counts (main and with sub-graphs), opsets, I/O shapes, initializer
    /// count and total elements, op histogram.
    func reference(_ path: String) throws -> [String: Any] {
        let script = """
            import json, sys, collections, onnx
            from onnx import numpy_helper
            m = onnx.load(sys.argv[1], load_external_data=False)
            def walk(g):
                for n in g.node:
                    yield n
                    for a in n.attribute:
                        if a.type == onnx.AttributeProto.GRAPH: yield from walk(a.g)
                        for sg in a.graphs: yield from walk(sg)
            def inits(g):
                yield from g.initializer
                for n in g.node:
                    for a in n.attribute:
                        if a.type == onnx.AttributeProto.GRAPH: yield from inits(a.g)
            def shape(v):
                t = v.type.tensor_type
                return [d.dim_param if d.HasField("dim_param") else (str(d.dim_value) if d.HasField("dim_value") else "?") for d in t.shape.dim]
            init_names = {i.name for i in m.graph.initializer}
            all_nodes = list(walk(m.graph))
            print(json.dumps({
              "ir": m.ir_version,
              "opsets": sorted([[o.domain or "ai.onnx", o.version] for o in m.opset_import]),
              "nodes": len(m.graph.node),
              "nodes_all": len(all_nodes),
              "inputs": [[v.name, shape(v)] for v in m.graph.input if v.name not in init_names],
              "outputs": [[v.name, shape(v)] for v in m.graph.output],
              "initializers": len(list(inits(m.graph))),
              "elements": sum(int(__import__("numpy").prod(i.dims)) for i in inits(m.graph)),
              "histogram": dict(collections.Counter(n.op_type for n in all_nodes)),
            }))
            """
        return try ReferencePython.json(script, [path]) as! [String: Any]
    }

    func summary(_ path: String) throws -> ModelSummary {
        let model = try Model.load(path: path)
        return ModelSummary(model: model, path: path, analysis: GraphAnalysis(model: model))
    }

    /// Our samples plus the real model-zoo networks (AlexNet, DenseNet, Inception, ResNet50,
    /// ShuffleNet, SqueezeNet, VGG19, ZFNet) that ship in the onnx package.
    static var models: [String] {
        let lib = repoRoot.appendingPathComponent(".venv/lib").path
        let python = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).first { $0.hasPrefix("python3") } ?? "python3"
        let light = lib + "/" + python + "/site-packages/onnx/backend/test/data/light"
        let zoo = ((try? FileManager.default.contentsOfDirectory(atPath: light)) ?? [])
            .filter { $0.hasSuffix(".onnx") }.sorted().map { light + "/" + $0 }
        return ["bert-tiny", "if-branch", "loop", "tiny-mlp"].map { repoRoot.appendingPathComponent("samples/\($0).onnx").path } + zoo
    }

    @Test("the model-zoo networks are there to compare against")
    func zooPresent() { #expect(Self.models.count >= 12, "run `make venv`: the onnx package ships the light model zoo") }

    @Test("counts, opsets, I/O and op histogram match onnx", arguments: models)
    func matchesOnnx(path: String) throws {
        let ref = try reference(path)
        let s = try summary(path)
        #expect(s.irVersion == ref["ir"] as! Int64)
        #expect(s.opsets.map { [$0.domain, "\($0.version)"] }.sorted { $0[0] < $1[0] }
                == (ref["opsets"] as! [[Any]]).map { ["\($0[0])", "\($0[1])"] })
        #expect(s.nodeCount == ref["nodes"] as! Int)
        #expect(s.nodeCountWithSubgraphs == ref["nodes_all"] as! Int)
        #expect(s.inputs.map { [$0.name] + ($0.shape ?? []) } == (ref["inputs"] as! [[Any]]).map { [$0[0] as! String] + ($0[1] as! [String]) })
        #expect(s.outputs.map(\.name) == (ref["outputs"] as! [[Any]]).map { $0[0] as! String })
        #expect(s.initializerCount == ref["initializers"] as! Int)
        let histogram = Dictionary(s.opHistogram.map { ($0.op, $0.count) }, uniquingKeysWith: +)
        #expect(histogram == ref["histogram"] as! [String: Int])
    }

    @Test("parameters are every float weight element the nodes use")
    func parameters() throws {
        let path = Self.repoRoot.appendingPathComponent("samples/bert-tiny.onnx").path
        let ref = try reference(path)
        let s = try summary(path)
        // bert-tiny's initializers are all weights except the int64 shape constants.
        #expect(s.compute.parameters <= ref["elements"] as! Int64)
        #expect(s.compute.parameters > (ref["elements"] as! Int64) * 9 / 10)
        #expect(s.compute.valuesWithoutShape == 0)
    }

    @Test("JSON is stable and parseable, with the documented keys")
    func jsonKeys() throws {
        let path = Self.repoRoot.appendingPathComponent("samples/if-branch.onnx").path
        let json = try summary(path).json()
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        for key in ["ir_version", "opsets", "inputs", "outputs", "node_count", "op_histogram", "compute", "largest_tensors", "subgraphs", "quantization", "custom_domains", "problems"] {
            #expect(obj[key] != nil, "missing key \(key)")
        }
        #expect((obj["subgraphs"] as! [Any]).count == 2)
        #expect(try summary(path).json() == json)
    }

    @Test("hostile names are escaped in text output")
    func escapedText() throws {
        var b = GraphBuilder()
        b.input("x\u{1b}[2J", .float, [.value(1)])
        b.node("Relu", ["x\u{1b}[2J"], name: "evil\u{1b}]0;title\u{07}", outputNames: ["y"])
        b.output("y", .float, [.value(1)])
        let m = b.model()
        let text = ModelSummary(model: m, path: nil, analysis: GraphAnalysis(model: m)).text()
        #expect(!text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
        #expect(text.contains("x\\e[2J"))
    }
}
