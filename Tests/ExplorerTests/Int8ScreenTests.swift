import Foundation
import Testing
@testable import Explorer
import ModelSamples
import OnnxGraph
import OnnxModel
@testable import Quantization
import OnnxRuntimeKit
import Workbench

/// The quantization loop's screens with a job snapshot injected (fixed ranges, errors and
/// kernel times, so the screens are the same on every machine); the loop itself, with ORT, is
/// tested in QuantizationLoopTests and QuantizationTmuxTests.
@Suite("Int8 screens")
struct Int8ScreenTests {
    /// The float tiny MLP with a variant that has `/fc2/MatMul` float and the rest int8.
    static func app() throws -> ExplorerApp {
        let model = try SampleModels.make("tiny-mlp")
        let analysis = GraphAnalysis(model: model)
        var request = PlanRequest()
        request.exclude = ["/fc2/MatMul"]
        let plan = try QuantizationPlan(analysis: analysis, request: request)
        let ranges = Dictionary(uniqueKeysWithValues: Calibrator.candidateValues(analysis: analysis).enumerated().map {
            ($1, ValueRange(min: -Double($0 % 3 + 1), max: Double($0 % 5 + 2)))
        })
        let output = try QDQWriter(model: model, analysis: analysis, plan: plan, ranges: ranges, settings: QuantizationSettings()).write()
        var snapshot = QuantizationJob.Snapshot()
        snapshot.phase = .ready
        snapshot.generation = 1
        snapshot.request = request
        snapshot.plan = plan
        snapshot.layers = Dictionary(output.layers.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        snapshot.kernels = Dictionary(output.layers.map {
            ($0.node, IntegerKernelCheck.Entry(node: $0.node, planned: $0.kernel, built: $0.kernel, ranInt8: true, why: nil))
        }, uniquingKeysWith: { a, _ in a })
        // Errors by hand, worst first, for every value the variant quantizes.
        let values = LayerError.quantizedValues(plan: plan, analysis: analysis, activations: output.activations)
        snapshot.layerErrors = values.enumerated().map { k, v in
            LayerError(node: v.writer, tensor: v.tensor, int8Nodes: v.int8Nodes, localSQNR: 45 - Double(k) * 4.5, propagatedSQNR: 41 - Double(k) * 6.5)
        }.sorted { $0.propagatedSQNR < $1.propagatedSQNR }
        let app = ExplorerApp(document: Document(model: model, path: "tiny-mlp.onnx"))
        app.state.planRequest = request
        app.state.quantization = snapshot
        return app
    }

    @Test("Error view (5): values worst first with local and propagated SQNR; the selected value's histograms and difference")
    func errorView() throws {
        let app = try Self.app()
        let worst = try #require(app.state.quantization?.layerErrors.first)
        // A triangular spread, and its int8 version on a coarse grid.
        let float: [Double] = (0..<256).map { (k: Int) -> Double in
            let a = Double((k * 37) % 64), b = Double((k * 11) % 64)
            return (a + b) / 32 - 1.25
        }
        let int8 = float.map { ($0 * 3).rounded() / 3 }
        app.state.quantization?.comparison = ValueComparison(
            tensor: worst.tensor, samples: 4, float: ValueComparison.summary(float), int8: ValueComparison.summary(int8),
            difference: ValueComparison.summary(zip(int8, float).map { $0 - $1 }),
            floatBins: ValueComparison.histogram(float, -1.25, 2.75, 24), int8Bins: ValueComparison.histogram(int8, -1.25, 2.75, 24),
            range: -1.25...2.75, differenceBins: ValueComparison.histogram(zip(int8, float).map { $0 - $1 }, -0.2, 0.2, 24),
            differenceLimit: 0.2)
        let s = Screen(app, width: 140, height: 32)
        s.press(.char("5"))
        expectGolden("tiny-mlp-error-view", s)
        let t = s.text
        #expect(t.contains("Values by error (\(app.state.quantization!.layerErrors.count))"))
        #expect(t.contains(String(format: "worst: %.1f dB through the model", worst.propagatedSQNR)))
        #expect(t.contains("values on 4 eval samples (64 each)"))
        #expect(t.contains("  diff  "))
        #expect(t.contains("int8 nodes tied to it"))
    }

    @Test("inspector: what int8 saves for an int8 node and would save for a float one (weight size, kernel times measured each way, error when last int8)")
    func tradeoff() throws {
        let app = try Self.app()
        let main = app.document.scope(0)
        func key(_ name: String) throws -> NodeKey {
            NodeKey(scope: 0, node: try #require((0..<main.nodeCount).first { main.displayName($0) == name }))
        }
        let fc1 = try key("/fc1/MatMul"), fc2 = try key("/fc2/MatMul")
        // A float run of the model, then an int8 variant where fc1 ran as an integer kernel and
        // fc2 (excluded) stayed float.
        var floatRun = Annotations()
        floatRun[fc1] = NodeAnnotation(kernelTimeMicroseconds: 40)
        floatRun[fc2] = NodeAnnotation(kernelTimeMicroseconds: 30)
        app.state.measured.record(floatRun, document: app.document, model: .document)
        var int8Run = Annotations()
        int8Run[fc1] = NodeAnnotation(kernelTimeMicroseconds: 10)
        int8Run[fc2] = NodeAnnotation(kernelTimeMicroseconds: 32)
        app.state.measured.record(int8Run, document: app.document, model: .int8Variant(ranInt8: ["/fc1/MatMul"]))
        #expect(app.state.measured["/fc2/MatMul"]?.floatMicroseconds == 32, "a float node of a variant is a float measurement")
        #expect(app.state.measured["/fc2/MatMul"]?.int8Microseconds == nil, "never measured int8")
        // An earlier variant had fc2 int8 with this error.
        app.state.measured.record(errors: [LayerError(node: "/fc2/MatMul", tensor: "x", int8Nodes: ["/fc2/MatMul"], localSQNR: 30, propagatedSQNR: 27.5)])

        let s = Screen(app, width: 120, height: 90)
        app.go(to: Location(scope: 0, item: .node(fc1.node)), recordJump: false)
        s.press(.tab)
        s.draw()
        expectGolden("tiny-mlp-int8-tradeoff-fc1", s)
        #expect(s.text.contains("kernel  float 40 µs → int8 10 µs"), "\(s.text)")
        #expect(s.text.contains("gain    4.00× faster as int8"), "\(s.text)")
        #expect(s.text.contains("size    weight 2.0 KB float → 512 B int8"), "\(s.text)")

        app.go(to: Location(scope: 0, item: .node(fc2.node)), recordJump: false)
        s.draw()
        #expect(s.text.contains("plan    float (Q switches)"))
        #expect(s.text.contains("kernel  float 32 µs, int8 not run yet"), "\(s.text)")
        #expect(s.text.contains("if int8 27.5 dB through model (last int8)"), "\(s.text)")
    }

    @Test("the int8 plan tint marks int8 and float boxes with a legend; the error tint colors each by its SQNR")
    func tints() throws {
        let app = try Self.app()
        let s = Screen(app, width: 120, height: 40)
        app.state.tint = .quantization
        s.draw()
        expectGolden("tiny-mlp-int8-plan-tint", s)
        #expect(s.text.contains("int8") && s.text.contains("float"))
        app.state.tint = .error
        s.draw()
        #expect(s.text.contains("output SQNR:"), "\(s.text)")
    }

    @Test("a snapshot is attributed to the model that made it, not to the one asked for since")
    func snapshotRevision() throws {
        let app = try Self.app()
        let runtime = RecordingRuntime()
        app.liveRuntime = runtime
        app.state.liveFollowsInt8 = true
        app.state.quantization?.modelBytes = [1, 2, 3]
        #expect(app.feedLiveRunner())
        #expect(app.state.liveModels[1] == .int8Variant(ranInt8: Set(app.state.quantization!.kernels.keys)))
        // The old (float) session's figures arrive after the switch was asked for.
        let json = """
        [{"cat":"Session","name":"model_run","ts":100,"dur":80,"ph":"X","pid":1,"tid":1,"args":{}},
         {"cat":"Node","name":"/fc1/MatMul_kernel_time","ts":105,"dur":50,"ph":"X","pid":1,"tid":1,
          "args":{"op_name":"MatMul","provider":"CPUExecutionProvider"}}]
        """
        var s = LiveSnapshot()
        s.phase = .running
        s.modelRevision = 0
        s.profile = ProfileAttribution.build(graph: app.document.model.graph, assignment: nil, trace: try ProfileTrace.parse(Data(json.utf8)))
        app.apply(snapshot: s)
        #expect(app.state.measured["/fc1/MatMul"]?.floatMicroseconds == 50)
        #expect(app.state.measured["/fc1/MatMul"]?.int8Microseconds == nil)
    }
}
