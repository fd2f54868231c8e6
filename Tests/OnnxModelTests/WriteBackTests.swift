import Foundation
import Testing
@testable import OnnxModel

/// Models we read and write back must run in ONNX Runtime with identical outputs: checked on
/// the model-zoo networks that ship inside the onnx package and on our committed samples.
@Suite("Written models run in ORT with identical outputs")
struct WriteBackTests {
    /// The model zoo that ships inside the onnx package, in whichever Python the venv has.
    static let lightDir: String = {
        let lib = ReferencePython.repoRoot.appendingPathComponent(".venv/lib").path
        let python = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).first { $0.hasPrefix("python3") } ?? "python3"
        return lib + "/" + python + "/site-packages/onnx/backend/test/data/light"
    }()
    static let samplesDir = ReferencePython.repoRoot.appendingPathComponent("samples").path

    static var models: [String] {
        let light = ((try? FileManager.default.contentsOfDirectory(atPath: lightDir)) ?? [])
            .filter { $0.hasSuffix(".onnx") }.sorted().map { lightDir + "/" + $0 }
        let samples = ((try? FileManager.default.contentsOfDirectory(atPath: samplesDir)) ?? [])
            .filter { $0.hasSuffix(".onnx") && !$0.hasPrefix("resnet50") && !$0.hasPrefix("bert-base") && !$0.hasPrefix("mobilenet") }
            .sorted().map { samplesDir + "/" + $0 }
        return light + samples
    }

    @Test("the model-zoo and sample models are present")
    func present() {
        #expect(Self.models.filter { $0.contains("/light/") }.count >= 8, "run `make venv` (onnx ships the light model zoo)")
        #expect(Self.models.count >= 10)
    }

    @Test("decode → serialize keeps the protobuf identical and ORT's outputs bit-identical", .timeLimit(.minutes(5)))
    func writeBack() throws {
        let dir = TempDir()
        var pairs: [String] = []
        for (i, path) in Self.models.enumerated() {
            let model = try Model.load(path: path)
            let out = dir.file("rewritten_\(i).onnx")
            try model.write(to: out)
            pairs += [path, out]
        }
        let report = try ReferencePython.run("""
            import sys, onnx, numpy as np, onnxruntime as ort
            args = sys.argv[1:]
            bad = []
            for orig, ours in zip(args[0::2], args[1::2]):
                a, b = onnx.load(orig), onnx.load(ours)
                if a != b:
                    bad.append(orig + ": protobuf differs after our round trip")
                    continue
                onnx.checker.check_model(b)
                sa = ort.InferenceSession(orig, providers=["CPUExecutionProvider"])
                sb = ort.InferenceSession(ours, providers=["CPUExecutionProvider"])
                rng = np.random.default_rng(0)
                feeds = {}
                for inp in sa.get_inputs():
                    shape = [d if isinstance(d, int) else 2 for d in inp.shape]
                    if "int64" in inp.type:
                        feeds[inp.name] = rng.integers(0, 2, size=shape).astype(np.int64)
                    elif "bool" in inp.type:
                        feeds[inp.name] = rng.integers(0, 2, size=shape).astype(bool)
                    else:
                        feeds[inp.name] = rng.standard_normal(shape).astype(np.float32)
                oa, ob = sa.run(None, feeds), sb.run(None, feeds)
                for x, y in zip(oa, ob):
                    if not np.array_equal(np.asarray(x), np.asarray(y)):
                        bad.append(orig + ": outputs differ")
            print("\\n".join(bad) if bad else "ok %d" % (len(args) // 2))
            """, pairs)
        #expect(report.trimmingCharacters(in: .whitespacesAndNewlines) == "ok \(pairs.count / 2)")
    }
}
