import Foundation
import Testing

/// `onnxscope quantize` as a user runs it: a written model ONNX's checker and ORT accept, plan
/// files that round-trip, and on bad input a message naming the problem with nothing written.
@Suite("Command line: quantize", .serialized)
struct QuantizeCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let model = root + "/samples/tiny-mlp.onnx"
    static var python: String { root + "/.venv/bin/python" }

    /// A folder with `good/` (8 samples), `nan/` (one NaN sample among good ones), `allnan/`,
    /// `wrongkey/` and `wrongshape/`, written by numpy.
    func data() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-qcli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let script = """
            import numpy as np, os, sys
            d = sys.argv[1]
            rng = np.random.default_rng(0)
            for sub in ("good", "nan", "allnan", "wrongkey", "wrongshape", "eval"): os.makedirs(f"{d}/{sub}")
            for k in range(8):
                np.savez(f"{d}/good/{k}.npz", input=rng.standard_normal((1, 16)).astype(np.float32))
                np.savez(f"{d}/nan/{k}.npz", input=rng.standard_normal((1, 16)).astype(np.float32))
                np.savez(f"{d}/eval/{k}.npz", input=rng.standard_normal((1, 16)).astype(np.float32))
            np.savez(f"{d}/nan/bad.npz", input=np.full((1, 16), np.nan, np.float32))
            np.savez(f"{d}/allnan/0.npz", input=np.full((1, 16), np.nan, np.float32))
            np.savez(f"{d}/wrongkey/0.npz", pixel_values=np.zeros((1, 16), np.float32))
            np.savez(f"{d}/wrongshape/0.npz", input=np.zeros((1, 17), np.float32))
            """
        let r = try run(Self.python, ["-c", script, dir])
        try #require(r.status == 0, "\(r.output)")
        return dir
    }

    func quantize(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try runSeparated(try TmuxEndToEndTests.binary(), ["quantize"] + args + ["--ort", Self.root + "/.venv", "--no-cache"])
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    @Test("writes a model onnx.checker and ORT accept; --json reports every int8 node as an ORT integer kernel; plans round-trip")
    func writesAndReports() throws {
        let dir = try data()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/int8.onnx"
        let r = try quantize([Self.model, "-o", out, "--calibration", dir + "/good", "--eval", dir + "/eval", "--json", "--write-plan", dir + "/plan.json"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((report["layers"] as? [Any])?.count == 6, "3 MatMul + 3 Add layers")
        #expect(report["ran_int8"] as? Int == 6, "every int8 layer ran as an ORT integer kernel")
        #expect((report["layers"] as? [[String: Any]])?.first?["m0_q31"] != nil)
        let check = try run(Self.python, ["-c", """
            import sys, onnx, onnxruntime as ort, numpy as np
            m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True)
            s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
            print(s.run(None, {"input": np.ones((1, 16), np.float32)})[0].shape)
            """, out])
        #expect(check.status == 0 && check.output.contains("(1,"), "\(check.output)")

        // Edit the plan: one MatMul float. Replaying it keeps that node float.
        var plan = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/plan.json"))) as? [String: Any])
        var nodes = try #require(plan["nodes"] as? [[String: Any]])
        let k = try #require(nodes.firstIndex { $0["name"] as? String == "/fc2/MatMul" })
        nodes[k]["precision"] = "float"
        plan["nodes"] = nodes
        try JSONSerialization.data(withJSONObject: plan).write(to: URL(fileURLWithPath: dir + "/edited.json"))
        let again = try quantize([Self.model, "-o", dir + "/int8b.onnx", "--calibration", dir + "/good", "--plan", dir + "/edited.json", "--json"])
        try #require(again.status == 0, "\(again.stderr)")
        let r2 = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let fc2 = (r2["nodes"] as? [[String: Any]])?.first { $0["name"] as? String == "/fc2/MatMul" }
        #expect(fc2?["precision"] as? String == "float")
    }

    @Test("Ctrl-C during calibration: exit 130, says so, and writes nothing (no output, no temporary file)")
    func interrupted() throws {
        let calib = Self.root + "/.models/quant/resnet50-sample/calib"
        try #require(FileManager.default.fileExists(atPath: calib), "make quant-data first")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-qint-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("resnet50.onnx").path
        let gen = try run(try TmuxEndToEndTests.binary(), ["sample", "resnet50", "-o", model])
        try #require(gen.status == 0, "\(gen.output)")
        let out = dir.appendingPathComponent("out").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let errPath = dir.appendingPathComponent("stderr.txt").path
        // Spawned with SIGINT unblocked and at its default, as from a shell: the test runner's
        // own signal mask would otherwise be inherited and the interrupt never delivered.
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var none = sigset_t(), interrupt = sigset_t()
        sigemptyset(&none); sigemptyset(&interrupt); sigaddset(&interrupt, SIGINT)
        posix_spawnattr_setsigmask(&attr, &none)
        posix_spawnattr_setsigdefault(&attr, &interrupt)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let args = [try TmuxEndToEndTests.binary(), "quantize", model, "-o", out + "/int8.onnx", "--calibration", calib, "--no-cache", "--ort", Self.root + "/.venv"]
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, args[0], &actions, &attr, &argv, environ) == 0)
        // 32 ResNet-50 images take seconds to calibrate: interrupt in the middle.
        Thread.sleep(forTimeInterval: 4)
        #expect(kill(pid, 0) == 0, "still calibrating when interrupted")
        kill(pid, SIGINT)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let message = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: errPath)
        #expect((status >> 8) & 0xff == 130, "\(status): \(message)")
        #expect(message.contains("interrupted during") && message.contains("nothing was written"), "\(message)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "no output and no temporary file")
    }

    @Test("bad input: a message naming the problem, exit 1, and no output file")
    func badInput() throws {
        let dir = try data()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/never.onnx"
        let cases: [([String], String)] = [
            ([Self.model, "-o", out], "needs calibration data: pass --calibration"),
            ([Self.model, "-o", out, "--calibration", dir + "/wrongkey"], "'pixel_values' is not an input of the model (its inputs: input)"),
            ([Self.model, "-o", out, "--calibration", dir + "/wrongshape"], "input 'input' has shape [1, 17]"),
            ([Self.model, "-o", out, "--calibration", dir + "/allnan"], "no usable calibration sample"),
            ([Self.model, "-o", out, "--calibration", dir + "/missing"], "no such file or folder"),
            ([Self.model, "-o", out, "--calibration", dir + "/good", "--exclude", "/fc9/MatMul"], "no node named '/fc9/MatMul'"),
            ([Self.model, "-o", out, "--calibration", dir + "/good", "--target-sqnr", "30"], "pass --eval PATH"),
            ([Self.model, "-o", Self.model, "--calibration", dir + "/good"], "is the input model"),
        ]
        let before = try Data(contentsOf: URL(fileURLWithPath: Self.model))
        for (args, message) in cases {
            let r = try quantize(args)
            #expect(r.status == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(args) wrote \(out)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.model)) == before, "the input model was modified")
        // A NaN sample among good ones is reported and skipped.
        let r = try quantize([Self.model, "-o", out, "--calibration", dir + "/nan"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("skipped calibration sample") && r.stdout.contains("NaN"), "\(r.stdout)")
        // A truncated model.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.model))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir + "/cut.onnx"))
        let cut = try quantize([dir + "/cut.onnx", "-o", dir + "/cut-int8.onnx", "--calibration", dir + "/good"])
        #expect(cut.status == 1 && cut.stderr.contains("cut.onnx"), "\(cut.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/cut-int8.onnx"))
    }

    @Test("a model with external data quantizes into another folder; weights left float are copied in, and ORT runs it")
    func externalData() throws {
        let dir = try data()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let prep = try run(Self.python, ["-c", """
            import onnx, sys, os
            m = onnx.load(sys.argv[1]); os.makedirs(sys.argv[2] + "/src")
            onnx.save_model(m, sys.argv[2] + "/src/mlp.onnx", save_as_external_data=True, all_tensors_to_one_file=True, location="mlp.data", size_threshold=0)
            """, Self.model, dir])
        try #require(prep.status == 0, "\(prep.output)")
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        let r = try quantize([dir + "/src/mlp.onnx", "-o", dir + "/out/int8.onnx", "--calibration", dir + "/good", "--exclude", "/fc2/MatMul"])
        try #require(r.status == 0, "\(r.stderr)")
        let check = try run(Self.python, ["-c", """
            import sys, onnx, onnxruntime as ort, numpy as np
            onnx.checker.check_model(sys.argv[1], full_check=True)
            s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
            print(s.run(None, {"input": np.ones((1, 16), np.float32)})[0].shape)
            """, dir + "/out/int8.onnx"])
        #expect(check.status == 0 && check.output.contains("(1, 10)"), "\(check.output)")
    }

    @Test("--external-data (automatic past protobuf's 2 GB): tensors in OUT.onnx.data, sessions opened from the file, same outputs in ORT; never over the input's data file")
    func writesExternalData() throws {
        let dir = try data()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same weight bits in both (with --eval they would be measured, and could differ).
        let inline = try quantize([Self.model, "-o", dir + "/inline.onnx", "--calibration", dir + "/good", "--reduce-range", "off"])
        try #require(inline.status == 0, "\(inline.stderr)")
        // --eval makes every later step (evaluation, per-layer errors, kernel check) open the file form.
        let r = try quantize([Self.model, "-o", dir + "/ext.onnx", "--calibration", dir + "/good", "--eval", dir + "/eval", "--external-data", "--json", "--reduce-range", "off"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(report["ran_int8"] as? Int == 6, "ORT built every integer kernel from the file form")
        #expect((report["notes"] as? [String])?.contains { $0.contains("ext.onnx.data") } == true, "\(report["notes"] ?? "")")
        let check = try run(Self.python, ["-c", """
            import sys, os, onnx, onnxruntime as ort, numpy as np
            ext, inl = sys.argv[1], sys.argv[2]
            onnx.checker.check_model(ext, full_check=True)
            m = onnx.load(ext, load_external_data=False)
            external = [t.name for t in m.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
            x = np.random.default_rng(3).standard_normal((4, 16)).astype(np.float32)
            run = lambda p: ort.InferenceSession(p, providers=["CPUExecutionProvider"]).run(None, {"input": x[:1]})[0]
            print(len(external) > 0, os.path.getsize(ext) < os.path.getsize(inl), bool((run(ext) == run(inl)).all()))
            """, dir + "/ext.onnx", dir + "/inline.onnx"])
        #expect(check.status == 0 && check.output.hasPrefix("True True True"), "\(check.output)")

        // A model whose external data is `mlp.onnx.data`: `-o mlp.onnx`'s data file would be
        // that file (via another folder's symlink too): refused, the input's data untouched.
        let prep = try run(Self.python, ["-c", """
            import onnx, sys, os
            m = onnx.load(sys.argv[1]); os.makedirs(sys.argv[2] + "/src")
            onnx.save_model(m, sys.argv[2] + "/src/a.onnx", save_as_external_data=True, all_tensors_to_one_file=True, location="b.onnx.data", size_threshold=0)
            """, Self.model, dir])
        try #require(prep.status == 0, "\(prep.output)")
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/src/b.onnx.data"))
        let clash = try quantize([dir + "/src/a.onnx", "-o", dir + "/src/b.onnx", "--calibration", dir + "/good"])
        #expect(clash.status == 1 && clash.stderr.contains("would replace the input's external data"), "\(clash.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/src/b.onnx.data")) == before)
        #expect(!FileManager.default.fileExists(atPath: dir + "/src/b.onnx"))
    }

    @Test("--speed-check times every kind of int8 node against float on a real sample; a kind is kept float exactly when it measured ≥ 3 % faster, and the plan says why")
    func speedCheck() throws {
        let dir = try data()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try quantize([Self.model, "-o", dir + "/int8.onnx", "--calibration", dir + "/good", "--eval", dir + "/eval", "--speed-check", "--json"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let speed = try #require(report["speed_check"] as? [String: Any])
        let trials = try #require(speed["trials"] as? [[String: Any]])
        #expect(Set(trials.compactMap { $0["kind"] as? String }) == ["MatMul", "Add"], "\(trials)")
        let nodes = Dictionary(uniqueKeysWithValues: (report["nodes"] as! [[String: Any]]).map { ($0["name"] as! String, $0) })
        var keptFloat = Set<String>()
        for t in trials {
            let a = t["int8_ms"] as! Double, b = t["float_ms"] as! Double, kept = t["kept_float"] as! Bool
            #expect(a > 0 && b > 0)
            #expect(kept == (b < a * (1 - 0.03)), "\(t)")
            if kept { keptFloat.formUnion(t["nodes"] as! [String]) }
        }
        #expect(Set(speed["float_nodes"] as! [String]) == keptFloat)
        for n in keptFloat {
            #expect(nodes[n]?["precision"] as? String == "float" && (nodes[n]?["reason"] as? String)?.contains("--speed-check") == true, "\(n): \(nodes[n] ?? [:])")
        }
    }
}
