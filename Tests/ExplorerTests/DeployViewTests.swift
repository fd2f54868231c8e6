import Testing
@testable import Explorer
import Partition
import Terminal

/// The Deploy view (`6`), the predicted tint and the target switch: the same decisions as the
/// Partition module on the model as written.
@Suite("Deploy view")
struct DeployViewTests {
    @Test("6 shows NNAPI on BERT-tiny: verdict, what is not taken by reason, the fixed-dims rerun, the shape computation")
    func bertTinyNNAPI() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 140, height: 44)
        s.press(.char("6"))
        expectGolden("bert-tiny-deploy-nnapi", s)
        let t = s.text
        #expect(t.contains(" 6 Deploy "))
        #expect(t.contains("Deploy: NNAPI"))
        #expect(t.contains("with the dims fixed (batch=1, seq=64)"))
        #expect(t.contains("shape computation at run time"))
        let p = s.app.deployPrediction
        #expect(t.contains("Not taken (\(p.nodes.filter { !$0.supported && !$0.isConstantNode }.count))"))
        #expect(t.contains("\(p.counts.supportedNodes) of \(p.counts.totalNodes) nodes"))
        #expect(!t.contains("ai.onnx:Constant is not supported"), "Constant nodes are initializers once ORT loads the model")
    }

    @Test("T cycles the target in every view; the status line gives its coverage and verdict")
    func cycleTarget() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 140, height: 44)
        s.press(.char("6"), .char("T"))
        #expect(s.app.state.deployTarget == .coreml)
        #expect(s.text.contains("Deploy: CoreML NeuralNetwork"))
        #expect(s.lines.last!.contains("target CoreML NeuralNetwork:"))
        // Every target in turn, then NNAPI again.
        for target in PartitionTarget.allCases.dropFirst(2) {
            s.press(.char("T"))
            #expect(s.app.state.deployTarget == target)
            #expect(s.text.contains("Deploy: " + target.displayName))
        }
        s.press(.char("T"))
        #expect(s.app.state.deployTarget == .nnapi)
    }

    @Test("Enter on a row shows the node in the graph, tinted by prediction, with the reasons in the inspector")
    func jumpToNode() throws {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 140, height: 44)
        s.press(.char("6"), .tab)
        let row = try #require(DeployView(app: s.app).rows().first)
        s.press(.enter)
        #expect(s.app.state.view == .graph)
        #expect(s.app.state.tint == .predicted)
        #expect(s.app.selectedNode == NodeKey(scope: row.scope, node: row.node))
        #expect(s.text.contains("Deploy: NNAPI (predicted)"))
        #expect(s.text.contains(row.blockers[0].kind + ":"))
        #expect(s.text.contains("predicted:") && s.text.contains("taken"), "the legend: \(s.text)")
    }

    @Test("The predicted tint colors taken boxes success, dynamic-shape-only warning, the rest error; a group its worst node")
    func tintRoles() {
        let taken = NodeSupport(scope: 0, node: 0, name: "a", op: "ai.onnx:Relu", blockers: [], unverified: [],
                                checker: CheckerDecision(opListed: true, shapesFixed: true, rankSupported: true))
        let dynamic = NodeSupport(scope: 0, node: 1, name: "b", op: "ai.onnx:Relu", blockers: [.dynamicShape(input: "x", dims: ["batch"])],
                                  unverified: [], checker: CheckerDecision(opListed: true, shapesFixed: false, rankSupported: true))
        let op = NodeSupport(scope: 0, node: 2, name: "c", op: "ai.onnx:Erf", blockers: [.op("ai.onnx:Erf")], unverified: [],
                             checker: CheckerDecision(opListed: false, shapesFixed: true, rankSupported: true))
        #expect(GraphView.predictedRole([taken]) == .success)
        #expect(GraphView.predictedRole([taken, dynamic]) == .warning)
        #expect(GraphView.predictedRole([taken, dynamic, op]) == .error)
        #expect(GraphView.predictedRole([]) == .textDim)
    }

    @Test("Binding the dims from the palette re-predicts: BERT-tiny on NNAPI takes more nodes")
    func dimsRepredict() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 140, height: 44)
        let before = s.app.deployPrediction.counts.supportedNodes
        s.press(.char(":"))
        s.type("dim batch=1 seq=64")
        s.press(.enter)
        #expect(s.app.deployPrediction.counts.supportedNodes > before)
    }

    @Test(":target coreml-mlprogram picks the target; an unknown name is an error naming the valid ones")
    func paletteTarget() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 140, height: 44)
        s.press(.char(":"))
        s.type("target coreml-mlprogram")
        s.press(.enter)
        #expect(s.app.state.deployTarget == .coremlMLProgram)
        #expect(s.app.state.tint == .predicted)
        s.press(.char(":"))
        s.type("target tpu")
        s.press(.enter)
        #expect(s.lines.last!.contains("nnapi, coreml, coreml-mlprogram"))
    }
}
