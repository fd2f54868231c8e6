import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Partition

/// Model-level blockers: each found at its node, with the fix, and in the report.
@Suite("Model-level deployment blockers")
struct ModelBlockersTests {
    /// x → NonZero → Transpose; x → com.acme:Foo; d (float64) → Relu.
    static func model() -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(4), .value(4)])
        let nz = g.op("NonZero", [x], name: "nonzero")
        g.output(g.op("Transpose", [nz], name: "after"), .int64, nil)
        g.importDomain("com.acme", version: 1)
        g.output(g.op("Foo", [x], name: "foo", domain: "com.acme"), .float, nil)
        let d = g.input("d", .double, [.value(2)])
        g.output(g.op("Relu", [d], name: "relu64"), .double, nil)
        return g.model()
    }

    @Test("custom domain, data-dependent shape and float64, each at its node with a fix")
    func findsEach() {
        let m = Self.model()
        let analysis = GraphAnalysis(model: m)
        let found = ModelBlockers.find(model: m, index: analysis.index, shapes: analysis.shapes)
        let byNode = Dictionary(found.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byNode["foo"]?.kind == .customDomain)
        #expect(byNode["foo"]?.fix.contains("register_custom_ops_library") == true)
        #expect(byNode["nonzero"]?.kind == .dataDependentShape)
        #expect(byNode["nonzero"]?.problem.contains("1 node reading it") == true, "\(byNode["nonzero"]?.problem ?? "")")
        #expect(byNode["relu64"]?.kind == .float64)
        #expect(byNode["after"] == nil, "Transpose itself is no blocker")
        #expect(found.count == 3)
    }

    @Test("the report lists them before the targets, and --json has them")
    func inReport() throws {
        let m = Self.model()
        let report = PartitionReport.analyse(modelPath: "m.onnx", original: m, analysed: m, graph: .raw(why: "test"), targets: [.cpu], userDims: [:])
        let text = report.text()
        #expect(text.contains("model-level blockers (3):"))
        #expect(text.contains("custom domain: foo (com.acme:Foo)"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try report.json().utf8)) as? [String: Any])
        #expect((json["blockers"] as? [[String: Any]])?.map { $0["kind"] as? String ?? "" }.sorted() == ["custom domain", "data-dependent shape", "float64"])
    }
}
