import Foundation
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Partition
import Workbench

/// The OpenVINO catalog and clustering against the OpenVINO EP itself (`onnxruntime-openvino`
/// 1.24.1 in `.venv-openvino`): on models built to hit each rule, and on the real models, the
/// predicted placement of every node is ORT's assignment report.
@Suite("OpenVINO placement agrees with ORT's assignment", .serialized)
struct OpenVINOAgreementTests {
    static let venv = Reference.root + "/.venv-openvino"

    static func library() throws -> OrtLibrary {
        try #require(FileManager.default.isExecutableFile(atPath: venv + "/bin/python"), "make venv-openvino first")
        // The OpenVINO EP reads ORT_OPENVINO_ENABLE_CI_LOG once per process, at its first
        // session: set before any, so LiveOutputTests sees the EP's prints whatever runs first.
        setenv("ORT_OPENVINO_ENABLE_CI_LOG", "1", 1)
        return try OrtLibrary.load(explicitPath: venv)
    }

    /// Predicts OpenVINO on `path` from ORT's basic graph and measures it, as `partition --measure` does.
    static func predictAndMeasure(_ path: String, library: OrtLibrary) throws -> TargetPrediction {
        let original = try Model.load(path: path)
        let optimized = try OptimizedModel(modelPath: path, level: .basic, library: library)
        var report = PartitionReport.analyse(modelPath: path, original: original, analysed: optimized.model,
                                             graph: .ortBasic, targets: [.openvino], userDims: [:])
        report.predictions[0].measured = PlacementMeasurement.measure(.openvino, modelPath: path, library: library, dims: [:])
        return report.predictions[0]
    }

    static func disagreements(_ p: TargetPrediction) -> String {
        guard let c = p.comparison else { return "no comparison: \(String(describing: p.measured?.outcome))" }
        return c.mismatches.map { "\($0.node) (\($0.op)): predicted \($0.predictedTaken ? "taken" : "not taken: \($0.reason ?? "")"), ORT: \($0.measuredProvider)" }
            .joined(separator: "\n")
    }

    @Test("Every rule case: prediction and measurement agree node by node")
    func ruleCases() throws {
        let lib = try Self.library()
        #expect(PlacementMeasurement.canMeasure(.openvino, library: lib))
        let dir = Reference.tempDir("openvino-cases")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases = try Reference.json([Reference.root + "/Tests/PartitionTests/python/openvino_cases.py", dir])
        #expect(cases.count >= 15)
        var rulesSeen = Set<String>()
        var failures = 0
        for (file, about) in cases.sorted(by: { $0.key < $1.key }) {
            let p = try Self.predictAndMeasure(dir + "/" + file, library: lib)
            if case .sessionFailed(let e)? = p.measured?.outcome {
                failures += 1
                #expect(p.compileRisks.contains { e.contains($0.value) || e.contains($0.node) }, "\(file) (\(about)): unpredicted failure: \(MeasuredPlacement.summary(of: e))")
                continue
            }
            #expect(p.compileRisks.isEmpty, "\(file): predicted a failure ORT does not have: \(p.compileRisks)")
            let c = try #require(p.comparison, "\(file) (\(about)): \(String(describing: p.measured?.outcome))")
            #expect(c.mismatches.isEmpty, "\(file) (\(about)):\n\(Self.disagreements(p))")
            #expect(c.unmatched.isEmpty, "\(file): not in ORT's report: \(c.unmatched)")
            for n in p.nodes { for b in n.blockers { rulesSeen.insert(b.kind) } }
        }
        #expect(failures == 1, "if_ranks is the one case OpenVINO fails")
        // The cases reach every kind of reason the EP has, so agreement means something.
        #expect(rulesSeen.isSuperset(of: ["operator", "condition", "partition rule"]), "\(rulesSeen)")
    }

    @Test("The cases cut where the EP's source says: one-node clusters, Conv leaving its cluster, TopK")
    func ruleReasons() throws {
        let lib = try Self.library()
        let dir = Reference.tempDir("openvino-reasons")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Reference.json([Reference.root + "/Tests/PartitionTests/python/openvino_cases.py", dir])
        func reason(_ file: String, _ node: String) throws -> String? {
            let p = try Self.predictAndMeasure(dir + "/" + file, library: lib)
            let n = try #require(p.nodes.first { $0.name == node }, "\(node) in \(file)")
            return n.blockers.first?.description
        }
        #expect(try reason("lone.onnx", "n0_Relu")?.contains("one-node cluster") == true)
        #expect(try reason("joins.onnx", "relu") == nil, "a lone node with an edge into the next cluster joins it")
        #expect(try reason("conv_leaves.onnx", "relu")?.contains("Conv 'conv'") == true)
        #expect(try reason("topk.onnx", "topk")?.contains("TopK") == true)
        #expect(try reason("hardmax.onnx", "n2_Hardmax")?.contains("not supported") == true)
        #expect(try reason("scalars.onnx", "abs")?.contains("scalar") == true)
        #expect(try reason("scalars.onnx", "neg") == nil, "Neg takes scalars, and a last one-node cluster is kept")
        #expect(try reason("float64.onnx", "relu_f64")?.contains("float64") == true)
        #expect(try reason("tiny_cast.onnx", "abs")?.contains("starting with Cast") == true)
        #expect(try reason("tiny_shape.onnx", "abs") == nil)
    }

    @Test("Real models: the same placement as ORT, or the session error when OpenVINO refuses the graph")
    func realModels() throws {
        let lib = try Self.library()
        let dir = Reference.root + "/.models"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".onnx") }.sorted()) ?? []
        try #require(files.count >= 6, "make real-models first")
        var measured = 0
        for f in files {
            let p = try Self.predictAndMeasure(dir + "/" + f, library: lib)
            switch p.measured?.outcome {
            case .assigned?:
                measured += 1
                #expect(p.compileRisks.isEmpty, "\(f): predicted a failure ORT does not have")
                let c = try #require(p.comparison)
                #expect(c.mismatches.isEmpty, "\(f):\n\(Self.disagreements(p))")
                #expect(c.compared > 50, "\(f): only \(c.compared) nodes compared")
            case .sessionFailed(let e)?:
                // OpenVINO takes the whole graph and then fails to compile it (silero-vad's If with
                // branches of different ranks): the report must say what failed.
                #expect(!MeasuredPlacement.summary(of: e).isEmpty, "\(f)")
                #expect(p.compileRisks.contains { e.contains($0.value) || e.contains($0.node) }, "\(f): the failure was not predicted: \(MeasuredPlacement.summary(of: e))")
                #expect(p.counts.supportedNodes == p.counts.totalNodes, "\(f): a session failure on a graph the EP was not given whole")
            default:
                Issue.record("\(f): \(String(describing: p.measured?.outcome))")
            }
        }
        #expect(measured >= 5)
    }

    @Test("ORT's and OpenVINO's error text comes down to what failed")
    func errorSummary() {
        let raw = """
        ONNX Runtime error ORT_FAIL while creating a session for m.onnx: Exception during initialization: /onnxruntime/x.cc:136 f(a&) /onnxruntime/y.cc:28 auto g() [with bool typed = false] [OpenVINO-EP] Exception while Loading Network for graph G_1: Exception from src/inference/src/cpp/core.cpp:114:
        Exception from src/inference/src/dev/plugin.cpp:53:
        Check '!shape.rank().is_dynamic()' failed at src/plugins/intel_cpu/src/node.cpp:106:
        Unexpected: CPU plug-in doesn't support Parameter operation with dynamic rank. Operation name: If_0_else

        """
        #expect(MeasuredPlacement.summary(of: raw)
                == "Exception while Loading Network for graph G_1 — Check '!shape.rank().is_dynamic()' failed — Unexpected: CPU plug-in doesn't support Parameter operation with dynamic rank. Operation name: If_0_else")
        #expect(MeasuredPlacement.summary(of: "plain error") == "plain error")
    }
}
