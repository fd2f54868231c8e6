import Foundation
import Testing
@testable import Explorer
import OnnxModel
import OnnxRuntimeKit
@testable import Quantization
import Workbench

/// `O`: ORT's optimized graph in place of the model, written by the real ORT of the project
/// venv, with live kernel times on its nodes and links back and forth.
@Suite("ORT's graph in the explorer", .serialized)
struct OrtGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let path = root + "/samples/tiny-mlp.onnx"

    func app() throws -> (ExplorerApp, OrtLibrary) {
        let model = try Model.load(path: Self.path)
        let app = ExplorerApp(document: Document(model: model, path: Self.path))
        let library = try OrtLibrary.load(explicitPath: Self.root + "/.venv")
        app.makeOptimizedGraphJob = { OptimizedGraphJob(library: library, source: .path(Self.path), graph: model.graph) }
        return (app, library)
    }

    func select(_ app: ExplorerApp, _ name: String) throws {
        let main = app.document.scope(0)
        let n = try #require((0..<main.nodeCount).first { main.displayName($0) == name })
        app.go(to: Location(scope: 0, item: .node(n)), recordJump: false)
    }

    @Test("O shows ORT's graph with each node linked to the model nodes it stands for; model commands wait; O goes back to the anchor")
    func backAndForth() throws {
        let (app, _) = try app()
        let s = Screen(app, width: 150, height: 60)
        try select(app, "/relu1/Relu")
        s.press(.char("O"))
        #expect(app.state.ortGraphPending && app.state.message?.text.contains("ORT is writing its optimized graph (all)") == true)
        #expect(app.optimizedGraphJob?.waitUntilIdle(timeout: 60) == true)
        app.refreshOrtGraph()
        s.draw()
        #expect(s.lines[0].contains("ORT graph (all, CPU) of tiny-mlp.onnx"), "\(s.lines[0])")
        let ort = app.document.scope(0)
        #expect(ort.nodeCount < 8, "MatMul+Add(+Relu) fused")
        // The selection followed: the ORT node standing for /relu1/Relu.
        let selected = try #require(app.selectedNode)
        #expect(ort.node(selected.node).opType == "FusedGemm", "\(ort.node(selected.node))")
        #expect(s.text.contains("In the model") && s.text.contains("covers  3 model nodes"), "\(s.text)")
        #expect(s.text.contains("/fc1/MatMul") && s.text.contains("/relu1/Relu"))
        s.press(.char("Q"))
        #expect(app.state.message?.text.contains("works on the model, not on ORT's graph") == true)
        app.state.palette = PaletteState(); s.type("quantize all"); s.press(.enter)
        #expect(app.state.message?.text.contains("works on the model") == true)

        s.press(.char("O"))
        #expect(app.document.path == Self.path)
        #expect(app.selectedNode.map { app.document.displayName($0) } == "/fc1/MatMul", "back at the node ORT's node is anchored at")
        s.draw()
        #expect(s.text.contains("In ORT's graph (all)") && s.text.contains("runs as FusedGemm"), "\(s.text)")
        #expect(s.text.contains("with 2 other model nodes fused in"))
        // The ORT graph is kept: O shows it again at once; a second result arriving while it is
        // shown (a second O raced the job) changes nothing.
        s.press(.char("O"))
        #expect(!app.state.ortGraphPending && app.document.path == nil)
        let shown = try #require(app.optimizedGraphJob?.snapshot.result)
        app.enterOrtGraph(shown)
        s.press(.char("O"))
        #expect(app.document.path == Self.path && app.ortGraph == nil, "one O goes back to the model, whatever raced")
        // Other settings (a fixed dim) are another graph: O asks ORT again.
        app.launchConfiguration = { var c = SessionConfiguration(); c.freeDimensionOverrides = ["batch": 1]; return c }()
        s.press(.char("O"))
        #expect(app.state.ortGraphPending, "a graph written for other settings is not reused")
        #expect(app.optimizedGraphJob?.waitUntilIdle(timeout: 60) == true)
        app.refreshOrtGraph()
        #expect(app.ortGraph?.result.requested.freeDimensionOverrides == ["batch": 1])
    }

    @Test("in ORT's graph, Enter on an Error-view row shows the ORT node its writer runs in")
    func errorRowInOrtGraph() throws {
        let (app, _) = try app()
        var snapshot = QuantizationJob.Snapshot()
        snapshot.phase = .ready
        snapshot.layerErrors = [LayerError(node: "/relu1/Relu", tensor: "/relu1/Relu_output_0", int8Nodes: ["/fc1/MatMul"], localSQNR: 30, propagatedSQNR: 25)]
        app.state.quantization = snapshot
        let s = Screen(app, width: 150, height: 60)
        s.press(.char("O"))
        #expect(app.optimizedGraphJob?.waitUntilIdle(timeout: 60) == true)
        app.refreshOrtGraph()
        try #require(app.ortGraph != nil)
        s.press(.char("5"))
        s.press(.enter)
        let selected = try #require(app.selectedNode)
        #expect(app.document.scope(0).node(selected.node).opType == "FusedGemm", "\(app.state.message?.text ?? "")")
        #expect(app.ortGraph != nil, "still ORT's graph")
    }

    @Test("with a live run, ORT's graph carries the kernel times; palette `ort basic` writes another level")
    func liveTimesAndLevels() throws {
        let (app, library) = try app()
        var schedule = LiveSchedule()
        schedule.publishInterval = 0.05
        schedule.profileEvery = 2
        schedule.minProfileInterval = 0.01
        schedule.profilingShare = 0.5
        let runner = LiveRunner(model: .path(Self.path), library: library, configuration: SessionConfiguration(),
                                inputs: .generated(InputGenerator(dimValues: [:], vocabularySizes: [:], seed: 1), given: [:]), schedule: schedule)
        defer { runner.stop(); runner.waitUntilStopped(timeout: 10) }
        app.liveRuntime = runner
        runner.start()
        let deadline = Date().addingTimeInterval(60)
        while !app.state.runtime.hasProfile && Date() < deadline { app.refreshLiveRuntime(); Thread.sleep(forTimeInterval: 0.02) }
        #expect(app.state.runtime.hasProfile)
        app.perform(.ortGraph)
        #expect(app.optimizedGraphJob?.waitUntilIdle(timeout: 60) == true)
        app.refreshOrtGraph()
        app.refreshLiveRuntime()
        let ort = app.document.scope(0)
        let timed = (0..<ort.nodeCount).filter { app.state.annotations[NodeKey(scope: 0, node: $0)]?.kernelTimeMicroseconds != nil }
        #expect(timed.count == 3, "each FusedGemm/Gemm kernel on its node: \(timed.map { ort.displayName($0) })")

        app.state.palette = PaletteState(); app.type("ort basic"); app.press(.enter)
        #expect(app.optimizedGraphJob?.waitUntilIdle(timeout: 60) == true)
        app.refreshOrtGraph()
        #expect(app.ortGraph?.title == "ORT graph (basic, CPU)")
        // Basic fuses MatMul+Add into Gemm; only extended folds the Relu in as well.
        let ops = (0..<app.document.scope(0).nodeCount).map { app.document.scope(0).node($0).opType }
        #expect(ops.filter { $0 == "Relu" }.count == 2 && !ops.contains("FusedGemm"), "\(ops)")
    }
}
