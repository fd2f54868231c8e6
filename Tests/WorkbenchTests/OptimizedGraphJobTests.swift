import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Workbench

/// ORT's optimized graph, written by the real ORT, and its links to the model's nodes.
@Suite("ORT's optimized graph", .serialized)
struct OptimizedGraphJobTests {
    func graph(_ path: String, level: GraphOptimizationLevel, library: OrtLibrary, providers: [ExecutionProviderSpec] = [])
        throws -> (Model, OptimizedGraphJob.Result) {
        let model = try Model.load(path: path)
        let job = OptimizedGraphJob(library: library, source: .path(path), graph: model.graph)
        var config = SessionConfiguration()
        config.optimizationLevel = level
        config.providers = providers
        #expect(job.request(configuration: config))
        #expect(!job.request(configuration: config), "one at a time")
        #expect(job.waitUntilIdle(timeout: 120))
        let s = job.snapshot
        guard case .ready = s.phase, let r = s.result else {
            Issue.record("\(s.phase)")
            throw CancellationError()
        }
        return (model, r)
    }

    @Test("ResNet-50 at level extended: each FusedConv stands for its Conv, BatchNormalization and Relu; every node is linked once")
    func resnetExtended() throws {
        let (model, r) = try graph(Live.resnet50, level: .extended, library: try Live.cpuLibrary())
        let opt = r.optimized.model.graph
        let nodes = model.graph.nodes
        #expect(opt.nodes.count < nodes.count)
        for (o, n) in opt.nodes.enumerated() where n.opType == "FusedConv" {
            let ops = r.links.covered[o].map { nodes[$0].opType }
            #expect(ops == ["Conv", "BatchNormalization", "Relu"] || ops == ["Conv", "Relu", "BatchNormalization"], "\(n.name): \(ops)")
            #expect(nodes[r.links.covered[o][0]].name == n.name, "anchored at the node it is named after")
        }
        // Every model node is covered by one optimized node or was folded.
        for i in nodes.indices {
            #expect(r.links.coveringNode[i] != nil || r.links.constantFolded.contains(i), "\(nodes[i].name) \(nodes[i].opType)")
        }
        let total = r.links.covered.map(\.count).reduce(0, +)
        #expect(total + r.links.constantFolded.count == nodes.count)
    }

    @Test("ResNet-50 at level all: NCHWc Convs (named after the tensor they replace) are linked to their Conv chains; Reorder nodes stand for nothing")
    func resnetAll() throws {
        let (model, r) = try graph(Live.resnet50, level: .all, library: try Live.cpuLibrary())
        let opt = r.optimized.model.graph
        let nodes = model.graph.nodes
        let nchwc = opt.nodes.indices.filter { opt.nodes[$0].name.hasSuffix("_nchwc") && opt.nodes[$0].opType == "Conv" }
        #expect(nchwc.count >= 50)
        for o in nchwc {
            #expect(r.links.covered[o].contains { nodes[$0].opType == "Conv" }, "\(opt.nodes[o].name): \(r.links.covered[o].map { nodes[$0].opType })")
        }
        let convs = nodes.indices.filter { nodes[$0].opType == "Conv" }
        #expect(convs.allSatisfy { r.links.coveringNode[$0] != nil }, "every Conv runs somewhere")
        for (o, n) in opt.nodes.enumerated() where n.opType.hasPrefix("Reorder") {
            #expect(r.links.covered[o].isEmpty, "\(n.name)")
        }
        // Shapes and MACs of ORT's NCHWc ops: every output known, and the Convs' MACs are the
        // model's (ResNet-50's channels are multiples of ORT's block size, so nothing is padded)
        // plus the bias ORT folded BatchNormalization into: one MAC per output element, < 2 %.
        let ortAnalysis = GraphAnalysis(model: r.optimized.model)
        for n in opt.nodes where n.domain == "com.microsoft.nchwc" {
            #expect(ortAnalysis.shapes.facts(n.outputs[0])?.isFullyKnown == true, "\(n.name) (\(n.opType))")
        }
        func convMACs(_ a: GraphAnalysis, _ g: Graph) -> Int64 {
            g.nodes.indices.filter { g.nodes[$0].opType.hasSuffix("Conv") }.map { a.metrics.nodes[0][$0].macs }.reduce(0, +)
        }
        let modelMACs = convMACs(GraphAnalysis(model: model), model.graph)
        let ortMACs = convMACs(ortAnalysis, opt)
        #expect(modelMACs > 4_000_000_000 && ortMACs >= modelMACs && Double(ortMACs) < Double(modelMACs) * 1.02, "ORT graph \(ortMACs) vs model \(modelMACs)")
    }

    @Test("trained models exported by PyTorch, Paddle, jax2tf, ultralytics and spox: every node is linked once or folded, each ORT node keeping a model name is anchored there",
          arguments: ["all-MiniLM-L6-v2.onnx", "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx",
                      "magika-standard_v3_3.onnx", "nudenet-320n.onnx", "silero_vad.onnx", "silero_vad_16k_op15.onnx"])
    func realModels(file: String) throws {
        let path = Live.root + "/.models/" + file
        try #require(FileManager.default.fileExists(atPath: path), "make real-models fetches \(file)")
        let (model, r) = try graph(path, level: .all, library: try Live.cpuLibrary())
        let nodes = model.graph.nodes, opt = r.optimized.model.graph
        for i in nodes.indices {
            #expect(r.links.coveringNode[i] != nil || r.links.constantFolded.contains(i), "\(file): \(nodes[i].name) \(nodes[i].opType) is linked to nothing")
        }
        #expect(r.links.covered.map(\.count).reduce(0, +) + r.links.constantFolded.count == nodes.count, "\(file): a node linked twice")
        let names = Dictionary(nodes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (o, n) in opt.nodes.enumerated() where !n.name.isEmpty {
            if let i = names[n.name] { #expect(r.links.covered[o].first == i, "\(file): \(n.name) not anchored at its model node") }
        }
    }

    @Test("with OpenVINO (a compiling EP) ORT cannot write the graph: the job writes the CPU EP's and says why")
    func compilingEP() throws {
        let (_, r) = try graph(Live.tinyMLP, level: .all, library: try Live.openvinoLibrary(), providers: Live.openvinoCPU.providers)
        #expect(r.providers.isEmpty)
        #expect(r.note?.contains("compiles its partitions") == true, "\(r.note ?? "nil")")
    }
}
