import Foundation
import OnnxModel
import Testing
@testable import ModelSamples

/// Every sample checked by the reference tools (onnx checker, strict shape inference, ONNX
/// Runtime), one at a time: ORT and the big samples use a lot of memory and both cores.
@Suite("Sample models checked by onnx and ONNX Runtime", .serialized)
struct RuntimeCheckTests {
    /// Writes `model` to a temp dir and checks it.
    func check(_ model: Model, _ args: [String]) throws -> (CheckReport, TempDir) {
        let dir = try TempDir()
        let path = dir.file("model.onnx")
        try model.write(to: path)
        return (try pythonCheck(path, args), dir)
    }

    @Test func tinyMLPMatchesReferenceMath() throws {
        let m = SampleModels.tinyMLP()
        let (r, _) = try check(m, ["--dim", "batch=3"])
        guard expectHealthy(r, outputs: ["output": [3, 10]]) else { return }
        // ORT's result must equal the forward pass computed here from the weights we wrote.
        var x = r.runs[0].inputs["input"]!.head.map { $0 ?? .nan }
        let sizes = [16, 32, 32, 10]
        for i in 0..<3 {
            let w = try floats(m, "fc\(i + 1).weight"), b = try floats(m, "fc\(i + 1).bias")
            x = matmul(x, w, n: 3, k: sizes[i], m: sizes[i + 1]).enumerated().map { $1 + b[$0 % sizes[i + 1]] }
            if i < 2 { x = x.map { max(0, $0) } }
        }
        expectClose(r.runs[0].outputs["output"]!.head, x, "tiny-mlp output vs reference")
    }

    @Test func ifBranchTakesBothBranches() throws {
        let m = SampleModels.ifBranch()
        let (r, _) = try check(m, ["--dim", "batch=4", "--runs", "2"])
        guard expectHealthy(r, outputs: ["output": [4, 8]]) else { return }
        let w = try floats(m, "proj.weight"), scale = try floats(m, "then.scale"), shift = try floats(m, "else.shift")
        var taken: Set<Bool> = []
        for run in r.runs {
            let x = run.inputs["x"]!.head.map { $0 ?? .nan }
            let y = matmul(x, w, n: 4, k: 8, m: 8)
            let then = y.reduce(0, +) / Double(y.count) > 0
            taken.insert(then)
            let expected = y.enumerated().map { then ? max(0, $1) * scale[$0 % 8] : shift[$0 % 8] - $1 }
            expectClose(run.outputs["output"]!.head, expected, "If output (\(then ? "then" : "else") branch)")
        }
        #expect(taken == [true, false], "negating the input must flip the branch")
    }

    @Test func loopAccumulates() throws {
        let (r, _) = try check(SampleModels.loop(), [])
        guard expectHealthy(r, outputs: ["final": [4], "history": [5, 4]]) else { return }
        let x = r.runs[0].inputs["x"]!.head.map { $0 ?? .nan }
        expectClose(r.runs[0].outputs["final"]!.head, x.map { 5 * $0 }, "final = 5x")
        expectClose(r.runs[0].outputs["history"]!.head, (1...5).flatMap { k in x.map { Double(k) * $0 } }, "history rows (k+1)x")
    }

    static let bertTinyArgs = ["--dim", "batch=2", "--dim", "seq=16", "--int-high", "input_ids=256", "--int-high", "token_type_ids=2"]

    @Test func bertTiny() throws {
        let (r, _) = try check(try SampleModels.bert(.tiny), Self.bertTinyArgs)
        expectHealthy(r, outputs: ["last_hidden_state": [2, 16, 128], "pooler_output": [2, 128]], minStd: 0.05, maxStd: 10)
        #expect(r.inferredOutputs?["last_hidden_state"] == [.param("batch"), .param("seq"), .value(128)])
        // Strict inference must get through the whole dynamic-shape graph.
        #expect((r.inferredValueCount ?? 0) > 100)
    }

    @Test func mobileNetV2() throws {
        let (r, _) = try check(SampleModels.mobileNetV2(), ["--dim", "batch=1"])
        expectHealthy(r, outputs: ["output": [1, 1000]], minStd: 0.1, maxStd: 100)
    }

    @Test func resnet50() throws {
        let (r, _) = try check(SampleModels.resnet50(), ["--dim", "batch=1"])
        expectHealthy(r, outputs: ["output": [1, 1000]], minStd: 0.1, maxStd: 100)
    }

    @Test func bertBase() throws {
        let m = try SampleModels.bert(.base)
        #expect(parameterCount(m) == 109_482_240, "bert-base-uncased BertModel has 109,482,240 parameters")
        let (r, _) = try check(m, ["--dim", "batch=1", "--dim", "seq=16", "--int-high", "input_ids=30522"])
        expectHealthy(r, outputs: ["last_hidden_state": [1, 16, 768], "pooler_output": [1, 768]], minStd: 0.05, maxStd: 10)
    }

    /// The streamed writer (used for BERT-large) and the whole-model converter produce the
    /// same files, with 4096-aligned offsets; onnx and ORT accept them and compute exactly
    /// what the inline model computes.
    @Test func externalData() throws {
        let dir = try TempDir()
        let inline = dir.file("inline.onnx"), streamed = dir.file("streamed.onnx"), converted = dir.file("converted.onnx")
        let model = try SampleModels.bert(.tiny)
        try model.write(to: inline)
        try SampleModels.writeBert(.tiny, to: streamed, dataFileName: "weights1.bin")
        try writeWithExternalData(model: model, to: converted, dataFileName: "weights2.bin")
        let s = try Data(contentsOf: URL(fileURLWithPath: streamed)), c = try Data(contentsOf: URL(fileURLWithPath: converted))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("weights1.bin"))) == Data(contentsOf: URL(fileURLWithPath: dir.file("weights2.bin"))))
        #expect(s.count < 100_000 && s.count == c.count, "weights must have left the model file")

        // Read back with our own reader: every tensor resolves to the original bytes.
        let loaded = try Model.load(path: converted)
        var external = 0
        for (t, original) in zip(loaded.graph.initializers, model.graph.initializers) {
            if t.isExternal {
                external += 1
                let ref = try ExternalDataReference(t)
                #expect(ref.location == "weights2.bin" && ref.offset % 4096 == 0)
            }
            #expect(try loaded.tensorData(t) == model.tensorData(original), "\(t.name)")
        }
        // Everything of 1 KB or more: the matrices, embeddings and the FFN biases.
        #expect(external == 18)
        // No stray temporary files left beside the model.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files == ["converted.onnx", "inline.onnx", "streamed.onnx", "weights1.bin", "weights2.bin"])

        let ri = try pythonCheck(inline, Self.bertTinyArgs), rc = try pythonCheck(converted, Self.bertTinyArgs)
        let rs = try pythonCheck(streamed, Self.bertTinyArgs)
        for r in [rc, rs] {
            expectHealthy(r, outputs: ["last_hidden_state": [2, 16, 128], "pooler_output": [2, 128]], minStd: 0.05, maxStd: 10)
            #expect(r.externalInitializers == external)
            #expect(r.runs.first?.outputs["pooler_output"]?.head == ri.runs.first?.outputs["pooler_output"]?.head)
            #expect(r.runs.first?.outputs["last_hidden_state"]?.mean == ri.runs.first?.outputs["last_hidden_state"]?.mean)
        }
    }

    @Test func externalDataRejectsPathsOutsideTheFolder() throws {
        let dir = try TempDir()
        #expect(throws: ExternalDataWriteError.self) {
            try writeWithExternalData(model: SampleModels.tinyMLP(), to: dir.file("m.onnx"), dataFileName: "../escape.bin")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("m.onnx")))
    }
}

/// The small samples are committed in `samples/`; they must always equal what the code
/// generates. Regenerate with `ONNXSCOPE_UPDATE_SAMPLES=1 swift test --filter ModelSamplesTests`.
@Suite("Committed samples")
struct CommittedSampleTests {
    @Test(arguments: SampleModels.committedNames)
    func committedSampleIsFresh(name: String) throws {
        let path = repoRoot + "/samples/\(name).onnx"
        let fresh = try SampleModels.make(name).serialized()
        if ProcessInfo.processInfo.environment["ONNXSCOPE_UPDATE_SAMPLES"] == "1" {
            try FileManager.default.createDirectory(atPath: repoRoot + "/samples", withIntermediateDirectories: true)
            try AtomicFile.write(fresh, to: path)
        }
        let committed = try #require(FileManager.default.contents(atPath: path), "samples/\(name).onnx is missing; regenerate with ONNXSCOPE_UPDATE_SAMPLES=1 swift test --filter ModelSamplesTests")
        #expect([UInt8](committed) == fresh, "samples/\(name).onnx is stale; regenerate with ONNXSCOPE_UPDATE_SAMPLES=1 swift test --filter ModelSamplesTests")
    }

    @Test func committedSamplesStayUnderTwoMegabytes() throws {
        let total = try SampleModels.committedNames.reduce(0) { $0 + (try SampleModels.make($1).serialized().count) }
        #expect(total < 2_000_000, "committed samples total \(total) bytes")
    }
}
