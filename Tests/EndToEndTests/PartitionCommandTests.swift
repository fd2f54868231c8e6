import Foundation
import Testing

/// `onnxscope partition` as a user runs it: the report on a sample, a fix command that really
/// fixes the model (ORT's own tool runs it), and clear errors on bad input.
@Suite("Command line: partition", .serialized)
struct PartitionCommandTests {
    static let root = QuantizeCommandTests.root
    static var python: String { root + "/.venv/bin/python" }

    func partition(_ args: [String], venv: String = ".venv") throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try runSeparated(try TmuxEndToEndTests.binary(), ["partition"] + args + ["--ort", Self.root + "/" + venv])
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    static func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-pcli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("--ort-release: a release that cannot load the sample is a blocker with the fix; an unknown one is refused with the list")
    func ortRelease() throws {
        let r = try partition([Self.root + "/samples/bert-tiny.onnx", "--target", "cpu", "--ort-release", "1.10", "--ort-release", "1.20", "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let releases = try #require(json["ort_releases"] as? [String: Any])
        let checked = try #require(releases["checked"] as? [[String: Any]])
        #expect(checked.map { $0["loads"] as? Bool } == [false, true], "\(checked)")
        let blockers = try #require(json["blockers"] as? [[String: Any]])
        #expect(blockers.contains { ($0["kind"] as? String) == "release too old" && ($0["problem"] as? String)?.contains("ONNX Runtime 1.10 loads ai.onnx up to opset 15") == true },
                "\(blockers)")
        let text = try partition([Self.root + "/samples/bert-tiny.onnx", "--target", "cpu", "--ort-release", "1.10"])
        #expect(text.stdout.contains("release too old: ONNX Runtime 1.10 loads ai.onnx up to opset 15"), "\(text.stdout)")
        let bad = try partition([Self.root + "/samples/bert-tiny.onnx", "--ort-release", "0.9"])
        #expect(bad.status == 64 && bad.stderr.contains("unknown --ort-release 0.9") && bad.stderr.contains("1.32"), "\(bad.stderr)")
    }

    @Test("ResNet-50 with a symbolic batch: NNAPI no; the printed make_dynamic_shape_fixed command makes it yes")
    func fixCommandWorks() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/resnet50.onnx"
        let sample = try run(try TmuxEndToEndTests.binary(), ["sample", "resnet50", "-o", model])
        try #require(sample.status == 0, "\(sample.output)")
        let before = try Data(contentsOf: URL(fileURLWithPath: model))

        let r = try partition([model, "--target", "nnapi"])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("NNAPI (predicted from the ORT 1.32.0 catalog): NO"), "\(r.stdout)")
        #expect(r.stdout.contains("with the dims fixed (batch=1): 122 of 122 nodes in 1 partition [122], yes"), "\(r.stdout)")
        let command = try #require(r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("python -m onnxruntime.tools.make_dynamic_shape_fixed") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before, "the model file is never modified")

        let args = command.split(separator: " ").dropFirst().map(String.init)
        let fixed = try run(Self.python, args)
        try #require(fixed.status == 0, "\(command): \(fixed.output)")
        let after = try partition([dir + "/resnet50.fixed.onnx", "--target", "nnapi", "--json"])
        try #require(after.status == 0, "\(after.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        let target = try #require((report["targets"] as? [[String: Any]])?.first)
        #expect(target["verdict"] as? String == "yes")
        #expect(target["partition_sizes"] as? [Int] == [122])
        #expect(report["graph"] as? String == "ort-basic")
    }

    @Test("--fix-dims writes a model onnx.checker accepts, with the original's outputs at those dims; its prediction is the checker's fixed-shape rerun",
          arguments: ["samples/bert-tiny.onnx", ".models/all-MiniLM-L6-v2.onnx"])
    func fixDims(model relative: String) throws {
        let model = Self.root + "/" + relative
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let names = relative.hasPrefix("samples") ? ["batch", "seq"] : ["batch_size", "sequence_length"]
        let out = dir + "/fixed.onnx"
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        let r = try partition([model, "--fix-dims", "\(names[0])=1,\(names[1])=64", "-o", out, "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before, "the input is never modified")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let targets = try #require(report["targets"] as? [[String: Any]])
        let fixed = try #require(report["fixed_model"] as? [String: Any])
        #expect(fixed["path"] as? String == out)
        let after = try #require(fixed["targets"] as? [[String: Any]])
        // The usability checker's targets; OpenVINO and the CPU EP take these models whole as they are.
        for (b, a) in zip(targets, after) where b["checker"] is [String: Any] {
            let rerun = try #require((b["fixed_shapes"] as? [String: Any])?["checker"] as? [String: Any], "\(b["target"]!)")
            // The written model is a different graph (ORT folded the shape computations, fused
            // more with shapes known), so it may do better than the rerun; never worse.
            let order = ["no", "maybe", "yes"]
            let now = order.firstIndex(of: a["verdict"] as? String ?? "") ?? -1, rerunVerdict = order.firstIndex(of: rerun["verdict"] as? String ?? "") ?? 99
            #expect(now >= rerunVerdict, "\(b["target"]!): verdict on the written model \(a["verdict"]!) vs the checker's rerun \(rerun["verdict"]!)")
            let was = try #require(b["supported_nodes"] as? Int), taken = try #require(a["supported_nodes"] as? Int)
            let share = Double(taken) / Double(try #require(a["total_nodes"] as? Int))
            let rerunShare = Double(try #require(rerun["supported_nodes"] as? Int)) / Double(try #require(b["total_nodes"] as? Int))
            #expect(taken > was, "\(b["target"]!): fixing the dims takes more nodes (\(was) → \(taken))")
            #expect(share >= rerunShare - 0.05, "\(b["target"]!): share taken \(share) vs the checker's rerun \(rerunShare)")
        }
        let check = try run(Self.python, ["-c", """
            import sys, onnx, numpy as np, onnxruntime as ort
            orig, fixed, d0, d1 = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
            m = onnx.load(fixed); onnx.checker.check_model(m, full_check=True)
            dims = [[d.dim_value for d in i.type.tensor_type.shape.dim] for i in m.graph.input]
            assert all(d == [1, 64] for d in dims), dims
            rng = np.random.default_rng(0)
            def feed(name):
                if name == 'input_ids': return rng.integers(0, 100, (1, 64)).astype(np.int64)
                return (np.ones if name == 'attention_mask' else np.zeros)((1, 64), np.int64)
            feeds = {i.name: feed(i.name) for i in m.graph.input}
            a = ort.InferenceSession(orig, providers=['CPUExecutionProvider']).run(None, feeds)
            b = ort.InferenceSession(fixed, providers=['CPUExecutionProvider']).run(None, feeds)
            for x, y in zip(a, b): np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-4)
            print('same outputs', len(m.graph.node), 'nodes, no Shape:', not any(n.op_type == 'Shape' for n in m.graph.node))
            """, model, out, names[0], names[1]])
        #expect(check.status == 0 && check.output.contains("same outputs"), "\(check.output)")
        #expect(check.output.contains("no Shape: True"), "ORT folded the shape computations: \(check.output)")
    }

    @Test("--fix-dims refuses to write over the input, an unknown dim, or without -o")
    func fixDimsRefusals() throws {
        let model = Self.root + "/samples/bert-tiny.onnx"
        let same = try partition([model, "--fix-dims", "batch=1", "-o", model])
        #expect(same.status == 64 && same.stderr.contains("is the input model"), "\(same.stderr)")
        let unknown = try partition([model, "--fix-dims", "nope=1", "-o", "/tmp/never.onnx"])
        #expect(unknown.status == 64 && unknown.stderr.contains("nope"), "\(unknown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.onnx"))
        let alone = try partition([model, "--fix-dims", "batch=1"])
        #expect(alone.status == 64 && alone.stderr.contains("go together"), "\(alone.stderr)")
    }

    @Test("--json lists every node with onnxscope's and the checker's decision")
    func jsonNodes() throws {
        let r = try partition([Self.root + "/samples/bert-tiny.onnx", "--json", "--target", "coreml"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let target = try #require((report["targets"] as? [[String: Any]])?.first)
        let nodes = try #require(target["nodes"] as? [[String: Any]])
        #expect(nodes.count == target["total_nodes"] as? Int)
        #expect(nodes.allSatisfy { $0["supported"] is Bool && $0["checker_supported"] is Bool })
        #expect(nodes.filter { $0["supported"] as? Bool == false }.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test("--raw analyses the file as written and says so")
    func raw() throws {
        let r = try partition([Self.root + "/samples/tiny-mlp.onnx", "--raw"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("graph: the model as written (--raw)"), "\(r.stdout)")
    }

    @Test("--measure sets ORT's assignment beside the prediction: OpenVINO with the openvino wheel, a session failure said as such, not measurable without the EP")
    func measure() throws {
        let minilm = try partition([Self.root + "/.models/all-MiniLM-L6-v2.onnx", "--measure", "--target", "openvino", "--target", "cpu", "--json"],
                                   venv: ".venv-openvino")
        try #require(minilm.status == 0, "\(minilm.stderr)")
        #expect(minilm.stderr.contains("measuring OpenVINO CPU"), "progress is shown: \(minilm.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(minilm.stdout.utf8)) as? [String: Any])
        for t in try #require(report["targets"] as? [[String: Any]]) {
            let m = try #require(t["measured"] as? [String: Any], "\(t["target"]!)")
            #expect(m["outcome"] as? String == "assigned")
            #expect((m["mismatches"] as? [Any])?.isEmpty == true, "\(t["target"]!): \(m["mismatches"] ?? "")")
            #expect(m["compared"] as? Int == t["total_nodes"] as? Int)
        }
        let silero = try partition([Self.root + "/.models/silero_vad.onnx", "--measure", "--target", "openvino"], venv: ".venv-openvino")
        #expect(silero.status == 0)
        #expect(silero.stdout.contains("the session FAILED with the OpenVINO EP"), "\(silero.stdout)")
        #expect(silero.stdout.contains("dynamic rank"), "the error's own sentence is kept: \(silero.stdout)")
        let plain = try partition([Self.root + "/samples/tiny-mlp.onnx", "--measure", "--target", "openvino"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("not measured: this ONNX Runtime (1.32.0) has no OpenVINO EP"), "\(plain.stdout)")
        let raw = try partition([Self.root + "/samples/tiny-mlp.onnx", "--measure", "--raw"])
        #expect(raw.status == 64 && raw.stderr.contains("--measure"), "\(raw.stderr)")
    }

    @Test("Bad input: a truncated file (exit 2), an unknown target or dim (exit 64), each named, nothing on stdout")
    func badInput() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/samples/bert-tiny.onnx"))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: dir + "/cut.onnx"))
        let cut = try partition([dir + "/cut.onnx"])
        #expect(cut.status == 2 && cut.stdout.isEmpty)
        #expect(cut.stderr.contains("is not a valid ONNX model"), "\(cut.stderr)")
        let target = try partition([Self.root + "/samples/tiny-mlp.onnx", "--target", "tpu"])
        #expect(target.status == 64 && target.stderr.contains("unknown --target tpu"), "\(target.stderr)")
        let dim = try partition([Self.root + "/samples/bert-tiny.onnx", "--dim", "nope=3"])
        #expect(dim.status == 64 && dim.stderr.contains("nope"), "\(dim.stderr)")
    }
}
