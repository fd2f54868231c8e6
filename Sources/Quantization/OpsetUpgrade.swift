import OnnxGraph
import OnnxModel

/// QDQ with per-channel scales needs opset 13 (the `axis` of QuantizeLinear/DequantizeLinear),
/// and QuantizeLinear itself opset 10. Older models are moved to opset 13 when none of their
/// ops changed meaning on the way; otherwise the error names the op that blocks it.
enum OpsetUpgrade {
    /// Ops whose inputs, attributes or semantics changed between opset 10 and 13, with the
    /// version that changed them.
    static let changedBy13: [String: Int64] = [
        "Clip": 11, "Pad": 11, "Resize": 11, "Upsample": 10, "Squeeze": 13, "Unsqueeze": 13,
        "Split": 13, "ReduceSum": 13, "Softmax": 13, "LogSoftmax": 13, "Hardmax": 13,
        "TopK": 11, "Scan": 11, "Slice": 10, "Gather": 11, "Scatter": 11,
    ]

    static func prepare(_ model: inout Model, perChannel: Bool, notes: inout [String]) throws {
        guard let v = model.opsetVersion(for: "") else { throw QuantizationError("the model imports no default (ai.onnx) opset") }
        let needed: Int64 = perChannel ? 13 : 10
        guard v < needed else { return }
        var blocking: [String] = []
        let shapes = ShapeInference.infer(model, index: GraphIndex(model: model))
        func scan(_ g: Graph, main: Bool) {
            for n in g.nodes {
                if n.isDefaultDomain, let changed = changedBy13[n.opType], changed > v, changed <= needed {
                    // Softmax-family ops on the last axis mean the same before and after 13
                    // (the change is how other axes are coerced to 2-D).
                    if ["Softmax", "LogSoftmax", "Hardmax"].contains(n.opType), main,
                       let rank = shapes.facts(n.inputs[0])?.rank {
                        let axis = n.attribute("axis")?.i ?? 1
                        if axis == -1 || axis == Int64(rank - 1) { continue }
                    }
                    blocking.append(n.opType)
                }
                for sub in n.subgraphs { scan(sub.graph, main: false) }
            }
        }
        scan(model.graph, main: true)
        if !blocking.isEmpty {
            let ops = Set(blocking).sorted().joined(separator: ", ")
            throw QuantizationError("the model is opset \(v); QDQ\(perChannel ? " with per-channel weights" : "") needs opset \(needed), and \(ops) changed definition in between, so it cannot be upgraded safely: re-export at opset ≥ \(needed)\(perChannel && v >= 10 ? " or pass --no-per-channel" : "")")
        }
        for k in model.opsetImports.indices where model.opsetImports[k].domain.isEmpty || model.opsetImports[k].domain == "ai.onnx" {
            model.opsetImports[k].version = needed
        }
        if model.irVersion < 7 { model.irVersion = 7 }
        notes.append("opset upgraded from \(v) to \(needed) for QDQ (no op in the model changed meaning in between)")
    }
}
