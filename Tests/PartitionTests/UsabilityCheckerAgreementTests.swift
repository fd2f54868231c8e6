import Foundation
import ModelSamples
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Partition

/// onnxscope's reproduction of ORT's mobile usability checker, model by model: on ORT's
/// basic-level optimized graph, the checker's totals, partitions (sizes in order), unsupported
/// ops, dynamic-shape counts, verdicts, fixed-shape reruns and supported node names must be
/// exactly what `usability_reference.py` (the checker itself) prints. Models other tools
/// exported (`make real-models`) and the generated samples.
@Suite("Usability checker agreement", .serialized)
struct UsabilityCheckerAgreementTests {
    static let realModels = ["all-MiniLM-L6-v2.onnx", "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx",
                             "ch_ppocr_mobile_v2.0_cls_infer.onnx", "magika-standard_v3_3.onnx", "nudenet-320n.onnx",
                             "silero_vad.onnx", "silero_vad_16k_op15.onnx"]

    static func report(_ path: String) throws -> PartitionReport {
        let library = try OrtLibrary.load(explicitPath: Reference.root + "/.venv")
        let optimized = try OptimizedModel(modelPath: path, level: .basic, library: library)
        return PartitionReport.analyse(modelPath: path, original: try Model.load(path: path), analysed: optimized.model,
                                       graph: .ortBasic, targets: PartitionTarget.usabilityCheckerTargets, userDims: [:])
    }

    static func compare(_ path: String) throws {
        let reference = try Reference.json([Reference.usabilityScript, path])
        let expected = try #require(reference["targets"] as? [[String: Any]])
        let report = try report(path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        for (prediction, ref) in zip(report.predictions, expected) {
            let label = "\(name) \(prediction.target.rawValue)"
            #expect(ref["target"] as? String == prediction.target.rawValue)
            expectSame(prediction.checker, ref, label)
            let supported = prediction.nodes.filter(\.checker.supported).map(\.name).sorted()
            #expect(supported == (ref["supported"] as? [String]), "\(label): supported node names")
            let refFixed = ref["fixed_shapes"] as? [String: Any]
            #expect((prediction.fixedShapes == nil) == (refFixed == nil), "\(label): fixed-shape rerun")
            if let f = prediction.fixedShapes, let refFixed { expectSame(f.checker, refFixed, label + " (shapes fixed)") }
        }
    }

    static func expectSame(_ c: PartitionCounts, _ ref: [String: Any], _ label: String) {
        #expect(c.totalNodes == ref["total_nodes"] as? Int, "\(label): total nodes")
        #expect(c.supportedNodes == ref["supported_nodes"] as? Int, "\(label): supported nodes")
        #expect(c.partitionSizes == ref["partition_sizes"] as? [Int], "\(label): partition sizes")
        #expect(c.unsupportedOps == ref["unsupported_ops"] as? [String], "\(label): unsupported ops")
        #expect(c.unsupportedDueToOp == ref["unsupported_due_to_op"] as? Int, "\(label): nodes unsupported due to op")
        #expect(c.dynamicShapeNodes == ref["dynamic_shape_nodes"] as? Int, "\(label): dynamic-shape nodes")
        #expect(c.rankNodes == ref["rank_nodes"] as? Int, "\(label): rank nodes")
        #expect(c.verdict.rawValue == ref["verdict"] as? String, "\(label): verdict")
    }

    @Test("Trained models exported by PyTorch, Paddle, tf2onnx and jax2tf", arguments: realModels)
    func realModel(file: String) throws {
        let path = Reference.root + "/.models/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("\(path) missing: run `make real-models` (the test command does)"); return
        }
        try Self.compare(path)
    }

    @Test("Generated samples: BERT-tiny, ResNet-50 (symbolic batch), the If / Loop / function samples",
          arguments: ["bert-tiny", "resnet50", "if-branch", "loop", "functions"])
    func sample(name: String) throws {
        let dir = Reference.tempDir(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/\(name).onnx"
        try SampleModels.write(name, to: path)
        try Self.compare(path)
    }
}
