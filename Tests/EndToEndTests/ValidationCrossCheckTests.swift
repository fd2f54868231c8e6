import Foundation
import ModelSamples
import Testing

/// `info` against the reference tools, on the same files: every hostile model (and its valid
/// neighbours) goes through `onnx.checker.check_model(path, full_check=True)` and an ONNX
/// Runtime `InferenceSession`, then through the real `onnxscope info --json`.
///
/// Wherever either tool refuses a file, `info` must report a problem; wherever ORT refuses
/// it, `info` must exit 2 (save for custom-op domains, which ORT loads once a custom-op
/// library is registered); wherever both accept it, `info` must exit 0 without errors.
@Suite("info agrees with onnx.checker and ONNX Runtime on hostile models", .serialized)
struct ValidationCrossCheckTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Verdicts of both tools, one JSON object per path: the error text, or null when accepted.
    static let referenceScript = """
        import json, sys, onnx, onnxruntime as ort
        so = ort.SessionOptions()
        so.log_severity_level = 4
        out = {"ort_version": ort.__version__, "onnx_version": onnx.__version__, "models": {}}
        for path in sys.argv[1:]:
            v = {}
            try:
                onnx.checker.check_model(path, full_check=True); v["checker"] = None
            except Exception as e:
                v["checker"] = f"{type(e).__name__}: {e}"[:300]
            try:
                ort.InferenceSession(path, so, providers=["CPUExecutionProvider"]); v["ort"] = None
            except Exception as e:
                v["ort"] = f"{type(e).__name__}: {e}"[:300]
            out["models"][path] = v
        print(json.dumps(out))
        """

    struct Verdict { var checker: String?; var ort: String? }

    static func referenceVerdicts(_ paths: [String]) throws -> (ort: String, models: [String: Verdict]) {
        let python = repoRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw E2EError("reference Python missing at \(python): run `make venv`")
        }
        let r = try capture(python, ["-c", referenceScript] + paths)
        guard r.status == 0, let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let models = obj["models"] as? [String: [String: Any]] else {
            throw E2EError("reference tools failed (\(r.status)): \(r.stderr.suffix(2000))")
        }
        return (obj["ort_version"] as? String ?? "?", models.mapValues { Verdict(checker: $0["checker"] as? String, ort: $0["ort"] as? String) })
    }

    @Test("hostile models: wherever onnx or ORT refuses, info reports it (exit 2 where ORT refuses)")
    func hostileModels() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-crosscheck-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var files: [(name: String, path: String, valid: Bool)] = []
        for c in HostileModels.all {
            let dir = root + "/" + c.name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            files.append((c.name, try c.write(in: dir), c.isValid))
        }
        try crossCheck(files)
    }

    /// The models the onnx package ships for its backend tests (the light model zoo, the
    /// PyTorch-converted and operator tests, the simple ones): real exporters' output, most of
    /// it valid, so anything `info` calls an error there must be refused by ORT too.
    @Test("onnx's own test models: info agrees with both tools, with no false errors")
    func onnxTestModels() throws {
        let lib = Self.repoRoot.appendingPathComponent(".venv/lib").path
        let python = ((try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []).first { $0.hasPrefix("python3") } ?? "python3"
        let data = lib + "/" + python + "/site-packages/onnx/backend/test/data"
        let found = (FileManager.default.enumerator(atPath: data)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".onnx") }.sorted()
        #expect(found.count > 100, "the onnx package's test models are missing under \(data): run `make venv`")
        try crossCheck(found.map { (name: $0, path: data + "/" + $0, valid: false) })
    }

    /// ORT failures raised while constructing a kernel (a string normalizer asking for a locale
    /// this machine does not have, say) are about the machine, not the file: not expected of
    /// `info`, which never builds kernels.
    static func isKernelSetupFailure(_ ort: String) -> Bool { ort.contains("/core/providers/") }

    func crossCheck(_ files: [(name: String, path: String, valid: Bool)]) throws {
        let bin = try TmuxEndToEndTests.binary()
        let reference = try Self.referenceVerdicts(files.map(\.path))
        print("reference: onnxruntime \(reference.ort)")
        for f in files {
            let verdict = try #require(reference.models[f.path])
            let r = try capture(bin, ["info", f.path, "--json"])
            let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            // Shape-inference findings do not count as reporting a refusal.
            let problems = ((obj?["problems"] as? [[String: Any]]) ?? []).filter {
                !["shapeMismatch", "invalidShape"].contains($0["kind"] as? String ?? "")
            }
            let errors = problems.filter { $0["severity"] as? String == "error" }
            let said = problems.map { "\($0["severity"] ?? "?"): \($0["message"] ?? "?")" }.joined(separator: "\n    ")
            print("[\(f.name)] checker: \(verdict.checker ?? "ok")\n    ort: \(verdict.ort ?? "ok")\n    info (exit \(r.status)): \(said.isEmpty ? "no problems" : said)")
            let ort = verdict.ort.flatMap { Self.isKernelSetupFailure($0) ? nil : $0 }

            #expect(r.status == (errors.isEmpty ? 0 : 2), "\(f.name): exit \(r.status) with errors \(errors.count)")
            if f.valid {
                #expect(verdict.checker == nil && verdict.ort == nil, "\(f.name) is meant to be valid: \(verdict)")
            }
            if verdict.checker != nil || ort != nil {
                #expect(!problems.isEmpty, "\(f.name): refused (\(verdict)) but info reports nothing")
            }
            if let ort {
                let customOnly = !problems.isEmpty && problems.allSatisfy { $0["kind"] as? String == "unknownDomain" }
                #expect(r.status == 2 || customOnly, "\(f.name): ORT refuses (\(ort)) but info exits \(r.status)")
            }
            if verdict.checker == nil && verdict.ort == nil {
                #expect(r.status == 0 && errors.isEmpty, "\(f.name): both tools accept it but info says \(said)")
            }
        }
    }

    @Test("a refused model prints the summary, then a one-line reason naming the problem, and exits 2")
    func oneLineReason() throws {
        let bin = try TmuxEndToEndTests.binary()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-reason-\(getpid())").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let c = try #require(HostileModels.all.first { $0.name == "external-etc-passwd" })
        let r = try capture(bin, ["info", try c.write(in: root)])
        #expect(r.status == 2)
        #expect(r.stdout.contains("problems\n  error: initializer 'w': external data location '../../etc/passwd' leaves the model's folder"), "\(r.stdout)")
        #expect(r.stderr.hasPrefix("onnxscope: ") && r.stderr.contains("is not a valid ONNX model: initializer 'w'"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        // A warning alone keeps exit 0.
        let w = try #require(HostileModels.all.first { $0.name == "unsorted-nodes" })
        let dir = root + "/w"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let rw = try capture(bin, ["info", try w.write(in: dir)])
        #expect(rw.status == 0 && rw.stdout.contains("warning: nodes are not in topological order"), "\(rw.stdout)")
    }
}

/// Runs `path` with `args`, stdout and stderr kept apart (unlike ``run(_:_:)``, which merges
/// them as a terminal would): JSON output must stay parseable.
func capture(_ path: String, _ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = FileManager.default.temporaryDirectory
    let out = dir.appendingPathComponent("onnxscope-capture-\(UUID().uuidString).out")
    let err = dir.appendingPathComponent("onnxscope-capture-\(UUID().uuidString).err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.standardInput = FileHandle.nullDevice
    // Files, not pipes: a big output cannot fill a pipe buffer and stall the child.
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: err)
    try p.run()
    p.waitUntilExit()
    return (p.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "", (try? String(contentsOf: err, encoding: .utf8)) ?? "")
}
