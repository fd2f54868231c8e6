import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Partition

/// The CPU EP catalog against ONNX Runtime itself: the committed kernel table is what the
/// installed wheel registers, and on ~1400 single-node models (op × element type × opset) the
/// prediction "the CPU EP runs it" is exactly "ORT creates a session for it".
@Suite("CPU EP catalog", .serialized)
struct CPUCatalogTests {
    @Test("CPUKernelTable is what the installed onnxruntime registers (regenerate with cpu_kernels.py)")
    func tableMatchesWheel() throws {
        let fresh = try Reference.run([Reference.root + "/Tests/PartitionTests/python/cpu_kernels.py"])
        let committed = Set(CPUKernelTable.text.split(separator: "\n").map(String.init))
        let derived = Set(fresh.split(separator: "\n").map(String.init))
        let missing = derived.subtracting(committed).sorted(), extra = committed.subtracting(derived).sorted()
        #expect(missing.isEmpty && extra.isEmpty,
                "table drifted: \(missing.count) lines missing (\(missing.prefix(5))), \(extra.count) stale (\(extra.prefix(5)))")
    }

    /// The single node `n` of `path`, decided for the CPU EP.
    static func decide(_ path: String) throws -> NodeSupport {
        let model = try Model.load(path: path)
        let analysis = GraphAnalysis(model: model, binding: try? DimensionBinding(model: model, user: [:]))
        let checker = NodeSupportChecker(catalog: .cpu, index: analysis.index, shapes: analysis.shapes,
                                         requireFixedShapes: false, opsets: NodeSupportChecker.opsets(of: model))
        return checker.support(scope: 0, node: 0)
    }

    @Test("Predicted CPU kernels agree with ORT's session creation on every op × type × opset model")
    func agreesWithSessions() throws {
        let dir = Reference.tempDir("cpu-sessions")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try Reference.json([Reference.root + "/Tests/PartitionTests/python/cpu_sessions.py", dir])
        #expect(outcome.count > 1000)
        var disagreements: [String] = []
        var runs = 0, viaFunction = 0
        for (file, error) in outcome.sorted(by: { $0.key < $1.key }) {
            let ortRuns = error is NSNull
            if ortRuns { runs += 1 }
            let support = try Self.decide(dir + "/" + file)
            // A shape ORT's own inference refuses (MatMul of [2,3]×[2,3]) is not a kernel question.
            if let e = error as? String, e.contains("ShapeInferenceError") { continue }
            // An op run as its function body is taken unverified (its body's nodes are not checked).
            if support.unverified.contains(where: { $0.contains("function body") }) { viaFunction += 1; continue }
            if support.supported != ortRuns {
                disagreements.append("\(file): ORT \(ortRuns ? "runs it" : "refuses it (\(error as? String ?? ""))"), onnxscope says "
                                     + (support.supported ? "supported" : support.blockers.map(\.description).joined(separator: "; ")))
            }
        }
        #expect(runs > 300, "too few models ran to mean anything")
        #expect(viaFunction < outcome.count / 20, "\(viaFunction) models left unverified as function bodies")
        let summary = disagreements.prefix(20).joined(separator: "\n")
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements:\n\(summary)")
    }

    @Test("The reasons name the version and the element type the kernels lack")
    func reasons() throws {
        // Relu-14 allows int16, the CPU kernels take float, int8, int32 and double.
        var g = GraphBuilder(opset: 14)
        let a = g.input("a", .int16, [.value(2)])
        g.output(g.op("Relu", [a], name: "relu"), .int16, nil)
        let relu = try Self.decide(try Reference.write(g.model(), "cpu-relu-int16"))
        #expect(relu.blockers.first?.description.contains("no CPU kernel for Relu-14 with 'a' as int16 (kernels take float32, int8, int32, float64)") == true, "\(relu.blockers)")

        // Add-13 does not allow int8 at all (Add-14 does): the model is invalid.
        var h = GraphBuilder(opset: 13)
        let b = h.input("b", .int8, [.value(2)])
        h.output(h.op("Add", [b, b], name: "add"), .int8, nil)
        let add = try Self.decide(try Reference.write(h.model(), "cpu-add-int8"))
        #expect(add.blockers.first?.description.contains("Add-13 does not allow 'b' as int8") == true, "\(add.blockers)")

        var old = GraphBuilder(opset: 6)
        let x = old.input("x", .float, [.value(2)])
        old.output(old.op("Mul", [x, x], name: "mul"), .float, nil)
        let mul = try Self.decide(try Reference.write(old.model(), "cpu-mul-6"))
        #expect(mul.blockers.first?.description.contains("no CPU kernel for Mul-6") == true, "\(mul.blockers)")
    }
}
