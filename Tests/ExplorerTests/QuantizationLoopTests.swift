import Foundation
import Testing
@testable import Explorer
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Workbench

/// Q and the palette drive the quantization loop; the status bar, inspector and `save` show
/// its results. Runs the real ORT of the project venv on the tiny MLP sample.
@Suite("Quantization loop in the explorer", .serialized)
struct QuantizationLoopTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func app() throws -> (ExplorerApp, String) {
        let model = try Model.load(path: Self.root + "/samples/tiny-mlp.onnx")
        let dir = NSTemporaryDirectory() + "onnxscope-qloop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/cal", withIntermediateDirectories: true)
        var rng = SeededRandom(seed: 4)
        for k in 0..<8 { try NpyFile.write(HostTensor(rng.normals(16, std: 1), shape: [1, 16]), path: "\(dir)/cal/\(k).npy") }
        let app = ExplorerApp(document: Document(model: model, path: Self.root + "/samples/tiny-mlp.onnx"))
        let library = try OrtLibrary.load(explicitPath: Self.root + "/.venv")
        app.makeQuantizationJob = { [dir] in
            var job = Quantizer.Job(model: model)
            job.calibration = [dir + "/cal"]
            job.evaluation = [dir + "/cal"]
            job.cachePath = ""
            return QuantizationJob(job: job, library: library)
        }
        return (app, dir)
    }

    func settle(_ app: ExplorerApp) {
        _ = app.quantizationJob?.waitUntilIdle(timeout: 120)
        app.refreshQuantization()
    }

    @Test("Q on a node builds a variant with it float; the status bar and inspector say so; save writes model and plan")
    func toggleAndSave() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        app.perform(.toggleQuantization)          // no plan yet: starts calibrating
        settle(app)
        s.draw()
        #expect(s.text.contains("int8 6/6 kernels"), "\(s.lines.last ?? "")")
        let main = app.document.scope(0)
        let fc2 = try #require((0..<main.nodeCount).first { main.displayName($0) == "/fc2/MatMul" })
        app.go(to: Location(scope: 0, item: .node(fc2)), recordJump: false)
        s.press(.char("Q"))
        #expect(app.state.planRequest.exclude == ["/fc2/MatMul"])
        settle(app)
        s.draw()
        #expect(app.state.quantization?.plan?.decision(named: "/fc2/MatMul")?.precision == .float)
        #expect(s.text.contains("int8 5/5 kernels"), "\(s.lines.last ?? "")")
        #expect(s.text.contains("plan    float (Q switches)"))
        s.press(.char("Q"))                       // and back
        settle(app)
        #expect(app.state.quantization?.plan?.decision(named: "/fc2/MatMul")?.precision == .int8)

        app.state.palette = PaletteState(); s.type("save \(dir)/int8.onnx"); s.press(.enter)
        #expect(FileManager.default.fileExists(atPath: dir + "/int8.onnx") && FileManager.default.fileExists(atPath: dir + "/int8.plan.json"),
                "\(app.state.message?.text ?? "")")
        app.state.palette = PaletteState(); s.type("save \(dir)/int8.onnx"); s.press(.enter)
        #expect(app.state.message?.kind == .error, "never over an existing file")
        let saved = try Model.load(path: dir + "/int8.onnx")
        #expect(saved.graph.nodes.contains { $0.opType == "QuantizeLinear" })

        app.state.palette = PaletteState(); s.type("float op MatMul"); s.press(.enter)
        settle(app)
        let plan = try #require(app.state.quantization?.plan)
        #expect(plan.decisions.filter { $0.opType == "MatMul" }.allSatisfy { $0.precision == .float })
    }

    @Test("Q on a folded group switches every quantizable layer inside: all to float when all are int8, then all back to int8")
    func toggleGroup() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        app.perform(.toggleQuantization)
        settle(app)
        let grouping = app.document.groupings[0]
        let fc2 = try #require(grouping.paths.firstIndex(of: "/fc2"))
        app.state.collapsed[0] = [fc2]
        app.state.selection = .group(fc2)
        s.draw()
        s.press(.char("Q"))
        #expect(app.state.planRequest.exclude == ["/fc2/MatMul", "/fc2/Add"], "\(app.state.planRequest)")
        #expect(app.state.message?.text.contains("/fc2: 2 layers → float") == true, "\(app.state.message?.text ?? "")")
        settle(app)
        let plan = try #require(app.state.quantization?.plan)
        #expect(plan.decision(named: "/fc2/MatMul")?.precision == .float && plan.decision(named: "/fc2/Add")?.precision == .float)
        #expect(plan.decision(named: "/fc1/MatMul")?.precision == .int8)
        app.state.selection = .group(fc2)
        s.press(.char("Q"))
        #expect(app.state.planRequest.exclude.isEmpty && app.state.planRequest.include == ["/fc2/MatMul", "/fc2/Add"])
        settle(app)
        #expect(app.state.quantization?.plan?.decision(named: "/fc2/MatMul")?.precision == .int8)
    }

    @Test("w writes MODEL.int8.onnx and its plan beside the model, then MODEL.int8-2.onnx; the model is untouched")
    func writeKey() throws {
        let (app0, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same loop on a copy of the sample in the temp folder, so `w` writes there.
        let copy = dir + "/mlp.onnx"
        try FileManager.default.copyItem(atPath: Self.root + "/samples/tiny-mlp.onnx", toPath: copy)
        let before = try Data(contentsOf: URL(fileURLWithPath: copy))
        let app = ExplorerApp(document: Document(model: try Model.load(path: copy), path: copy))
        app.makeQuantizationJob = app0.makeQuantizationJob
        let s = Screen(app, width: 160, height: 50)
        s.press(.char("w"))
        #expect(app.state.message?.text.contains("nothing to save yet") == true)
        app.perform(.toggleQuantization)
        settle(app)
        s.press(.char("w"))
        #expect(FileManager.default.fileExists(atPath: dir + "/mlp.int8.onnx") && FileManager.default.fileExists(atPath: dir + "/mlp.int8.plan.json"),
                "\(app.state.message?.text ?? "")")
        s.press(.char("w"))
        #expect(FileManager.default.fileExists(atPath: dir + "/mlp.int8-2.onnx"), "\(app.state.message?.text ?? "")")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == before, "the open model is never modified")
        #expect(try Model.load(path: dir + "/mlp.int8-2.onnx").graph.nodes.contains { $0.opType == "QuantizeLinear" })
    }

    @Test("the Error view (5) ranks quantized values worst first; Q there keeps a value's int8 nodes float; Enter shows its writer with the error tint")
    func errorView() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        s.press(.char("5"))
        #expect(s.text.contains("No int8 variant yet."))
        app.perform(.toggleQuantization)
        settle(app)
        s.draw()
        let errors = try #require(app.state.quantization?.layerErrors)
        #expect(!errors.isEmpty)
        #expect(errors.map(\.propagatedSQNR) == errors.map(\.propagatedSQNR).sorted(), "worst first")
        #expect(s.text.contains("Values by error (\(errors.count))"), "\(s.text)")
        #expect(s.text.contains(String(format: "%.1f dB", errors[0].propagatedSQNR)))
        // The selected value's float and int8 histograms, and their difference's.
        app.requestComparisonIfNeeded()
        settle(app)
        let c = try #require(app.state.quantization?.comparison)
        #expect(c.tensor == errors[0].tensor && c.samples > 0)
        #expect(c.floatBins.reduce(0, +) == c.float.count && c.int8Bins.reduce(0, +) == c.int8.count)
        #expect(c.difference.std > 0, "int8 differs from float somewhere")
        s.draw()
        #expect(s.text.contains("values on ") && s.text.contains("  diff  "), "\(s.text)")
        // Q on the worst value that has int8 nodes of its own.
        let k = try #require(errors.firstIndex { !$0.int8Nodes.isEmpty })
        app.state.errorList.selected = k
        s.press(.char("Q"))
        #expect(app.state.planRequest.exclude == Set(errors[k].int8Nodes))
        settle(app)
        let plan = try #require(app.state.quantization?.plan)
        #expect(errors[k].int8Nodes.allSatisfy { plan.decision(named: $0)?.precision == .float })
        // Enter: the writer in the graph, tinted by error, the inspector giving its figures.
        let after = try #require(app.state.quantization?.layerErrors)
        let row = try #require(after.firstIndex { !$0.node.isEmpty })
        app.state.errorList.selected = row
        s.press(.enter)
        #expect(app.state.view == .graph && app.state.tint == .error)
        s.draw()
        #expect(s.text.contains("propagated") && s.text.contains(" dB"), "the inspector shows the node's error")
        #expect(s.text.contains("output SQNR:"), "the legend explains the tint")
    }

    @Test(":fallback sqnr DB searches in the background; its plan becomes the one Q edits")
    func fallbackFromExplorer() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        app.state.palette = PaletteState(); s.type("fallback sqnr 30"); s.press(.enter)
        #expect(app.state.message?.text.contains("needs a measured int8 variant") == true, "\(app.state.message?.text ?? "")")
        app.perform(.toggleQuantization)
        settle(app)
        let allInt8 = try #require(app.state.quantization?.evaluation?.sqnrDB)
        // A target above the all-int8 figure: some nodes must go float.
        let target = (allInt8 + 3).rounded(.up)
        app.state.palette = PaletteState(); s.type("fallback sqnr \(Int(target))"); s.press(.enter)
        settle(app)
        app.refreshQuantization()
        let q = try #require(app.state.quantization)
        let f = try #require(q.fallback)
        #expect(!f.floatNodes.isEmpty && !f.trials.isEmpty)
        #expect(app.state.planRequest.fallback == Set(f.floatNodes), "the explorer adopts the search's plan")
        #expect(app.state.message?.text.contains("fallback:") == true, "\(app.state.message?.text ?? "")")
        if f.met { #expect(try #require(q.evaluation).sqnrDB >= target) }
        // Q on a node the search kept float brings it back to int8.
        let name = f.floatNodes[0]
        let main = app.document.scope(0)
        let n = try #require((0..<main.nodeCount).first { main.displayName($0) == name })
        app.go(to: Location(scope: 0, item: .node(n)), recordJump: false)
        s.press(.char("Q"))
        #expect(!app.state.planRequest.fallback.contains(name) && app.state.planRequest.include.contains(name))
        settle(app)
        #expect(app.state.quantization?.plan?.decision(named: name)?.precision == .int8)
    }

    @Test(":live int8 makes the live run follow each int8 variant; :live float goes back to the file")
    func liveFollowsInt8() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let s = Screen(app, width: 160, height: 50)
        let runtime = RecordingRuntime()
        app.liveRuntime = runtime
        app.state.palette = PaletteState(); s.type("live int8"); s.press(.enter)
        #expect(runtime.models.isEmpty && app.state.message?.text.contains("once a variant is built") == true)
        app.perform(.toggleQuantization)
        settle(app)
        guard case .bytes(let first)? = runtime.models.last else { Issue.record("\(runtime.models)"); return }
        #expect(first == app.state.quantization?.modelBytes)
        app.refreshQuantization()
        #expect(runtime.models.count == 1, "the same variant is not fed twice")
        let main = app.document.scope(0)
        let fc2 = try #require((0..<main.nodeCount).first { main.displayName($0) == "/fc2/MatMul" })
        app.go(to: Location(scope: 0, item: .node(fc2)), recordJump: false)
        s.press(.char("Q"))
        settle(app)
        #expect(runtime.models.count == 2, "a new variant replaces the live session")
        app.state.palette = PaletteState(); s.type("live float"); s.press(.enter)
        guard case .path(let p)? = runtime.models.last else { Issue.record("\(runtime.models)"); return }
        #expect(p == Self.root + "/samples/tiny-mlp.onnx")
    }

    @Test("a real live run on the float model, then :live int8: each node's kernel time is kept per precision, and the inspector shows both")
    func measuredBothWays() throws {
        let (app, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let library = try OrtLibrary.load(explicitPath: Self.root + "/.venv")
        var schedule = LiveSchedule()
        schedule.publishInterval = 0.05
        schedule.profileEvery = 2
        schedule.minProfileInterval = 0.01
        schedule.profilingShare = 0.5
        let generator = InputGenerator(dimValues: [:], vocabularySizes: [:], seed: 1)
        let runner = LiveRunner(model: .path(Self.root + "/samples/tiny-mlp.onnx"), library: library, configuration: SessionConfiguration(),
                                inputs: .generated(generator, given: [:]), schedule: schedule)
        defer { runner.stop(); runner.waitUntilStopped(timeout: 10) }
        app.liveRuntime = runner
        let s = Screen(app, width: 160, height: 100)
        /// Polls the runner and the job until `done` holds (as the run loop would).
        func poll(_ what: String, _ done: () -> Bool) {
            let deadline = Date().addingTimeInterval(60)
            while !done() && Date() < deadline {
                app.refreshLiveRuntime()
                app.refreshQuantization()
                Thread.sleep(forTimeInterval: 0.02)
            }
            #expect(done(), "\(what): \(app.state.runtime.phase) \(app.state.measured.nodes)")
        }
        runner.start()
        poll("float times") { app.state.measured["/fc1/MatMul"]?.floatMicroseconds != nil }
        app.perform(.toggleQuantization)
        settle(app)
        app.state.palette = PaletteState(); s.type("live int8"); s.press(.enter)
        poll("int8 times") { app.state.measured["/fc1/MatMul"]?.int8Microseconds != nil }
        let fc1 = try #require(app.state.measured["/fc1/MatMul"])
        #expect((fc1.floatMicroseconds ?? 0) > 0 && (fc1.int8Microseconds ?? 0) > 0)
        let main = app.document.scope(0)
        let key = try #require((0..<main.nodeCount).first { main.displayName($0) == "/fc1/MatMul" })
        app.go(to: Location(scope: 0, item: .node(key)), recordJump: false)
        s.draw()
        #expect(s.text.contains("kernel  float ") && s.text.contains(" int8 ") && s.text.contains(" as int8"), "\(s.text)")
    }

    @Test(":calibrate PATH eval PATH gives the int8 loop its data while browsing; a missing path is named and changes nothing")
    func calibrateLater() throws {
        let (_, dir) = try app()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Model.load(path: Self.root + "/samples/tiny-mlp.onnx")
        let app = ExplorerApp(document: Document(model: model, path: Self.root + "/samples/tiny-mlp.onnx"))
        let library = try OrtLibrary.load(explicitPath: Self.root + "/.venv")
        app.makeQuantizationJobForData = { calibration, evaluation in
            var job = Quantizer.Job(model: model)
            job.calibration = calibration
            job.evaluation = evaluation
            job.cachePath = ""
            return QuantizationJob(job: job, library: library)
        }
        let s = Screen(app, width: 160, height: 50)
        s.press(.char("Q"))
        #expect(app.state.message?.text.contains(":calibrate PATH") == true)
        app.state.palette = PaletteState(); s.type("calibrate \(dir)/nothing-here"); s.press(.enter)
        #expect(app.state.message?.kind == .error && app.state.message?.text.contains("nothing-here") == true)
        #expect(app.quantizationJob == nil)
        app.state.palette = PaletteState(); s.type("calibrate \(dir)/cal eval \(dir)/cal"); s.press(.enter)
        #expect(app.state.message?.text.contains("calibrating on 1 path, evaluating on 1") == true, "\(app.state.message?.text ?? "")")
        settle(app)
        s.draw()
        #expect(s.text.contains("int8 6/6 kernels"), "\(s.lines.last ?? "")")
        #expect(app.state.quantization?.layerErrors.isEmpty == false, "eval samples give the error figures")
    }

    @Test("without calibration data, Q says how to give it")
    func noCalibration() {
        let app = ExplorerApp(document: Fixtures.bertTiny)
        app.perform(.toggleQuantization)
        #expect(app.state.message?.text.contains("--calibration") == true && app.state.message?.text.contains(":calibrate") == true)
    }
}
